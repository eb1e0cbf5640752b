"""A treatment's follow-up chart: relief over days after it, with the success lines, drawn
server-side as inline SVG (presentation attributes only, as blocks/charts.py does), with a
title and a description for screen readers; the page shows the same numbers in a table."""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from blocks.charts import BASELINE, FONT, GRID, INK, LINE, THRESHOLD, _level_line

WIDTH, HEIGHT = 600, 250
LEFT, RIGHT, TOP, BOTTOM = 46, 112, 24, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
LOW = -50  # relief below this (pain much worse than before) is drawn at the bottom edge


def follow_up_chart(
    *,
    chart_id: str,
    points: Sequence[tuple[int, float]],
    substantial: float,
    meaningful: float,
) -> SafeString:
    """Relief (%) at each follow-up day, with the substantial and meaningful lines."""
    points = sorted(points)
    x_max = max([365, *(d for d, _ in points)])
    x_max = -(-x_max // 60) * 60

    def x(day: float) -> float:
        return round(LEFT + PLOT_W * min(day, x_max) / x_max, 1)

    def y(relief: float) -> float:
        clamped = max(LOW, min(100, relief))
        return round(TOP + PLOT_H * (100 - clamped) / (100 - LOW), 1)

    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
        (
            (LEFT, y(v), LEFT + PLOT_W, y(v), GRID, LEFT - 6, y(v) + 4, INK, v)
            for v in range(-50, 101, 25)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>',
        ((x(d), TOP + PLOT_H + 16, INK, d) for d in (14, 90, 180, 365) if d <= x_max),
    )
    line = ""
    if len(points) > 1:
        line = format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{x(d)},{y(r)}" for d, r in points),
            LINE,
        )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="{}"/>',
        ((x(d), y(r), LINE) for d, r in points),
    )
    parts = [
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}"/>',
            LEFT,
            TOP,
            PLOT_W,
            PLOT_H,
            GRID,
        ),
        grid,
        ticks,
        _level_line(
            y(substantial),
            THRESHOLD,
            "6 4",
            ("substantial", f"≥ {substantial:g} %"),
            label_y=y(substantial) - 14,
        ),
        _level_line(
            y(meaningful),
            BASELINE,
            "2 3",
            ("meaningful", f"≥ {meaningful:g} %"),
            label_y=y(meaningful) + 12,
        ),
        line,
        dots,
        format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="{}">Days after the '
            'treatment</text><text x="12" y="{}" font-size="12" text-anchor="middle" fill="{}" '
            'transform="rotate(-90 12 {})">Relief (%)</text>',
            LEFT + PLOT_W / 2,
            HEIGHT - 8,
            INK,
            TOP + PLOT_H / 2,
            INK,
            TOP + PLOT_H / 2,
        ),
    ]
    described = (
        "Relief: " + ", ".join(f"{r:g} % at day {d}" for d, r in points) + "."
        if points
        else "No follow-up with a readable relief yet."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="{}" class="follow-up-svg">'
        '<title id="{}-title">Relief after the treatment</title><desc id="{}-desc">{}</desc>'
        "{}</svg>",
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        FONT,
        chart_id,
        chart_id,
        described,
        mark_safe("".join(str(p) for p in parts)),
    )
