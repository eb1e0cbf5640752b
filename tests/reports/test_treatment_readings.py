"""Each treatment's evidence reading is stored by the write that changes it (section 10).

The evidence report reads TreatmentReading rows instead of re-running the selection for every
treatment; these tests check that what the writes leave is what a full re-read stores and what
the report computes on the fly, and that a missing or stale row is read on the fly.
"""

import datetime as dt
import logging

import pandas as pd
import pytest

from blocks import services
from blocks.models import Procedure
from blocks.services import followup
from reports import evidence
from reports.filters import ReportFilters
from reports.models import TreatmentReading
from reports.store import readings
from tests.factories import EpisodeFactory, FollowUpFactory, record_block

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 1, 5, 9, 30, tzinfo=dt.UTC)
STORED = [c for c in readings.TREATMENT_COLUMNS if c != "computed_at"]


def stored(patient_id):
    return sorted(
        tuple(row[c] for c in STORED)
        for row in TreatmentReading.objects.filter(episode__patient_id=patient_id).values(*STORED)
    )


def record(episode, user, day, **changes):
    """factories.record_block's medial branch block on day `day`, lidocaine, pain 10, relieved
    for two hours."""
    fields = dict(
        performed_at=T0 + dt.timedelta(days=day),
        anesthetic="lidocaine",
        anesthetic_volume_ml=None,
        pre_pain=10,
        pain_scores=[
            {"minutes_after": 30, "score": 1},
            {"minutes_after": 120, "score": 1},
            {"minutes_after": 240, "score": 7},
        ],
    )
    return record_block(episode=episode, performed_by=user, **{**fields, **changes})


def rfa_after_one_block(user):
    """One medial branch block at 90 %, an RFA on day 30 (pre-treatment pain 8)."""
    episode = EpisodeFactory(created_by=user, side="right", region="lumbar")
    first = record(episode, user, 0)
    rfa = record(
        episode,
        user,
        30,
        kind="radiofrequency_ablation",
        intent="therapeutic",
        anesthetic="none",
        pre_pain=8,
        pain_scores=[],
    )
    return first, rfa


def on_the_fly(profile):
    TreatmentReading.objects.all().delete()
    return evidence.treated(ReportFilters(profile=profile))


def test_follow_ups_and_a_second_block_rewrite_the_treatments_reading(physician_user):
    first, rfa = rfa_after_one_block(physician_user)
    (row,) = TreatmentReading.objects.filter(procedure=rfa, profile="cms-2021").values()
    assert (row["selection_group"], row["relief_90"], row["benefit_days"]) == (
        "single-80",  # one block at 90 %: ASRA's one block suffices
        None,
        None,
    )
    for days, pain, pgic in ((90, 2, 7), (180, 6, 6)):
        followup.follow_up_add(
            procedure=rfa, days_after=days, pain=pain, pgic=pgic, recorded_by=physician_user
        )
    # A second block before the RFA (an earlier block of its episode) changes its selection.
    record(first.episode, physician_user, 14)

    (row,) = TreatmentReading.objects.filter(procedure=rfa, profile="cms-2021").values()
    assert row["selection_group"] == "dual-80"
    assert (row["relief_90"], row["relief_180"], row["pgic_90"]) == (75.0, 25.0, 7)
    assert (row["benefit_days"], row["benefit_censored"], row["follow_up_points"]) == (
        90,
        False,
        2,
    )
    after_writes = stored(first.episode.patient_id)
    readings.store_for_patients([first.episode.patient_id])
    assert stored(first.episode.patient_id) == after_writes
    assert len(after_writes) == 3  # one treatment under three profiles


def test_the_report_reads_the_stored_rows_and_they_equal_the_on_the_fly_reading(
    physician_user, caplog
):
    first, rfa = rfa_after_one_block(physician_user)
    record(first.episode, physician_user, 14)
    followup.follow_up_add(procedure=rfa, days_after=92, pain=4, pgic=6, recorded_by=physician_user)
    for profile in ("cms-2021", "asra-2020", "sis-controlled"):
        with caplog.at_level(logging.WARNING, logger="reports.evidence"):
            caplog.clear()
            from_store = evidence.treated(ReportFilters(profile=profile))
            assert caplog.records == []  # nothing read on the fly
        fresh = on_the_fly(profile)
        pd.testing.assert_frame_equal(from_store, fresh)
        assert fresh[["id", "relief_90", "pgic_90", "benefit_censored"]].to_dict("records") == [
            {"id": rfa.pk, "relief_90": 50.0, "pgic_90": 6, "benefit_censored": True}
        ]
        readings.store_for_patients([first.episode.patient_id])


def test_a_stale_or_missing_row_is_read_on_the_fly(physician_user, caplog):
    _, rfa = rfa_after_one_block(physician_user)
    # A follow-up written behind the services' back: the stored row no longer matches.
    FollowUpFactory(procedure=Procedure.objects.get(pk=rfa.pk), days_after=90, pain=2, pgic=7)
    with caplog.at_level(logging.WARNING, logger="reports.evidence"):
        (item,) = evidence.treated(ReportFilters(profile="cms-2021")).to_dict("records")
    assert item["relief_90"] == 75.0
    assert "1 treatments of 1 patients read on the fly" in caplog.text
    # refresh_readings --stale finds the patient and stores the row again.
    assert readings.stale_patients([rfa.episode.patient_id]) == {rfa.episode.patient_id}
    readings.refresh_all(stale_only=True)
    row = TreatmentReading.objects.get(procedure=rfa, profile="cms-2021")
    assert (row.relief_90, row.follow_up_points) == (75.0, 1)
    assert readings.stale_patients([rfa.episode.patient_id]) == set()


def test_a_treatment_entered_in_error_loses_its_reading(physician_user):
    _, rfa = rfa_after_one_block(physician_user)
    assert TreatmentReading.objects.filter(procedure=rfa).count() == 3
    services.mark_entered_in_error(
        record=Procedure.objects.get(pk=rfa.pk), reason="Wrong patient", user=physician_user
    )
    assert not TreatmentReading.objects.filter(procedure=rfa).exists()
    assert evidence.treated(ReportFilters(profile="cms-2021")).empty


def test_a_treatment_changed_into_a_diagnostic_block_loses_its_reading(physician_user):
    from tests.factories import update_procedure

    _, rfa = rfa_after_one_block(physician_user)
    rfa = Procedure.objects.get(pk=rfa.pk)
    update_procedure(
        procedure=rfa,
        expected_version=rfa.version,
        updated_by=physician_user,
        kind="medial_branch_block",
        intent="diagnostic",
        anesthetic="lidocaine",
    )
    assert not TreatmentReading.objects.filter(procedure=rfa).exists()
    readings.store_for_patients([rfa.episode.patient_id])
    assert not TreatmentReading.objects.filter(procedure=rfa).exists()


def test_a_large_report_scans_the_rows_and_reads_what_a_small_one_reads_by_id(
    physician_user, monkeypatch
):
    first, rfa = rfa_after_one_block(physician_user)
    followup.follow_up_add(procedure=rfa, days_after=90, pain=2, pgic=7, recorded_by=physician_user)
    _, other = rfa_after_one_block(physician_user)
    by_id = evidence.treated(ReportFilters(profile="asra-2020"))
    monkeypatch.setattr(evidence, "BY_ID_AT_MOST", 0)
    scanned = evidence.treated(ReportFilters(profile="asra-2020"))
    pd.testing.assert_frame_equal(by_id, scanned)
    assert list(scanned["id"]) == [rfa.pk, other.pk]
    assert list(scanned["relief_90"].fillna(-1)) == [75.0, -1]


def test_the_report_names_its_treatments_from_its_own_blocks_as_the_query_does(physician_user):
    from reports import data

    first, rfa = rfa_after_one_block(physician_user)
    followup.follow_up_add(procedure=rfa, days_after=90, pain=2, pgic=7, recorded_by=physician_user)
    filters = ReportFilters(profile="cms-2021")
    loaded = data.load(filters)
    pd.testing.assert_frame_equal(
        evidence.treated(filters, blocks=loaded.blocks), evidence.treated(filters)
    )
    assert list(evidence.treated(filters, blocks=loaded.blocks)["id"]) == [rfa.pk]


def test_the_stored_points_are_every_profiles_follow_up_schedule():
    from blocks.rules import PROFILES
    from reports.store.treatments import POINTS

    assert {profile.follow_up_days for profile in PROFILES.values()} == {POINTS}
    stored = {f.name for f in TreatmentReading._meta.get_fields()}
    assert {f"relief_{point}" for point in POINTS} <= stored
