"""Charts: matplotlib Figures (never pyplot), labelled, and drawn even with no data."""

import ast
import inspect

import pandas as pd
from matplotlib.figure import Figure

from blocks.rules import get_profile
from blocks.rules.types import FollowUpPoint
from reports import charts, evidence
from reports.store.treatments import reliefs
from reports.tables import diagnostic, safety, volume
from tests.reports.frames import blocks, complications


def tables(frame):
    diary = pd.DataFrame(
        [(1, 30, 1), (1, 120, 3), (2, 30, 2)], columns=["procedure_id", "minutes_after", "score"]
    )
    events = complications((1, "vasovagal", "mild"))
    return {
        "volume_by_month": volume.volume_by_month(frame),
        "relief_distribution": diagnostic.relief_distribution(frame),
        "positive_rate_by_month": diagnostic.positive_rate_by_month(frame),
        "diary_curve": diagnostic.diary_curve(frame, diary),
        "complication_rate_by_kind": safety.complication_rate_by_kind(frame, events),
        **outcome_tables(evidence.frame([] if frame.empty else TREATED)),
    }


def _rfa(pk, group, pain_at_90, benefit_days, censored):
    return evidence.Treated(
        id=pk,
        kind="radiofrequency_ablation",
        group=group,
        pre_pain=8,
        relief=reliefs(8, (FollowUpPoint(90, pain_at_90),)),
        pgic_90=None,
        benefit_days=benefit_days,
        benefit_censored=censored,
    )


TREATED = [_rfa(1, "dual-80", 2, 90, True), _rfa(2, "single-50", 6, 0, False)]


def outcome_tables(items):
    return {
        "relief_over_follow_up": evidence.relief_over_time(items),
        "benefit_curves": evidence.benefit_curves(items),
    }


def test_every_chart_is_a_labelled_figure_and_a_png():
    frame = blocks({}, {"kind": "sacroiliac_joint", "performed_at": "2025-04-02T10:00:00Z"})
    figures = charts.draw_all(tables(frame), get_profile("cms-2021"))
    assert list(figures) == list(charts.CHARTS)
    for name, figure in figures.items():
        assert isinstance(figure, Figure)
        axes = figure.axes[-1]
        assert axes.get_xlabel(), name
        assert figure.axes[0].get_ylabel(), name
        title = axes.get_title() or (figure._suptitle.get_text() if figure._suptitle else "")
        assert title, name
        assert charts.png(figure).startswith(b"\x89PNG"), name


def test_charts_with_no_blocks_say_so():
    figures = charts.draw_all(tables(blocks({}).iloc[0:0]), get_profile("cms-2021"))
    for figure in figures.values():
        texts = [t.get_text() for axes in figure.axes for t in axes.texts]
        assert charts.NO_DATA in texts


def test_the_follow_up_chart_draws_the_profiles_success_lines():
    import dataclasses

    table = evidence.relief_over_time(evidence.frame(TREATED))
    stricter = dataclasses.replace(
        get_profile("cms-2021"),
        follow_up_substantial_relief_percent=60.0,
        follow_up_meaningful_relief_percent=40.0,
    )
    axes = charts.relief_over_follow_up(table, stricter).axes[0]
    lines = {line.get_ydata()[0] for line in axes.lines if line.get_color() == "grey"}
    assert lines == {60.0, 40.0}
    words = {text.get_text(): text.get_position()[1] for text in axes.texts}
    assert words == {"substantial": 60.0, "meaningful": 40.0}


def test_charts_never_touch_pyplot_state():
    tree = ast.parse(inspect.getsource(charts))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and "pyplot" in name}
