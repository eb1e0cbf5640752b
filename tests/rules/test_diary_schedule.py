"""The diary's schedule, states and entry rules (CLINICAL_RULES.md section 9), at their edges."""

from datetime import timedelta

import pytest

from blocks.rules import diary, interpret_block
from blocks.rules.types import DiaryScore
from tests.rules.builders import ASRA, CMS, DAY_0, block

LIDO = diary.time_points("lidocaine")
BUPI = diary.time_points("bupivacaine")


def at(minutes: float):
    return DAY_0 + timedelta(minutes=minutes)


def patient(minutes, score=1, late=False):
    return DiaryScore(minutes, score, late=late, source="patient")


# The schedule ------------------------------------------------------------------------------


def test_the_time_points_are_those_of_the_agent():
    assert LIDO == (15, 30, 45, 60, 90, 120, 180, 240)
    assert BUPI == (15, 30, 60, 120, 180, 240, 300, 360, 480, 600)
    assert diary.time_points("ropivacaine") == BUPI
    assert diary.time_points("saline") == BUPI
    assert diary.time_points("none") == ()


@pytest.mark.parametrize(
    ("kind", "intent", "anesthetic", "keeps"),
    [
        ("medial_branch_block", "diagnostic", "lidocaine", True),
        ("facet_intraarticular", "diagnostic", "bupivacaine", True),
        ("transforaminal_epidural", "diagnostic", "saline", True),
        ("facet_intraarticular", "therapeutic", "bupivacaine", False),
        ("medial_branch_block", "diagnostic", "none", False),
        ("provocation_discography", "diagnostic", "lidocaine", False),
        ("radiofrequency_ablation", "therapeutic", "lidocaine", False),
    ],
)
def test_only_a_diagnostic_block_with_an_anaesthetic_keeps_a_diary(kind, intent, anesthetic, keeps):
    assert diary.has_diary(kind, intent, anesthetic) is keeps


def test_the_diary_closes_two_hours_after_its_last_time_point():
    assert diary.closes_at(DAY_0, "lidocaine") == at(240 + 120)
    assert diary.closes_at(DAY_0, "bupivacaine") == at(600 + 120)
    assert diary.closes_at(DAY_0, "none") is None


# Who answers which time point ---------------------------------------------------------------


def test_a_staff_score_within_ten_minutes_answers_the_time_point():
    assert diary.answered(LIDO, [DiaryScore(50, 2)]) == {45, 60}
    assert diary.answered(LIDO, [DiaryScore(70, 2)]) == {60}
    assert diary.answered(LIDO, [DiaryScore(71, 2)]) == set()


def test_a_patient_answers_the_time_point_itself_only():
    assert diary.answered(LIDO, [patient(45)]) == {45}
    assert diary.answered(LIDO, [patient(50)]) == set()


def test_missing_lists_the_points_already_due_and_unanswered():
    done = {15}
    assert diary.missing(LIDO, done, DAY_0, at(45)) == [30, 45]
    assert diary.missing(LIDO, done, DAY_0, at(44.9)) == [30]


# States --------------------------------------------------------------------------------------


def test_a_diary_is_open_until_it_closes_then_overdue_unless_complete():
    closes = diary.closes_at(DAY_0, "lidocaine")
    assert diary.state(False, closes, closes - timedelta(seconds=1)) == "open"
    assert diary.state(False, closes, closes) == "overdue"
    assert diary.state(True, closes, closes + timedelta(days=30)) == "complete"
    assert diary.state(True, None, closes) is None


WINDOW_LIDO = [(m, 1) for m in (15, 30, 45, 60, 90, 120, 180)]  # every point up to 180 minutes


def test_every_point_of_the_window_answered_and_relief_ended_is_complete():
    scores = [*WINDOW_LIDO[:-1], (180, 8)]  # relief ends before 180: duration decided
    assert diary.is_complete(block(pain_scores=scores), CMS) is True


def test_one_point_of_the_window_unanswered_is_not_complete():
    scores = [s for s in WINDOW_LIDO if s[0] != 90]
    assert diary.is_complete(block(pain_scores=scores), CMS) is False


def test_the_points_after_the_window_are_not_needed():
    # Lidocaine's window ends at 180; the 240 point is not needed for completeness.
    assert diary.is_complete(block(pain_scores=WINDOW_LIDO), CMS) is True


def test_relief_still_present_below_the_agents_minimum_is_not_decided():
    # Bupivacaine, window 0-480 answered, but only up to 120 and still positive there:
    # the run is censored at 120 < 180, so the duration is not decided.
    points = [(m, 1) for m in (15, 30, 60, 120)]
    assert diary.is_complete(block(anesthetic="bupivacaine", pain_scores=points), CMS) is False


def test_relief_still_present_at_the_minimum_is_decided():
    points = [(m, 1) for m in BUPI if m <= 480]
    assert diary.is_complete(block(anesthetic="bupivacaine", pain_scores=points), CMS) is True


def test_a_diary_with_no_window_points_is_not_complete():
    assert diary.is_complete(block(pain_scores=()), ASRA) is False


# Entry: early, answered, late ----------------------------------------------------------------


def refusal(minutes, now, done=frozenset()):
    return diary.entry_refusal(minutes, points=LIDO, done=set(done), performed_at=DAY_0, now=now)


def test_a_time_point_opens_five_minutes_before_it_is_due():
    assert refusal(60, at(54.9)) == "too_early"
    assert refusal(60, at(55)) is None


def test_a_minute_off_the_schedule_and_an_answered_point_are_refused():
    assert refusal(50, at(60)) == "not_in_schedule"
    assert refusal(60, at(60), done={60}) == "answered"


def test_a_score_entered_after_the_next_point_was_due_is_late():
    def late(minutes, entered):
        return diary.is_late(minutes, points=LIDO, performed_at=DAY_0, entered_at=at(entered))

    assert late(45, 60) is False
    assert late(45, 60.1) is True
    # The last point has no next one: late more than 60 minutes after it.
    assert late(240, 300) is False
    assert late(240, 300.1) is True


def test_the_next_point_asked_for_is_the_latest_one_open():
    assert diary.next_due(LIDO, set(), DAY_0, at(0)) == 15
    assert diary.next_due(LIDO, set(), DAY_0, at(50)) == 45
    assert diary.next_due(LIDO, {45}, DAY_0, at(56)) == 60
    assert diary.next_due(LIDO, set(LIDO), DAY_0, at(500)) is None


# late_diary_entry in the reading -------------------------------------------------------------


def test_a_late_peak_score_raises_late_diary_entry():
    scores = (DiaryScore(30, 5), DiaryScore(60, 1, late=True), DiaryScore(120, 8))
    reading = interpret_block(block(pain_scores=scores), CMS)
    assert reading.peak_minutes == 60
    assert "late_diary_entry" in reading.warnings


def test_a_late_score_that_ends_the_run_raises_it_too():
    scores = (DiaryScore(30, 1), DiaryScore(60, 1), DiaryScore(90, 8, late=True))
    assert "late_diary_entry" in interpret_block(block(pain_scores=scores), CMS).warnings


def test_a_late_score_the_reading_does_not_rest_on_raises_nothing():
    scores = (DiaryScore(30, 1), DiaryScore(60, 1), DiaryScore(90, 8), DiaryScore(240, 9, True))
    reading = interpret_block(block(pain_scores=scores), CMS)
    assert "late_diary_entry" not in reading.warnings
    assert (reading.relief_percent, reading.duration_minutes) == (90.0, 60)
