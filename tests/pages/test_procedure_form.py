"""Logging a procedure from the page: choices, grids, errors beside fields, hard stops."""

import pytest

from blocks.models import Procedure
from tests.pages.conftest import procedure_post
from tests.pages.markup import unlabelled_inputs

pytestmark = pytest.mark.django_db


def url(episode):
    return f"/episodes/{episode.pk}/procedures/new/"


def test_the_form_offers_the_kinds_and_levels_of_the_episode_region(staff, episode):
    page = staff.get(url(episode)).content.decode()
    assert '<option value="medial_branch_block">Medial branch block</option>' in page
    assert 'value="L4-L5"' in page and 'value="L5"' in page and 'value="SI"' in page
    assert 'value="C5-C6"' not in page  # a cervical segment is not offered in a lumbar episode
    assert 'data-kinds="transforaminal_epidural"' in page  # roots fit a transforaminal block
    assert 'data-kinds="sacroiliac_joint"' in page
    assert "js/procedure-form.js" in page


def test_a_new_block_takes_the_recovery_scores_and_says_where_the_rest_of_the_diary_goes(
    staff, episode
):
    response = staff.get(url(episode))
    rows = [row.initial["minutes_after"] for row in response.context["diary"]]
    assert rows == [15, 30, 45, 60]  # every 15 minutes of the first hour, in recovery
    page = response.content.decode()
    assert "<caption>Scores in recovery</caption>" in page
    assert "the printed card" in page and "by clock time" in page


def test_every_input_of_the_form_has_a_label(staff, physician, episode):
    for client in (staff, physician):
        page = client.get(url(episode)).content.decode()
        assert unlabelled_inputs(page) == []


def test_staff_log_a_block_with_its_diary(staff, episode, physician_user, staff_user):
    response = staff.post(url(episode), procedure_post(performed_by=physician_user))
    procedure = Procedure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}/#procedure-{procedure.pk}"
    assert procedure.performed_by == physician_user
    assert procedure.levels == ["L4-L5", "L5-S1"]
    assert [(s.minutes_after, s.score) for s in procedure.pain_scores.all()] == [
        (15, 1),
        (30, 1),
        (90, 1),
        (180, 5),
    ]


def test_diary_rows_without_a_score_are_ignored(staff, episode, physician_user):
    diary = [(15, 2), (30, None), (60, None)]
    staff.post(url(episode), procedure_post(performed_by=physician_user, diary=diary))
    assert Procedure.objects.get().pain_scores.count() == 1


def test_bad_input_is_shown_beside_the_field_and_the_typed_values_stay(
    staff, episode, physician_user
):
    data = procedure_post(performed_by=physician_user, pre_pain="12", anesthetic_volume_ml="0.7")
    response = staff.post(url(episode), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Procedure.objects.exists()
    assert "Nothing was saved." in page
    assert 'id="id_pre_pain_error"' in page
    assert "Enter a score from 0 to 10." in page
    assert 'aria-describedby="id_pre_pain_helptext id_pre_pain_error"' in page
    assert 'value="12"' in page and 'value="0.7"' in page
    assert 'value="L4-L5" id="id_levels_' in page and "checked" in page
    assert 'name="diary-3-minutes_after" value="180"' in page
    assert 'name="diary-3-score" value="5"' in page


def test_a_level_that_does_not_fit_the_kind_is_explained_in_plain_words(
    staff, episode, physician_user
):
    data = procedure_post(performed_by=physician_user, levels=["L5"])
    page = staff.post(url(episode), data).content.decode()
    assert 'id="id_levels_error"' in page
    assert "L5 does not fit a medial branch block in a lumbar episode: it names a segment" in page


def test_missing_pre_block_pain_is_asked_for(staff, episode, physician_user):
    page = staff.post(
        url(episode), procedure_post(performed_by=physician_user, pre_pain="")
    ).content
    assert (
        "Enter the pain score just before the block (0–10); only a provocation discography "
        "may leave it empty." in page.decode()
    )


def test_a_diary_score_without_minutes_is_an_error_in_its_row(staff, episode, physician_user):
    data = procedure_post(performed_by=physician_user)
    data["diary-0-minutes_after"] = ""
    page = staff.post(url(episode), data).content.decode()
    assert 'id="id_diary-0-minutes_after_error"' in page
    assert "Enter the minutes after the block." in page


def test_two_scores_at_the_same_minute_are_shown_beside_the_diary(staff, episode, physician_user):
    data = procedure_post(performed_by=physician_user, diary=[(30, 1), (30, 2)])
    page = staff.post(url(episode), data).content.decode()
    assert '<ul class="errorlist" id="diary-errors">' in page
    assert "More than one score at 30 minutes after the block." in page
    assert not Procedure.objects.exists()


def test_a_hard_stop_tells_staff_why_and_that_a_physician_must_override(
    staff, episode, physician_user
):
    data = procedure_post(performed_by=physician_user, contraindications=["bleeding_disorder"])
    page = staff.post(url(episode), data).content.decode()
    assert 'id="id_contraindications_error"' in page
    assert "Hard stop: Bleeding disorder. Only a physician can override it" in page
    assert 'name="override_reason"' not in page
    assert not Procedure.objects.exists()


def test_a_physician_sees_the_override_field_and_can_override(physician, episode, physician_user):
    data = procedure_post(performed_by=physician_user, contraindications=["bleeding_disorder"])
    page = physician.post(url(episode), data).content.decode()
    assert "write the reason in “Override reason”" in page
    assert 'name="override_reason"' in page
    assert "hard-stop" in page
    data["override_reason"] = "INR 1.1 this morning; haematology agreed."
    response = physician.post(url(episode), data)
    assert response.status_code == 302
    screening = Procedure.objects.get().screening
    assert screening.overridden_by == physician_user
    assert screening.override_reason.startswith("INR 1.1")


def test_a_physician_cannot_override_for_another_performer(physician, episode):
    from tests.factories import UserFactory

    other = UserFactory(username="dr.other", roles=["physician"])
    data = procedure_post(
        performed_by=other,
        contraindications=["bleeding_disorder"],
        override_reason="Agreed with haematology.",
    )
    page = physician.post(url(episode), data).content.decode()
    assert "An override is recorded by the physician who performed the procedure" in page
    assert not Procedure.objects.exists()


def test_staff_cannot_smuggle_an_override_reason(staff, episode, physician_user):
    data = procedure_post(
        performed_by=physician_user,
        contraindications=["bleeding_disorder"],
        override_reason="I say so",
    )
    staff.post(url(episode), data)
    assert not Procedure.objects.exists()


def test_a_discography_is_logged_with_its_disc_grid(staff, episode, physician_user):
    discs = [
        {"level": "L4-L5", "opening_pressure_psi": 10, "provocation_pressure_psi": 35,
         "pain_score": 8, "concordance": "concordant", "annular_grade": 3},
        {"level": "L3-L4", "opening_pressure_psi": 10, "provocation_pressure_psi": 40,
         "pain_score": 0, "concordance": "none", "annular_grade": 1},
    ]  # fmt: skip
    data = procedure_post(
        performed_by=physician_user,
        kind="provocation_discography",
        levels=["L3-L4", "L4-L5"],
        anesthetic="none",
        anesthetic_volume_ml="",
        pre_pain="",
        diary=[],
        discs=discs,
    )
    response = staff.post(url(episode), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    procedure = Procedure.objects.get()
    assert sorted(d.level for d in procedure.discs.all()) == ["L3-L4", "L4-L5"]


def test_discs_sent_with_another_kind_are_an_error_beside_the_disc_grid(
    staff, episode, physician_user
):
    discs = [{"level": "L4-L5", "concordance": "concordant", "pain_score": 8}]
    data = procedure_post(performed_by=physician_user, discs=discs)
    page = staff.post(url(episode), data).content.decode()
    assert '<ul class="errorlist" id="disc-errors">' in page
    assert "Discs are recorded for a provocation discography only" in page


def test_a_disc_row_needs_its_concordance(staff, episode, physician_user):
    data = procedure_post(
        performed_by=physician_user,
        kind="provocation_discography",
        levels=["L4-L5"],
        anesthetic="none",
        anesthetic_volume_ml="",
        diary=[],
        discs=[{"level": "L4-L5", "pain_score": 8}],
    )
    page = staff.post(url(episode), data).content.decode()
    assert 'id="id_discs-0-concordance_error"' in page


def test_an_entered_in_error_episode_takes_no_procedure(staff, episode, staff_user):
    from blocks.services import mark_entered_in_error

    mark_entered_in_error(record=episode, reason="wrong patient", user=staff_user)
    response = staff.get(url(episode))
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}/"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("performed_at", "99999-01-01T00:00"),
        ("anesthetic_volume_ml", "1e400"),
        ("anesthetic_volume_ml", "NaN"),
        ("pre_pain", "99999999999999999999"),
        ("diary-0-minutes_after", "99999999999"),
        ("kind", "nonsense"),
        ("levels", "X9"),
        ("performed_by", "999999"),
        ("diary-TOTAL_FORMS", "100000"),
    ],
)
def test_odd_input_never_gives_a_server_error(staff, episode, physician_user, field, value):
    data = procedure_post(performed_by=physician_user)
    data[field] = value
    response = staff.post(url(episode), data)
    assert response.status_code in (200, 400)
    assert not Procedure.objects.exists()
