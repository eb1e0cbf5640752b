"""The server-side diary chart: pure function, no database."""

from blocks.charts import DiaryPoint, diary_chart


def chart(**changes) -> str:
    values = {
        "chart_id": "chart-1",
        "points": [DiaryPoint(15, 1), DiaryPoint(90, 1), DiaryPoint(180, 5)],
        "pre_pain": 7,
        "threshold_percent": 80.0,
        "window": (0, 180),
        "window_label": "Evaluation window (lidocaine, 0–180 min)",
    }
    values.update(changes)
    return str(diary_chart(**values))


def test_it_draws_the_scores_the_baseline_and_the_threshold():
    svg = chart()
    assert svg.startswith('<svg class="diary-chart"')
    assert svg.count("<circle") == 3
    assert "<polyline" in svg
    assert "Before block" in svg and "pain 7" in svg
    assert "Positive ≤ 1.4" in svg and "(80 % relief)" in svg
    assert "Evaluation window (lidocaine, 0–180 min)" in svg


def test_it_describes_itself_for_screen_readers():
    svg = chart()
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-1-title chart-1-desc"' in svg
    assert "Scores: 1 at 15 min, 1 at 90 min, 5 at 180 min." in svg
    assert "Positive at or below 1.4." in svg


def test_it_uses_no_style_or_script_so_a_strict_csp_allows_it():
    svg = chart()
    assert "<style" not in svg and "style=" not in svg and "<script" not in svg


def test_an_empty_diary_still_draws_axes_and_says_so():
    svg = chart(points=[])
    assert "<circle" not in svg
    assert "No diary score recorded yet." in svg


def test_without_a_baseline_there_are_no_level_lines():
    svg = chart(pre_pain=None)
    assert "Before block" not in svg and "Positive ≤" not in svg


def test_the_minutes_axis_reaches_the_last_score():
    svg = chart(points=[DiaryPoint(30, 2), DiaryPoint(1500, 6)], window=(0, 480))
    assert ">1440<" in svg and ">1680<" in svg  # ticks every 240 min up to past 1500


def test_labels_are_escaped():
    svg = chart(window_label="<b>window</b>")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
