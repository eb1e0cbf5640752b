"""Correcting a diary score and withdrawing one (API_CONTRACT v1.1 "Records"): the stored
values, the history naming the user, the block's readings re-read, a stale version refused,
and a withdrawn score read by nothing."""

import pytest
from django.core.exceptions import ValidationError

from blocks import services
from blocks.audit.history import procedure_history
from blocks.models import PainScore, Procedure
from blocks.services.records import MarkedEnteredInError
from reports.models import BlockReading
from reports.store.engine_input import load_for_patients

PROFILE = "cms-2021"


def the_score(procedure) -> PainScore:
    return procedure.pain_scores.get(minutes_after=30)


def relief(procedure) -> float | None:
    return BlockReading.objects.get(procedure=procedure, profile=PROFILE).relief_percent


# --- the service -----------------------------------------------------------------------------


def test_a_correction_stores_the_new_value_bumps_the_version_and_rereads_the_block(
    procedure, physician_user
):
    score = the_score(procedure)
    assert round(relief(procedure), 1) == 85.7  # 7 before, 1 at 30 minutes

    corrected = services.pain_score_correct(
        score=score, expected_version=1, corrected_by=physician_user, score_value=4
    )

    stored = PainScore.objects.get(pk=score.pk)
    assert (stored.score, stored.minutes_after, stored.version) == (4, 30, 2)
    assert corrected.version == 2
    assert round(relief(procedure), 1) == 42.9  # (7 - 4) / 7
    reading = BlockReading.objects.get(procedure=procedure, profile=PROFILE)
    assert reading.diary_points == 1


def test_the_correction_is_in_the_procedure_history_under_the_signed_in_user(
    procedure, physician_user
):
    services.pain_score_correct(
        score=the_score(procedure),
        expected_version=1,
        corrected_by=physician_user,
        patient_reported_relief_percent=50,
    )

    entry = next(e for e in procedure_history(procedure) if e.record == "pain_score")
    assert (entry.action, entry.by, entry.version) == ("changed", "dr.pat", 2)
    changes = {c.field: (c.before, c.after) for c in entry.changes}
    assert changes["patient_reported_relief_percent"] == (90, 50)
    assert changes["version"] == (1, 2)


def test_a_stale_version_is_refused_and_nothing_changes(procedure, physician_user, staff_user):
    score = the_score(procedure)
    services.pain_score_correct(
        score=score, expected_version=1, corrected_by=staff_user, score_value=2
    )

    with pytest.raises(services.StaleVersion) as stale:
        services.pain_score_correct(
            score=score, expected_version=1, corrected_by=physician_user, score_value=5
        )

    assert stale.value.current.version == 2
    assert PainScore.objects.get(pk=score.pk).score == 2


def test_a_correction_to_a_minute_already_scored_is_refused(procedure, staff_user):
    services.pain_score_add(procedure=procedure, minutes_after=60, score=2, recorded_by=staff_user)

    with pytest.raises(ValidationError) as refused:
        services.pain_score_correct(
            score=the_score(procedure),
            expected_version=1,
            corrected_by=staff_user,
            minutes_after=60,
        )

    assert refused.value.message_dict == {
        "minutes_after": ["This procedure already has a score at 60 minutes."]
    }


def test_no_correction_under_a_procedure_entered_in_error(procedure, staff_user):
    score = the_score(procedure)
    services.mark_entered_in_error(record=procedure, reason="Wrong patient", user=staff_user)

    with pytest.raises(MarkedEnteredInError) as refused:
        services.pain_score_correct(
            score=score, expected_version=1, corrected_by=staff_user, score_value=3
        )

    assert refused.value.kind == "procedure"
    assert PainScore.objects.get(pk=score.pk).score == 1


def test_a_withdrawn_score_is_kept_flagged_and_read_by_nothing(procedure, staff_user):
    score = the_score(procedure)

    services.pain_score_mark_entered_in_error(score=score, reason="Typed twice", user=staff_user)

    stored = PainScore.objects.get(pk=score.pk)
    assert (stored.entered_in_error, stored.entered_in_error_reason, stored.version) == (
        True,
        "Typed twice",
        2,
    )
    assert stored.entered_in_error_by == staff_user
    reading = BlockReading.objects.get(procedure=procedure, profile=PROFILE)
    assert (reading.relief_percent, reading.diary_points) == (None, 0)
    (loaded,) = load_for_patients([procedure.episode.patient_id])
    assert loaded.block.pain_scores == ()
    # Its minute is free again for the right score.
    services.pain_score_add(procedure=procedure, minutes_after=30, score=3, recorded_by=staff_user)
    assert round(relief(procedure), 1) == 57.1


def test_a_withdrawn_score_cannot_be_corrected(procedure, staff_user):
    score = the_score(procedure)
    services.pain_score_mark_entered_in_error(score=score, reason="Typed twice", user=staff_user)

    with pytest.raises(MarkedEnteredInError):
        services.pain_score_correct(
            score=score, expected_version=2, corrected_by=staff_user, score_value=3
        )


# --- the API ---------------------------------------------------------------------------------


def test_patch_corrects_a_score_and_the_procedure_shows_it(staff_client, procedure):
    score = the_score(procedure)

    response = staff_client.patch(
        f"/api/pain-scores/{score.pk}/", {"version": 1, "score": 3}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["version"], body["score"], body["minutes_after"]) == (
        score.pk,
        2,
        3,
        30,
    )
    assert (body["source"], body["late"]) == ("staff", False)
    assert body["entered_at"] == body["recorded_at"]
    shown = staff_client.get(f"/api/procedures/{procedure.pk}/").json()
    assert [
        (s["id"], s["version"], s["score"], s["source"], s["late"]) for s in shown["pain_scores"]
    ] == [(score.pk, 2, 3, "staff", False)]
    assert shown["interpretation"]["relief_percent"] == 57.1


def test_patch_with_a_stale_version_is_409_with_the_current_score(staff_client, procedure):
    score = the_score(procedure)
    staff_client.patch(f"/api/pain-scores/{score.pk}/", {"version": 1, "score": 3}, format="json")

    response = staff_client.patch(
        f"/api/pain-scores/{score.pk}/", {"version": 1, "score": 6}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert "sam.staff" in body["detail"] and "nothing was overwritten" in body["detail"]
    assert (body["current"]["score"], body["current"]["version"]) == (3, 2)
    assert PainScore.objects.get(pk=score.pk).score == 3


def test_patch_refuses_bad_values_naming_the_field(staff_client, procedure):
    score = the_score(procedure)
    url = f"/api/pain-scores/{score.pk}/"

    assert staff_client.patch(url, {"score": 3}, format="json").json() == {
        "version": ["This field is required."]
    }
    too_high = staff_client.patch(url, {"version": 1, "score": 11}, format="json")
    assert too_high.status_code == 400
    assert list(too_high.json()) == ["score"]
    assert PainScore.objects.get(pk=score.pk).version == 1


def test_quality_may_not_correct_and_an_unknown_score_is_404(
    quality_client, staff_client, procedure
):
    score = the_score(procedure)

    assert (
        quality_client.patch(
            f"/api/pain-scores/{score.pk}/", {"version": 1, "score": 3}, format="json"
        ).status_code
        == 403
    )
    assert (
        quality_client.post(
            f"/api/pain-scores/{score.pk}/entered-in-error/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        staff_client.patch(
            "/api/pain-scores/999999/", {"version": 1, "score": 3}, format="json"
        ).status_code
        == 404
    )


def test_post_entered_in_error_withdraws_the_score(staff_client, procedure):
    score = the_score(procedure)

    response = staff_client.post(
        f"/api/pain-scores/{score.pk}/entered-in-error/", {"reason": "Typed twice"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["entered_in_error"], body["entered_in_error_reason"], body["version"]) == (
        True,
        "Typed twice",
        2,
    )
    shown = staff_client.get(f"/api/procedures/{procedure.pk}/").json()
    assert shown["pain_scores"] == []
    assert staff_client.get(f"/api/procedures/{procedure.pk}/pain-scores/").json() == []


def test_a_correction_under_a_procedure_entered_in_error_is_409(staff_client, procedure):
    score = the_score(procedure)
    staff_client.post(
        f"/api/procedures/{procedure.pk}/entered-in-error/", {"reason": "Wrong"}, format="json"
    )

    response = staff_client.patch(
        f"/api/pain-scores/{score.pk}/", {"version": 1, "score": 3}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "procedure", "id": procedure.pk}
    assert Procedure.objects.get(pk=procedure.pk).pain_scores.get().score == 1


def test_a_correction_of_a_withdrawn_score_is_409_naming_the_score(staff_client, procedure):
    # Found by the fuzzer: the 409 named the record "painscore", outside the schema's enum.
    score = the_score(procedure)
    staff_client.post(
        f"/api/pain-scores/{score.pk}/entered-in-error/", {"reason": "Typed twice"}, format="json"
    )

    response = staff_client.patch(
        f"/api/pain-scores/{score.pk}/", {"version": 2, "score": 3}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "pain_score", "id": score.pk}
    assert PainScore.objects.get(pk=score.pk).score == 1
