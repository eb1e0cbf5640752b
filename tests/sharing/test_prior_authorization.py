"""GET /api/episodes/{id}/prior-authorization/: the RFA request packet as a PDF.

The test reads the PDF's text back and finds what a payer's reviewer looks for: each
qualifying block's date and relief, the rule and profile met, the attestation line.
"""

import pytest

from tests.factories import EpisodeFactory, ProcedureFactory
from tests.sharing.pdf_text import page_count, pdf_text, require_weasyprint

pytestmark = pytest.mark.usefixtures("weasyprint_ready")


@pytest.fixture
def weasyprint_ready():
    require_weasyprint()


def packet(client, episode_id, **params):
    return client.get(f"/api/episodes/{episode_id}/prior-authorization/", params)


def test_the_packet_names_each_qualifying_block_with_its_date_and_relief(
    physician_client, rfa_episode
):
    _, episode_id, _ = rfa_episode

    response = packet(physician_client, episode_id)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "02 Mar 2026" in text
    assert "16 Mar 2026" in text
    assert text.count("85.7 %") == 2
    assert page_count(response.content) <= 2


def test_the_packet_holds_the_patient_episode_rule_and_attestation(
    physician_client, physician_user, rfa_episode
):
    _, episode_id, _ = rfa_episode

    text = pdf_text(packet(physician_client, episode_id).content)

    for expected in (
        "SHARE-001",
        "02 Apr 1961",
        "Lumbar",
        "12 weeks",
        "mbb.rfa.dual-block",
        "cms-2021",
        "64635 [S]",
        "1/10 at 30 min",
        "60 min",
        "240 min",
        "Lidocaine, 0.5 mL per level",
        "Bupivacaine, 0.5 mL per level",
        "Fluoroscopy, contrast used, flow confirmed",
        "None recorded.",
        "Physician's attestation",
        f"Physician: {physician_user.get_full_name() or physician_user.get_username()}",
    ):
        assert expected in text, expected


def test_complications_of_the_episode_are_listed(physician_client, rfa_episode):
    _, episode_id, procedure_ids = rfa_episode
    response = physician_client.post(
        f"/api/procedures/{procedure_ids[0]}/complications/",
        {"code": "vasovagal", "severity": "mild", "onset_days": 0},
        format="json",
    )
    assert response.status_code == 201, response.json()

    text = pdf_text(packet(physician_client, episode_id).content)

    assert "Vasovagal" in text
    assert "None recorded." not in text


def test_an_episode_without_an_rfa_suggestion_is_a_409(physician_client, rfa_episode):
    _, episode_id, _ = rfa_episode

    # One block with no diary score yet suggests recording scores, not RFA.
    lone = ProcedureFactory(episode=EpisodeFactory()).episode_id
    response = packet(physician_client, lone)

    assert response.status_code == 409
    assert "radiofrequency ablation" in response.json()["detail"]


def test_staff_prepare_the_packet_and_quality_may_not(staff_client, quality_client, rfa_episode):
    _, episode_id, _ = rfa_episode

    assert packet(staff_client, episode_id).status_code == 200
    assert packet(quality_client, episode_id).status_code == 403
