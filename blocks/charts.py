"""The pain-diary chart of one block, drawn server-side as inline SVG.

Pure presentation: numbers in, markup out, no database. The SVG uses presentation
attributes only (no <style>, no script), so it passes a strict Content-Security-Policy,
and it carries a title and a description for screen readers; the page shows the
same numbers in a table beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 250
# The right margin holds the labels of the baseline and threshold lines, clear of the data.
LEFT, RIGHT, TOP, BOTTOM = 46, 112, 24, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICK_STEPS = (15, 30, 60, 120, 240, 480, 720, 1440, 2880)
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"

INK, GRID, LINE = "#1d2733", "#d8dee6", "#1f4e79"
BASELINE, THRESHOLD, WINDOW = "#6b4e16", "#17663a", "#eaf2fb"


@dataclass(frozen=True)
class DiaryPoint:
    minutes_after: int
    score: int


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _x_axis(points: Sequence[DiaryPoint]) -> tuple[int, int]:
    """The right end of the minutes axis and the spacing of its ticks."""
    last = max([60, *(p.minutes_after for p in points)])
    step = next((s for s in TICK_STEPS if last / s <= 8), TICK_STEPS[-1])
    return -(-last // step) * step, step


def diary_chart(
    *,
    chart_id: str,
    points: Sequence[DiaryPoint],
    pre_pain: int | None,
    threshold_percent: float | None,
    window: tuple[int, int] | None = None,
    window_label: str = "",
) -> SafeString:
    """Scores over minutes after the block, with the baseline and the positive threshold."""
    points = sorted(points, key=lambda p: p.minutes_after)
    x_max, step = _x_axis(points)

    def x(minutes: float) -> float:
        return round(LEFT + PLOT_W * min(minutes, x_max) / x_max, 1)

    def y(score: float) -> float:
        return round(TOP + PLOT_H * (1 - score / 10), 1)

    parts = [_frame(x, y, x_max, step)]
    if window is not None:
        start, end = window
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                x(start),
                TOP,
                round(x(end) - x(start), 1),
                PLOT_H,
                WINDOW,
                x(start) + 4,
                TOP + 12,
                LINE,
                window_label,
            )
        )
        parts.insert(0, parts.pop())  # the window shading sits under the grid lines
    if pre_pain is not None:
        base_y = y(pre_pain)
        parts.append(_level_line(base_y, BASELINE, "6 4", ("Before block", f"pain {pre_pain}")))
        if threshold_percent is not None:
            positive_at = pre_pain * (1 - threshold_percent / 100)
            # Keep the two labels apart when the lines are close (a low baseline).
            label_y = max(y(positive_at), base_y + 26)
            parts.append(
                _level_line(
                    y(positive_at),
                    THRESHOLD,
                    "2 3",
                    (
                        f"Positive ≤ {_number(positive_at)}",
                        f"({_number(threshold_percent)} % relief)",
                    ),
                    label_y=label_y,
                )
            )
    if points:
        coordinates = " ".join(f"{x(p.minutes_after)},{y(p.score)}" for p in points)
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                coordinates,
                LINE,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="4.5" fill="#ffffff" stroke="{}" stroke-width="2">'
                "<title>{} min: {}/10</title></circle>",
                ((x(p.minutes_after), y(p.score), LINE, p.minutes_after, p.score) for p in points),
            )
        )
    return format_html(
        '<svg class="diary-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
        ' font-family="{}"><title id="{}-title">Pain diary chart</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        FONT,
        chart_id,
        chart_id,
        _description(points, pre_pain, threshold_percent),
        mark_safe("".join(parts)),
    )


def _frame(x, y, x_max: int, step: int) -> SafeString:
    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
        (
            (LEFT, y(s), LEFT + PLOT_W, y(s), GRID, LEFT - 6, y(s) + 4, INK, s)
            for s in range(0, 11, 2)
        ),
    )
    ticks = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>',
        (
            (x(m), TOP + PLOT_H, x(m), TOP + PLOT_H + 4, INK, x(m), TOP + PLOT_H + 16, INK, m)
            for m in range(0, x_max + 1, step)
        ),
    )
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}"/>{}{}'
        '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">Minutes after the block'
        '</text><text x="12" y="{}" font-size="12" text-anchor="middle" fill="{}"'
        ' transform="rotate(-90 12 {})">Pain (0–10)</text>',
        LEFT,
        TOP,
        PLOT_W,
        PLOT_H,
        GRID,
        grid,
        ticks,
        LEFT + PLOT_W / 2,
        HEIGHT - 8,
        INK,
        TOP + PLOT_H / 2,
        INK,
        TOP + PLOT_H / 2,
    )


def _level_line(
    level_y: float, colour: str, dashes: str, text: tuple[str, str], *, label_y: float | None = None
) -> SafeString:
    """A dashed horizontal line across the plot, labelled in two short lines in the margin."""
    label_y = level_y if label_y is None else label_y
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"'
        ' stroke-dasharray="{}"/><text x="{}" y="{}" font-size="11" fill="{}">'
        '<tspan x="{}" dy="0">{}</tspan><tspan x="{}" dy="13">{}</tspan></text>',
        LEFT,
        level_y,
        LEFT + PLOT_W + 6,
        level_y,
        colour,
        dashes,
        LEFT + PLOT_W + 8,
        round(label_y - 2, 1),
        colour,
        LEFT + PLOT_W + 8,
        text[0],
        LEFT + PLOT_W + 8,
        text[1],
    )


def _description(points, pre_pain, threshold_percent) -> str:
    if not points:
        return "No diary score recorded yet."
    scores = ", ".join(f"{p.score} at {p.minutes_after} min" for p in points)
    words = [f"Scores: {scores}."]
    if pre_pain is not None:
        words.append(f"Pain before the block: {pre_pain}.")
        if threshold_percent is not None:
            words.append(
                f"Positive at or below {_number(pre_pain * (1 - threshold_percent / 100))}."
            )
    return " ".join(words)
