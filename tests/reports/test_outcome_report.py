"""The outcome report on a small clinic in the database: exact figures, filters, queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blocks.models import Patient
from blocks.services.decisions import decision_record
from reports.filters import ReportFilters
from reports.models import BlockReading
from reports.outcomes import outcome_report
from reports.store.readings import store_for_patients
from tests.factories import EpisodeFactory, PatientFactory
from tests.reports.clinic import block, small_clinic


def table(report, name):
    return report.tables[name]


def test_the_yield_counts_the_engine_readings(physician_user):
    small_clinic(physician_user)
    report = outcome_report(ReportFilters(profile="cms-2021"))
    yields = table(report, "diagnostic_yield").set_index("kind")
    mbb = yields.loc["medial_branch_block"]
    assert (mbb["blocks"], mbb["positive"], mbb["negative"]) == (3, 2, 1)
    assert (mbb["positive_percent"], mbb["negative_percent"]) == (66.7, 33.3)
    assert (mbb["relief_mean"], mbb["relief_median"]) == (61.9, 85.7)
    assert yields.loc["transforaminal_epidural", "positive_percent"] == 100.0
    assert (yields.loc["all", "blocks"], yields.loc["all", "positive_percent"]) == (4, 75.0)


def test_pathways_safety_and_volume(physician_user):
    small_clinic(physician_user)
    report = outcome_report(ReportFilters())
    conversion = table(report, "mbb_rfa_conversion").set_index("step")["episodes"]
    assert conversion.tolist() == [1, 1, 1, 1]
    negatives = table(report, "negative_blocks_outcome").set_index("kind")
    assert negatives.loc["medial_branch_block"].tolist() == [1, 1, 100.0]
    complications = table(report, "complications_by_code")
    assert complications[["code", "severity", "events", "per_100_procedures"]].values.tolist() == [
        ["nerve_injury", "moderate", 1, 20.0]
    ]
    serious = table(report, "serious_events")
    assert serious["code"].tolist() == ["nerve_injury"]
    assert serious["patient"].str.startswith("P-").all()
    overrides = table(report, "hard_stop_overrides").set_index("code")["overrides"]
    assert overrides["anticoagulant_not_held"] == 1
    assert table(report, "volume_by_month").values.tolist() == [
        ["2025-03", 3],
        ["2025-04", 1],
        ["2025-05", 1],
    ]


def test_decisions_on_the_engines_suggestions(physician_user):
    clinic = small_clinic(physician_user)
    root_episode = clinic["episodes"][1]
    negative, positive_root = clinic["procedures"][3], clinic["procedures"][4]
    decision_record(
        episode=root_episode,
        status="declined",
        reason="Patient wants to wait and see",
        decided_by=physician_user,
        profile="cms-2021",
        code="evaluate_other_source",
        side="left",
        levels=negative.levels,
    )
    decision_record(
        episode=root_episode,
        status="accepted",
        decided_by=physician_user,
        profile="cms-2021",
        code="therapeutic_epidural_injection",
        side="left",
        levels=positive_root.levels,
    )
    report = outcome_report(ReportFilters(profile="cms-2021"))
    codes = table(report, "decisions_by_code").set_index("code")
    assert codes.loc[
        "evaluate_other_source", ["suggestions", "declined", "undecided"]
    ].tolist() == [
        1,
        1,
        0,
    ]
    assert codes.loc["therapeutic_epidural_injection", "accepted"] == 1
    themes = table(report, "decline_themes").set_index("theme")["declines"]
    assert themes["patient_preference"] == 1
    other_profile = outcome_report(ReportFilters(profile="asra-2020"))
    assert table(other_profile, "decisions_by_code")["accepted"].sum() == 0


@pytest.mark.parametrize(
    ("filters", "procedures"),
    [
        ({"kind": "medial_branch_block"}, 3),
        ({"region": "lumbar"}, 5),
        ({"side": "left"}, 2),
        ({"date_from": dt.date(2025, 4, 1)}, 2),
        ({"date_to": dt.date(2025, 3, 30)}, 3),
    ],
)
def test_filters_narrow_the_blocks(physician_user, filters, procedures):
    small_clinic(physician_user)
    report = outcome_report(ReportFilters(**filters))
    assert table(report, "volume_by_kind")["procedures"].sum() == procedures


def test_the_physician_filter_takes_a_username_or_an_id(physician_user, quality_user):
    from reports.filters import parse_filters

    small_clinic(physician_user)
    for who in (physician_user.username, str(physician_user.pk)):
        filters, errors = parse_filters({"physician": who})
        assert not errors
        assert table(outcome_report(filters), "volume_by_kind")["procedures"].sum() == 5
    filters, _ = parse_filters({"physician": quality_user.username})
    assert table(outcome_report(filters), "volume_by_kind")["procedures"].sum() == 0
    _, errors = parse_filters({"physician": "nobody-at-all"})
    assert errors == {"physician": ["No user 'nobody-at-all'."]}


def test_missing_or_stale_readings_are_computed_on_the_fly(physician_user):
    small_clinic(physician_user)
    stored = outcome_report(ReportFilters())
    BlockReading.objects.filter(procedure__kind="medial_branch_block").delete()
    BlockReading.objects.filter(procedure__kind="transforaminal_epidural").update(
        engine_version="0.0.1", response="negative"
    )
    recomputed = outcome_report(ReportFilters())
    assert recomputed.recomputed == 4
    for name, frame in stored.tables.items():
        assert recomputed.tables[name].equals(frame), name


def many_patients(physician, count):
    for n in range(count):
        patient = PatientFactory(mrn=f"Q-{n}")
        episode = EpisodeFactory(patient=patient, created_by=physician)
        block(episode, physician, days=n)
        block(episode, physician, days=n + 20, anesthetic="bupivacaine")
        block(episode, physician, days=n + 40, points=((30, 7),))


def report_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        outcome_report(ReportFilters())
    return len(captured)


def test_the_report_costs_the_same_queries_for_one_or_many_procedures(physician_user):
    patient = PatientFactory(mrn="ONE")
    block(EpisodeFactory(patient=patient, created_by=physician_user), physician_user)
    store_for_patients([patient.pk])
    one = report_queries()
    many_patients(physician_user, 25)
    store_for_patients(Patient.objects.values_list("pk", flat=True))
    assert report_queries() == one
