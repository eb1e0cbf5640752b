"""The printable episode summary (page and PDF), and the episode page's links to the papers."""

import pytest
from django.test import Client

from tests.sharing.pdf_text import pdf_text, require_weasyprint


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_summary_shows_the_record_without_navigation_or_controls(physician_user, rfa_episode):
    _, episode_id, _ = rfa_episode

    response = signed_in(physician_user).get(f"/episodes/{episode_id}/summary/")

    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Episode summary",
        "SHARE-001",
        "02 Mar 2026, 09:30",
        "16 Mar 2026, 09:30",
        "85.7 % (lowest score at 30 min)",
        "Radiofrequency ablation (RFA), right L4-L5, L5-S1",
        "Awaiting a physician's decision",
        "css/print.css",
    ):
        assert expected in html, expected
    for control in ("<form", "<nav", "<button", "<details", "tracker.css", "<script"):
        assert control not in html, control


def test_the_summary_is_also_a_pdf(quality_user, rfa_episode):
    require_weasyprint()
    _, episode_id, _ = rfa_episode

    response = signed_in(quality_user).get(f"/episodes/{episode_id}/summary.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    # The heading names the complaint (issue 11: no internal ids in headings).
    heading = "Lumbar, right, axial, opened"
    for expected in (heading, "02 Mar 2026", "16 Mar 2026", "85.7 %"):
        assert expected in text, expected


def test_the_episode_page_links_the_summary_and_the_rfa_packet(staff_user, rfa_episode):
    _, episode_id, _ = rfa_episode

    html = signed_in(staff_user).get(f"/episodes/{episode_id}/").content.decode()

    assert f'href="/episodes/{episode_id}/summary/"' in html
    assert f'href="/api/episodes/{episode_id}/prior-authorization/?profile=cms-2021"' in html


@pytest.mark.parametrize("who", ["staff_user", "quality_user"])
def test_no_packet_button_without_an_rfa_suggestion_or_for_quality(request, who, rfa_episode):
    from tests.factories import EpisodeFactory, ProcedureFactory

    _, episode_id, _ = rfa_episode
    lone = ProcedureFactory(episode=EpisodeFactory()).episode_id
    client = signed_in(request.getfixturevalue(who))

    assert "prior-authorization" not in client.get(f"/episodes/{lone}/").content.decode()
    page = client.get(f"/episodes/{episode_id}/").content.decode()
    assert ("prior-authorization" in page) is (who == "staff_user")


def test_a_treatments_follow_up_is_in_the_summary_and_its_pdf(physician_user, rfa_episode):
    require_weasyprint()
    from tests.sharing.treatments import treatment_with_follow_ups

    _, episode_id, _ = rfa_episode
    treatment_with_follow_ups(rfa_episode)  # an RFA followed at 90 and 180 days
    client = signed_in(physician_user)

    html = client.get(f"/episodes/{episode_id}/summary/").content.decode()
    assert "Follow-up after the treatment" in html
    assert "75.0 %" in html and "<svg" in html  # relief at 90 days against pain 8; its chart
    for control in ("<form", "<nav", "<button", "<details", "<script"):
        assert control not in html, control
    text = pdf_text(client.get(f"/episodes/{episode_id}/summary.pdf").content)
    assert "Follow-up after the treatment" in text and "75.0 %" in text
