"""Correcting a procedure on the one procedure page: the create form's look, only the changed
fields sent, the performer, the screening and the diary grid corrected in the same submit."""

import pytest

from blocks.audit.history import procedure_history
from blocks.models import PainScore, Procedure
from reports.models import BlockReading
from tests.factories import UserFactory
from tests.pages.conftest import edit_post
from tests.pages.markup import unlabelled_inputs

pytestmark = pytest.mark.django_db


def url(procedure):
    return f"/procedures/{procedure.pk}/edit/"


def row_of(procedure, minutes: int) -> int:
    """The grid row of the standing score at these minutes (rows are in minute order)."""
    minutes_in_order = list(
        procedure.pain_scores.active()
        .order_by("minutes_after")
        .values_list("minutes_after", flat=True)
    )
    return minutes_in_order.index(minutes)


def test_the_edit_page_is_the_procedure_form_in_the_clinics_words(staff, block):
    procedure = block()
    page = staff.get(url(procedure)).content.decode()

    assert "Edit the procedure of 02 Mar 2026" in page  # a date and a kind, not an id
    assert '<option value="medial_branch_block" selected>Medial branch block</option>' in page
    assert 'name="levels" value="L4-L5"' in page and 'data-kinds="' in page  # checkboxes
    assert 'value="L4-L5" id="id_levels_' in page and "checked" in page
    assert "Anaesthetic volume per level (mL)" in page and "Anesthetic" not in page
    assert "medial_branch_block</" not in page and ">Ct<" not in page
    assert '<option value="ct">CT</option>' in page
    assert f'href="/episodes/{procedure.episode_id}/">Cancel</a>' in page
    assert 'type="hidden" name="version" value="1"' in page
    assert 'name="diary-0-version" value="1"' in page
    assert "js/procedure-form.js" in page
    assert unlabelled_inputs(page) == []


def test_a_save_goes_back_to_the_episode_with_a_message_and_sends_only_the_change(
    staff, block, staff_user
):
    procedure = block()
    response = staff.post(url(procedure), edit_post(procedure, pre_pain="6"), follow=True)

    assert response.redirect_chain == [
        (f"/episodes/{procedure.episode_id}/#procedure-{procedure.pk}", 302)
    ]
    assert "Medial branch block saved (version 2)." in response.content.decode()
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.pre_pain, stored.version) == (6, 2)
    entry = next(e for e in procedure_history(procedure) if e.record == "procedure")
    assert entry.by == "sam.staff"
    assert {c.field for c in entry.changes} == {"pre_pain", "version"}
    assert PainScore.objects.filter(procedure=procedure, version=1).count() == 4


def test_an_untouched_submit_changes_nothing(staff, block):
    procedure = block()
    response = staff.post(url(procedure), edit_post(procedure))

    assert response.status_code == 302
    assert Procedure.objects.get(pk=procedure.pk).version == 1
    assert procedure.history.count() == 1


def test_levels_that_do_not_fit_are_explained_as_on_create(staff, block):
    procedure = block()
    page = staff.post(url(procedure), edit_post(procedure, levels=["L5"])).content.decode()

    assert "L5 does not fit a medial branch block in a lumbar episode: it names a segment" in page
    assert Procedure.objects.get(pk=procedure.pk).levels == ["L4-L5", "L5-S1"]


def test_the_performing_physician_is_corrected(staff, block, physician_user):
    procedure = block()
    other = UserFactory(username="dr.lee", roles=["physician"], first_name="Lee", last_name="Ng")

    response = staff.post(url(procedure), edit_post(procedure, performed_by=str(other.pk)))

    assert response.status_code == 302
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.performed_by, stored.version) == (other, 2)
    entry = next(e for e in procedure_history(procedure) if e.record == "procedure")
    changes = {c.field: (c.before, c.after) for c in entry.changes}
    assert changes["performed_by"] == ("dr.pat", "dr.lee")
    assert entry.by == "sam.staff"


def test_the_screening_is_corrected_with_its_history(staff, block):
    procedure = block()

    response = staff.post(
        url(procedure), edit_post(procedure, contraindications=["uncontrolled_diabetes"])
    )

    assert response.status_code == 302
    stored = Procedure.objects.get(pk=procedure.pk)
    assert stored.screening.contraindications == ["uncontrolled_diabetes"]
    assert stored.version == 2
    entry = next(e for e in procedure_history(procedure) if e.record == "screening")
    assert (entry.action, entry.by) == ("changed", "sam.staff")
    assert {c.field: (c.before, c.after) for c in entry.changes}["contraindications"] == (
        [],
        ["uncontrolled_diabetes"],
    )


def test_a_new_hard_stop_needs_a_physicians_override_as_on_create(
    staff, physician, block, physician_user
):
    procedure = block()
    data = edit_post(procedure, contraindications=["bleeding_disorder"])

    refused = staff.post(url(procedure), data)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Hard stop: Bleeding disorder. Only a physician can override it" in page
    assert Procedure.objects.get(pk=procedure.pk).screening.contraindications == []

    asked = physician.post(url(procedure), data).content.decode()
    assert "write the reason in “Override reason”" in asked
    data["override_reason"] = "INR 1.1 this morning; haematology agreed."
    assert physician.post(url(procedure), data).status_code == 302
    screening = Procedure.objects.get(pk=procedure.pk).screening
    assert screening.contraindications == ["bleeding_disorder"]
    assert (screening.overridden_by, screening.override_reason) == (
        physician_user,
        "INR 1.1 this morning; haematology agreed.",
    )
    # The override stands: the next edit does not ask for it again.
    again = Procedure.objects.get(pk=procedure.pk)
    assert physician.post(url(again), edit_post(again, pre_pain="6")).status_code == 302


def test_diary_scores_are_corrected_withdrawn_and_added_in_one_submit(staff, block):
    procedure = block()
    relief_before = BlockReading.objects.get(procedure=procedure, profile="cms-2021")
    assert relief_before.relief_percent == pytest.approx(85.7, abs=0.05)
    at_15, at_180 = row_of(procedure, 15), row_of(procedure, 180)
    new_row = procedure.pain_scores.count()
    data = edit_post(
        procedure,
        **{
            f"diary-{at_15}-score": "4",
            f"diary-{at_15}-patient_reported_relief_percent": "40",
            f"diary-{at_180}-entered_in_error": "on",
            f"diary-{at_180}-error_reason": "Belongs to the other side",
            f"diary-{new_row}-minutes_after": "240",
            f"diary-{new_row}-score": "6",
        },
    )

    response = staff.post(url(procedure), data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    standing = PainScore.objects.active().filter(procedure=procedure).order_by("minutes_after")
    assert [
        (s.minutes_after, s.score, s.patient_reported_relief_percent, s.version) for s in standing
    ] == [(15, 4, 40, 2), (30, 1, None, 1), (90, 1, None, 1), (240, 6, None, 1)]
    withdrawn = PainScore.objects.get(procedure=procedure, minutes_after=180)
    assert (withdrawn.entered_in_error, withdrawn.entered_in_error_reason) == (
        True,
        "Belongs to the other side",
    )
    assert Procedure.objects.get(pk=procedure.pk).version == 1  # the procedure itself unchanged
    reading = BlockReading.objects.get(procedure=procedure, profile="cms-2021")
    assert reading.diary_points == 4
    assert reading.relief_percent == pytest.approx(85.7, abs=0.05)  # lowest score still 1
    by = {(e.label, e.action): e.by for e in procedure_history(procedure)}
    assert by[("Pain score at 15 min", "changed")] == "sam.staff"
    assert by[("Pain score at 180 min", "changed")] == "sam.staff"
    assert by[("Pain score at 240 min", "created")] == "sam.staff"


def test_a_withdrawal_needs_its_reason(staff, block):
    procedure = block()
    row = row_of(procedure, 30)
    data = edit_post(procedure, **{f"diary-{row}-entered_in_error": "on"})

    response = staff.post(url(procedure), data)

    assert response.status_code == 400
    assert "Say why this score was entered in error." in response.content.decode()
    assert not PainScore.objects.filter(entered_in_error=True).exists()


def test_a_stale_diary_row_is_a_conflict_and_nothing_is_written(staff, block, physician_user):
    from blocks import services

    procedure = block()
    row = row_of(procedure, 30)
    opened = edit_post(procedure, pre_pain="5", **{f"diary-{row}-score": "3"})
    score = procedure.pain_scores.get(minutes_after=30)
    services.pain_score_correct(
        score=score, expected_version=1, corrected_by=physician_user, score_value=2
    )

    response = staff.post(url(procedure), opened)

    assert response.status_code == 409
    page = response.content.decode()
    assert "A diary score of this procedure was changed by dr.pat at" in page
    assert "nothing was overwritten" in page
    assert f'name="diary-{row}-version" value="2"' in page
    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.pre_pain, stored.version) == (7, 1)  # rolled back with the row
    assert PainScore.objects.get(pk=score.pk).score == 2


def test_the_conflict_table_shows_the_clinics_words(staff, physician, block):
    procedure = block()
    opened = edit_post(procedure, guidance="ct")
    physician.post(url(procedure), edit_post(procedure, side="left"))

    page = staff.post(url(procedure), opened).content.decode()

    assert "<tr><td>Image guidance</td><td>CT</td><td>Fluoroscopy</td></tr>" in page


def test_a_forged_diary_row_id_is_refused(staff, block, episode, physician_user):
    procedure = block()
    other = block(days=20)
    foreign = other.pain_scores.first()
    data = edit_post(procedure, **{"diary-0-id": str(foreign.pk), "diary-0-score": "9"})

    response = staff.post(url(procedure), data)

    assert response.status_code == 400
    assert "not a standing score of this procedure" in response.content.decode()
    assert PainScore.objects.get(pk=foreign.pk).score == foreign.score
