"""The clinic's own evidence (CLINICAL_RULES section 10): exact counts, shares, Wilson
intervals and the Kaplan-Meier median per treatment kind and selection group."""

import datetime as dt

import pytest

from reports import evidence
from reports.filters import ReportFilters
from tests.factories import (
    BASE_TIME,
    EpisodeFactory,
    FollowUpFactory,
    PainScoreFactory,
    ProcedureFactory,
)

pytestmark = pytest.mark.django_db


def selected_rfa(user, follow_ups, *, blocks=True):
    """Two medial branch blocks at 90 % (days 0 and 14), an RFA on day 30, its follow-ups."""
    episode = EpisodeFactory(created_by=user)
    if blocks:
        for day in (0, 14):
            block = ProcedureFactory(
                episode=episode, performed_at=BASE_TIME + dt.timedelta(day), pre_pain=10
            )
            PainScoreFactory(procedure=block, minutes_after=30, score=1)
            PainScoreFactory(procedure=block, minutes_after=120, score=1)
            PainScoreFactory(procedure=block, minutes_after=240, score=7)
    rfa = ProcedureFactory(
        episode=episode,
        kind="radiofrequency_ablation",
        intent="therapeutic",
        performed_at=BASE_TIME + dt.timedelta(30),
        pre_pain=8,
    )
    for days, pain, pgic in follow_ups:
        FollowUpFactory(procedure=rfa, days_after=days, pain=pain, pgic=pgic)
    return rfa


def rows(profile="cms-2021"):
    filters = ReportFilters(profile=profile)
    table = evidence.evidence_table(evidence.treated(filters), profile)
    return {
        row["group"]: row
        for row in table.to_dict(orient="records")
        if row["treatment"] == "radiofrequency_ablation"
    }


def test_each_group_counts_its_treatments_shares_and_median_benefit(staff_user):
    selected_rfa(staff_user, [(90, 2, 7), (180, 6, 6)])  # 75 %, then 25 %: benefit 90 days
    selected_rfa(staff_user, [(92, 4, 6), (178, 3, 5)])  # 50 %, 62.5 %: censored at 178
    selected_rfa(staff_user, [(88, 6, 3)])  # 25 % from the first: benefit 0
    selected_rfa(staff_user, [(90, 1, 7)], blocks=False)  # no blocks: a deviation
    found = rows()
    dual = found["dual-80"]
    assert dual["treatment"] == "radiofrequency_ablation"
    assert (
        dual["treated"],
        dual["followed_90"],
        dual["substantial_90"],
        dual["meaningful_90"],
    ) == (
        3,
        3,
        2,
        2,
    )
    assert dual["substantial_90_percent"] == 66.7
    assert (dual["substantial_90_ci_low"], dual["substantial_90_ci_high"]) == (20.8, 93.9)
    assert (dual["followed_180"], dual["substantial_180"], dual["meaningful_180"]) == (2, 1, 1)
    assert dual["pgic_responders_90"] == 2
    # Kaplan-Meier: 0 (event), 90 (event), 178 (censored): S(0) = 2/3, S(90) = 1/3.
    assert dual["median_benefit_days"] == 90
    assert bool(dual["small_group"]) is True
    deviation = found["no-qualifying-selection"]
    assert (deviation["treated"], deviation["followed_90"], deviation["substantial_90"]) == (
        1,
        1,
        1,
    )


def test_a_follow_up_more_than_14_days_from_the_point_is_not_followed(staff_user):
    selected_rfa(staff_user, [(105, 2, 7)])
    dual = rows()["dual-80"]
    assert (dual["treated"], dual["followed_90"], dual["substantial_90_percent"]) == (1, 0, None)


def test_a_low_pre_treatment_pain_is_left_out_of_the_shares(staff_user):
    rfa = selected_rfa(staff_user, [(90, 0, 7)])
    rfa.pre_pain = 2
    rfa.save()
    dual = rows()["dual-80"]
    assert (dual["treated"], dual["followed_90"], dual["median_benefit_days"]) == (1, 0, None)


def test_the_api_answers_rows_and_a_spreadsheet(staff_user, physician_user):
    from rest_framework.test import APIClient

    selected_rfa(staff_user, [(90, 2, 7)])
    client = APIClient()
    client.force_authenticate(physician_user)
    body = client.get("/api/reports/treatment-outcomes/").json()
    assert [(r["treatment"], r["group"], r["treated"]) for r in body["rows"]] == [
        ("radiofrequency_ablation", "dual-80", 1)
    ]
    assert {"substantial_90_ci_low", "median_benefit_days", "small_group"} <= set(body["rows"][0])
    described = {(d["table"], d["column"]) for d in body["dictionary"]}
    assert ("treatment_outcomes", "substantial_90_ci_high") in described
    csv = client.get("/api/reports/treatment-outcomes/?format=csv")
    assert csv.status_code == 200
    assert csv.content.decode().splitlines()[0].startswith("treatment,group,treated,followed_90")
    assert client.get("/api/reports/treatment-outcomes/?format=xlsx").status_code == 200
    assert client.get("/api/reports/treatment-outcomes/?format=pdf").status_code == 400


def test_the_synthetic_clinic_shows_outcomes_that_differ_by_selection_group():
    from reports.synthetic import make_clinic

    make_clinic(procedures=1500, seed=7)
    rfa = rows()
    assert {"no-qualifying-selection", "single-80"} <= set(rfa)
    dual = [r for g, r in rfa.items() if g.startswith("dual-80")]
    best = max(dual, key=lambda r: r["treated"])
    assert best["followed_90"] >= 10 and not best["small_group"]
    assert best["substantial_180_percent"] > rfa["single-80"]["substantial_180_percent"]
    assert best["median_benefit_days"] > rfa["no-qualifying-selection"]["median_benefit_days"]


def test_the_evidence_sheets_and_columns_have_clinical_headers():
    from reports.labels import COLUMNS, SHEETS

    assert SHEETS["treatment_outcomes"] == "Outcome by selection"
    for column in [*evidence.COLUMNS, "days_after", "benefit_continuing_percent"]:
        assert column in COLUMNS, column
    assert COLUMNS["substantial_90_ci_low"] == "Substantial relief at 90 days, 95 % CI low (%)"
    assert COLUMNS["median_benefit_days"] == "Median duration of benefit (days, Kaplan-Meier)"


def test_the_page_names_each_selection_group_in_words(staff_user, client, quality_user):
    from blocks.rules.followup import GROUPS
    from reports.labels import SELECTION_GROUPS

    assert set(SELECTION_GROUPS) == set(GROUPS)
    selected_rfa(staff_user, [(90, 2, 7)])
    client.force_login(quality_user)
    page = client.get("/reports/", {"from": "", "to": ""}).content.decode()
    assert SELECTION_GROUPS["dual-80"] in page
    assert ">dual-80<" not in page
