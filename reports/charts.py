"""Charts of the outcome tables, drawn on matplotlib Figure objects (never pyplot).

Each function takes the summary table it draws (from reports.tables) and the guideline
profile the report was read under (the success lines of the follow-up chart are its
thresholds), and returns a Figure; `png()` and `data_uri()` turn one into bytes for the page.
Lines differ by marker and style as well as colour, so they read in print.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import pandas as pd
from matplotlib.figure import Figure

from blocks.rules import Profile, vocab
from reports.labels import group_words

WIDTH, HEIGHT = 8, 4.2
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
STYLES = ("-", "--", "-.", ":")
NO_DATA = "No blocks match these filters."


def _figure(
    height: float = HEIGHT,
    *,
    left: float = 0.8,
    right: float = 0.25,
    top: float = 0.45,
    bottom: float = 0.65,
    rows: int = 1,
    gap: float = 0.0,
) -> Figure:
    """A figure whose margins (and `gap` between `rows` stacked axes) are fixed, in inches,
    for the labels each chart has. A layout engine would measure every label first: that
    took a third of the time drawing the page's seven charts (0.5 of 1.4 s at 100,000
    blocks), and the labels' room is known in advance."""
    figure = Figure(figsize=(WIDTH, height), dpi=100)
    plotted = height - top - bottom
    axes_height = (plotted - gap * (rows - 1)) / rows
    figure.subplots_adjust(
        left=left / WIDTH,
        right=1 - right / WIDTH,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=gap / axes_height if rows > 1 else None,
    )
    return figure


# Room for labels turned 45 degrees under the axis ("2026-11", "90-100"), and the axis label.
TURNED_LABELS = 1.0


def _words(code: str) -> str:
    return code.replace("_", " ")


def _time_words(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 2880:
        return f"{minutes / 60:g} h"
    return f"{minutes / 1440:g} d"


def _empty(figure: Figure, title: str) -> Figure:
    axes = figure.subplots()
    axes.set_title(title)
    axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()
    return figure


def monthly_volume(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Procedures per month"
    figure = _figure(bottom=TURNED_LABELS)
    if table.empty or table["procedures"].sum() == 0:
        return _empty(figure, title)
    axes = figure.subplots()
    axes.bar(range(len(table)), table["procedures"], color="#4c72b0")
    axes.set_title(title)
    axes.set_xlabel("Month")
    axes.set_ylabel("Procedures")
    step = max(1, len(table) // 12)
    axes.set_xticks(range(0, len(table), step), table["month"].iloc[::step], rotation=45)
    return figure


def relief_distribution(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Relief after valid diagnostic blocks, by kind"
    kinds = [k for k in vocab.KINDS if k in set(table["kind"])]
    if table.empty or table["blocks"].sum() == 0:
        return _empty(_figure(), title)
    figure = _figure(
        height=1.2 + 1.5 * len(kinds),
        top=0.65,
        bottom=TURNED_LABELS,
        rows=len(kinds),
        gap=0.35,
    )
    grid = figure.subplots(nrows=len(kinds), sharex=True, squeeze=False)[:, 0]
    for axes, kind in zip(grid, kinds, strict=True):
        rows = table[table["kind"] == kind]
        axes.bar(range(len(rows)), rows["blocks"], color="#55a868")
        axes.set_xticks(range(len(rows)), rows["relief_band"])
        axes.set_ylabel("Blocks")
        axes.set_title(_words(kind), fontsize=10, loc="left")
    grid[-1].set_xlabel("Percent relief")
    grid[-1].tick_params(axis="x", rotation=45)
    figure.suptitle(title)
    return figure


def positive_rate(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Share of diagnostic blocks that were positive, by kind and month"
    figure = _figure(bottom=TURNED_LABELS)
    if table.empty:
        return _empty(figure, title)
    axes = figure.subplots()
    months = sorted(table["month"].unique())
    position = {month: i for i, month in enumerate(months)}
    for n, kind in enumerate(k for k in vocab.KINDS if k in set(table["kind"])):
        rows = table[table["kind"] == kind]
        axes.plot(
            rows["month"].map(position),
            rows["positive_percent"],
            marker=MARKERS[n % len(MARKERS)],
            linestyle=STYLES[n % len(STYLES)],
            label=_words(kind),
        )
    step = max(1, len(months) // 12)
    axes.set_xticks(range(0, len(months), step), months[::step], rotation=45)
    axes.set_ylim(0, 105)
    axes.set_title(title)
    axes.set_xlabel("Month")
    axes.set_ylabel("Positive blocks (%)")
    axes.legend(fontsize=8)
    return figure


def diary_curve(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Median relief after the block, by anaesthetic (band: quartiles)"
    figure = _figure()
    if table.empty:
        return _empty(figure, title)
    axes = figure.subplots()
    for n, (anesthetic, rows) in enumerate(table.groupby("anesthetic", sort=True)):
        line = axes.plot(
            rows["minutes"],
            rows["relief_median"],
            marker=MARKERS[n % len(MARKERS)],
            linestyle=STYLES[n % len(STYLES)],
            label=str(anesthetic),
        )[0]
        axes.fill_between(
            rows["minutes"],
            rows["relief_q1"],
            rows["relief_q3"],
            alpha=0.15,
            color=line.get_color(),
        )
    axes.set_xscale("log")
    marks = sorted(table["minutes"].unique())
    axes.set_xticks(marks, [_time_words(m) for m in marks])
    axes.minorticks_off()
    axes.set_title(title)
    axes.set_xlabel("Time after the block (log scale)")
    axes.set_ylabel("Relief (%)")
    axes.axhline(0, color="grey", linewidth=0.8)
    axes.legend(fontsize=8)
    return figure


def complication_rate(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Complications per 100 procedures, by kind"
    figure = _figure(left=2.1)  # the kinds in words beside the bars
    if table.empty:
        return _empty(figure, title)
    axes = figure.subplots()
    labels = [_words(kind) for kind in table["kind"]]
    axes.barh(labels, table["per_100_procedures"].fillna(0), color="#c44e52")
    axes.invert_yaxis()
    axes.set_title(title)
    axes.set_xlabel("Complications per 100 procedures")
    axes.set_ylabel("Kind of procedure")
    return figure


def relief_over_follow_up(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Mean relief after treatment, by selection group"
    figure = _figure(right=1.0)  # "substantial" and "meaningful" beside their lines
    if table.empty:
        return _empty(figure, title)
    axes = figure.subplots()
    for n, (group, rows) in enumerate(table.groupby("group", sort=True)):
        axes.plot(
            rows["days_after"],
            rows["relief_mean"],
            marker=MARKERS[n % len(MARKERS)],
            linestyle=STYLES[n % len(STYLES)],
            label=group_words(str(group)),
        )
    # The profile's success lines, their words outside the axes at the height of their line.
    beside = axes.get_yaxis_transform()
    for relief, words, style in (
        (profile.follow_up_substantial_relief_percent, "substantial", "--"),
        (profile.follow_up_meaningful_relief_percent, "meaningful", ":"),
    ):
        axes.axhline(relief, color="grey", linewidth=0.8, linestyle=style)
        axes.text(1.01, relief, words, va="center", fontsize=8, color="grey", transform=beside)
    days = sorted(table["days_after"].unique())
    axes.set_xticks(days, [str(d) for d in days])
    axes.set_title(title)
    axes.set_xlabel("Days after the treatment")
    axes.set_ylabel("Relief (%)")
    axes.legend(fontsize=8)
    return figure


def benefit_curves(table: pd.DataFrame, profile: Profile) -> Figure:
    title = "Benefit still going on (Kaplan-Meier), by selection group"
    figure = _figure()
    if table.empty:
        return _empty(figure, title)
    axes = figure.subplots()
    for n, (group, rows) in enumerate(table.groupby("group", sort=True)):
        axes.step(
            rows["days_after"],
            rows["benefit_continuing_percent"],
            where="post",
            marker=MARKERS[n % len(MARKERS)],
            linestyle=STYLES[n % len(STYLES)],
            label=f"{group_words(str(group))} (n={int(rows['treatments'].iloc[0])})",
        )
    axes.axhline(50, color="grey", linewidth=0.8, linestyle="--")
    axes.set_ylim(0, 105)
    axes.set_title(title)
    axes.set_xlabel("Days after the treatment")
    axes.set_ylabel("Benefit continuing (%)")
    axes.legend(fontsize=8)
    return figure


# chart name: (table it draws, function, what it shows in words)
CHARTS: dict[str, tuple[str, Callable[[pd.DataFrame, Profile], Figure], str]] = {
    "monthly_volume": ("volume_by_month", monthly_volume, "Bar chart of procedures per month."),
    "relief_distribution": (
        "relief_distribution",
        relief_distribution,
        "Bar charts, one per kind, of valid diagnostic blocks per band of percent relief.",
    ),
    "positive_rate": (
        "positive_rate_by_month",
        positive_rate,
        "Line chart of the percent of diagnostic blocks that were positive, per kind and month.",
    ),
    "diary_curve": (
        "diary_curve",
        diary_curve,
        "Line chart of median percent relief against minutes after the block, per anaesthetic.",
    ),
    "complication_rate": (
        "complication_rate_by_kind",
        complication_rate,
        "Bar chart of complications per 100 procedures for each kind of procedure.",
    ),
    "relief_over_follow_up": (
        "relief_over_follow_up",
        relief_over_follow_up,
        "Line chart of mean percent relief at 14, 30, 90, 180 and 365 days after treatment, "
        "one line per selection group, with the 50 % and 30 % success lines.",
    ),
    "benefit_curves": (
        "benefit_curves",
        benefit_curves,
        "Step chart (Kaplan-Meier) of the percent of treatments whose benefit still goes on, "
        "against days after treatment, one line per selection group.",
    ),
}


def draw_all(tables: dict[str, pd.DataFrame], profile: Profile) -> dict[str, Figure]:
    return {name: draw(tables[table], profile) for name, (table, draw, _) in CHARTS.items()}


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def data_uri(figure: Figure) -> str:
    return "data:image/png;base64," + base64.b64encode(png(figure)).decode()
