"""A write costs a fixed, small number of SQL queries, whatever the patient's history.

Issue 9's budget: one procedure with six diary scores and a screening in at most 40 queries, one
diary score in at most 12, and neither grows with the patient's earlier procedures.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blocks import services
from tests.factories import record_procedure

# As in production, each service call is the outermost transaction: no savepoints are counted.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SIX_SCORES = [
    {"minutes_after": m, "score": s}
    for m, s in ((15, 1), (30, 1), (60, 2), (120, 2), (240, 5), (480, 7))
]


def record(episode, user, day: int, **changes):
    import datetime as dt

    fields = dict(
        episode=episode,
        performed_by=user,
        recorded_by=user,
        performed_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC) + dt.timedelta(days=day),
        kind="medial_branch_block",
        intent="diagnostic",
        side="right",
        levels=["L4-L5", "L5-S1"],
        anesthetic="lidocaine",
        anesthetic_volume_ml=None,
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="none",
        pre_pain=7,
        pain_scores=SIX_SCORES,
        contraindications=["uncontrolled_diabetes"],
    )
    fields.update(changes)
    return record_procedure(**fields)


def queries(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def test_a_procedure_with_six_scores_and_a_screening_costs_at_most_40_queries(
    episode, physician_user
):
    first = queries(lambda: record(episode, physician_user, 0))
    for day in range(1, 6):
        record(episode, physician_user, day * 7)
    later = queries(lambda: record(episode, physician_user, 60))
    print(f"procedure with six scores: first {first} queries, with five earlier {later}")
    assert first <= 40
    assert later <= first


def test_one_diary_score_costs_at_most_12_queries(episode, physician_user):
    procedure = record(episode, physician_user, 0, pain_scores=[])
    first = queries(
        lambda: services.pain_score_add(
            procedure=procedure, minutes_after=30, score=2, recorded_by=physician_user
        )
    )
    for day in range(1, 6):
        record(episode, physician_user, day * 7)
    later = queries(
        lambda: services.pain_score_add(
            procedure=procedure, minutes_after=60, score=2, recorded_by=physician_user
        )
    )
    print(f"one diary score: first {first} queries, with five earlier procedures {later}")
    assert first <= 12
    assert later <= first


def test_a_diary_grid_of_six_scores_refreshes_the_readings_once(episode, physician_user):
    """The staff grid sends every row in one call: the readings are re-read once, so six
    scores cost far less than six single adds (the block is a bupivacaine one done 11 hours
    ago, so every point has come)."""
    from tests.factories import record_block

    block = record_block(episode=episode, performed_by=physician_user, minutes_ago=660)
    rows = [{"add": {"minutes_after": m, "score": 1}} for m in (15, 30, 60, 120, 180, 240)]
    grid = queries(
        lambda: services.pain_scores_save(procedure=block, rows=rows, recorded_by=physician_user)
    )
    single = queries(
        lambda: services.pain_score_add(
            procedure=block, minutes_after=300, score=1, recorded_by=physician_user
        )
    )
    print(f"diary grid of six scores: {grid} queries; one score alone: {single}")
    assert grid <= 40
    assert grid < 6 * single
