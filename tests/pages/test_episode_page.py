"""The episode page: timeline, readings in words, diary charts, next steps and decisions."""

import pytest

from blocks.models import Complication, PainScore
from tests.pages.markup import inline_code, text, unlabelled_inputs

pytestmark = pytest.mark.django_db


def page_of(client, episode) -> str:
    response = client.get(f"/episodes/{episode.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_positive_block_reads_positive_in_words_with_its_relief(staff, episode, block):
    first = block()
    page = page_of(staff, episode)
    words = text(page)
    assert f'id="procedure-{first.pk}"' in page
    assert "Response: Positive" in words
    assert "Validity: Valid" in words
    assert "85.7 % (lowest score at 15 min)" in words
    assert "Duration of relief 90 min" in words
    assert "Positive at ≥ 80 % relief" in words


def test_each_block_has_a_diary_chart_with_baseline_and_threshold(staff, episode, block):
    first = block()
    page = page_of(staff, episode)
    assert f'aria-labelledby="chart-{first.pk}-title chart-{first.pk}-desc"' in page
    assert "Before block" in page and "pain 7" in page
    assert "Positive ≤ 1.4" in page
    assert "Evaluation window (lidocaine, 0–180 min)" in page
    assert "Diary scores (4)" in page


def test_the_next_step_card_shows_rationale_rule_source_and_procedures(staff, episode, block):
    first = block()
    page = page_of(staff, episode)
    words = text(page)
    assert "Confirmatory block, right L4-L5, L5-S1" in words
    assert "mbb.confirmatory-block" in page
    assert "Medicare LCD “Facet Joint Interventions for Pain Management”" in page
    assert f'href="#procedure-{first.pk}"' in page
    assert "Agent to use Bupivacaine" in words
    assert "Not before 16 Mar 2026" in words


def test_warnings_and_reasons_are_written_out(staff, episode, block):
    block(anesthetic_volume_ml=1.0, contrast_used=False, contrast_flow_confirmed=False)
    words = text(page_of(staff, episode))
    assert "High volume:" in words
    assert "No contrast:" in words
    assert "Pain fell from 7/10" in words


def test_a_non_diagnostic_block_says_why(staff, episode, block):
    block(guidance="none")
    words = text(page_of(staff, episode))
    assert "Response: Non-diagnostic" in words
    assert "Repeat the block" in words


def test_staff_see_write_forms_but_no_accept_or_decline(staff, episode, block):
    block()
    page = page_of(staff, episode)
    assert "Log a procedure" in page
    assert "Add a diary score" in page
    assert "Record a complication" in page
    assert "Awaiting a physician's decision." in page
    assert 'name="status"' not in page
    assert "Decline" not in page


def test_physicians_see_accept_and_decline(physician, episode, block):
    block()
    page = page_of(physician, episode)
    assert 'value="accepted"' in page and 'value="declined"' in page
    assert "Reason to decline" in page


def test_quality_sees_the_readings_but_no_clinical_write_form(quality, episode, block):
    block()
    page = page_of(quality, episode)
    assert "Response: Positive" in text(page)
    assert "<form" in page  # only the header's profile switcher and sign-out
    assert "Log a procedure" not in page
    assert "Add a diary score" not in page
    assert 'name="status"' not in page
    assert page.count("<form") == 2


def test_the_page_is_labelled_and_has_no_inline_code(physician, episode, block):
    block()
    block(days=15, anesthetic="bupivacaine")
    page = page_of(physician, episode)
    assert unlabelled_inputs(page) == []
    assert inline_code(page) == []


def test_the_decision_is_shown_on_the_episode_page(physician, episode, block, physician_user):
    block()
    block(days=15, anesthetic="bupivacaine")
    page = page_of(physician, episode)
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    physician.post(
        f"/episodes/{episode.pk}/decisions/", {"fingerprint": fingerprint, "status": "accepted"}
    )
    words = text(page_of(physician, episode))
    assert "Accepted by Pat Okafor on" in words
    assert "Decisions on this episode (1)" in words
    assert "Still current" in words


def test_staff_add_a_diary_score_from_the_episode_page(staff, episode, block):
    first = block()
    response = staff.post(
        f"/procedures/{first.pk}/pain-scores/new/", {"minutes_after": 240, "score": 6}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}/#procedure-{first.pk}"
    assert PainScore.objects.filter(procedure=first, minutes_after=240, score=6).exists()


def test_a_bad_diary_score_comes_back_beside_the_field_with_the_values(staff, episode, block):
    first = block()
    response = staff.post(
        f"/procedures/{first.pk}/pain-scores/new/", {"minutes_after": 30, "score": 3}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_minutes_after_error"' in page
    assert "already has a score at 30 minutes" in page
    assert 'value="3"' in page


def test_staff_record_a_complication(staff, episode, block, staff_user):
    first = block()
    response = staff.post(
        f"/procedures/{first.pk}/complications/new/",
        {"code": "spinal_headache", "severity": "mild", "onset_days": 1},
    )
    assert response.status_code == 302
    complication = Complication.objects.get()
    assert complication.recorded_by == staff_user
    assert "Spinal headache (mild), day 1" in text(page_of(staff, episode))


def test_the_finding_pages_work_on_their_own(staff, episode, block):
    first = block()
    for kind in ("pain-scores", "complications"):
        page = staff.get(f"/procedures/{first.pk}/{kind}/new/").content.decode()
        assert unlabelled_inputs(page) == []
        assert "Medial branch block, right L4-L5, L5-S1" in page


def test_an_entered_in_error_episode_shows_a_banner_and_takes_nothing(
    staff, episode, block, staff_user
):
    from blocks.services import mark_entered_in_error

    block()
    mark_entered_in_error(record=episode, reason="wrong patient", user=staff_user)
    page = page_of(staff, episode)
    assert "Entered in error." in page
    assert "Log a procedure" not in page
    assert "Add a diary score" not in page


def test_a_discography_shows_its_discs_and_no_diary_chart(staff, episode, physician_user):
    from tests.pages.conftest import record_block

    record_block(
        episode,
        performed_by=physician_user,
        kind="provocation_discography",
        levels=["L3-L4", "L4-L5"],
        anesthetic="none",
        pre_pain=None,
        diary=(),
        discs=[
            {"level": "L4-L5", "opening_pressure_psi": 10, "provocation_pressure_psi": 35,
             "pain_score": 8, "concordance": "concordant", "annular_grade": 3},
            {"level": "L3-L4", "opening_pressure_psi": 10, "provocation_pressure_psi": 40,
             "pain_score": 0, "concordance": "none", "annular_grade": 1},
        ],
    )  # fmt: skip
    page = page_of(staff, episode)
    assert "Discs injected" in page
    assert "diary-chart" not in page
    assert "Concordant" in page


@pytest.mark.parametrize(
    ("persona", "edit", "history"),
    [("staff", True, False), ("physician", True, True), ("quality", False, True)],
)
def test_each_record_links_to_its_edit_and_history_pages_by_role(
    request, episode, block, persona, edit, history
):
    first = block()
    page = page_of(request.getfixturevalue(persona), episode)
    assert (f'href="/procedures/{first.pk}/edit/"' in page) is edit
    assert (f'href="/procedures/{first.pk}/history/"' in page) is history
    assert (f'href="/episodes/{episode.pk}/history/"' in page) is history
