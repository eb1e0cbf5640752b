""" "Repeat this block" and ?kind=: logging a block in fewer steps (issue 11)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from blocks.models import Procedure
from tests.factories import PainScoreFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_block(episode, physician_user):
    """A positive lidocaine medial branch block: cms-2021 asks for a confirmatory one."""
    block = ProcedureFactory(
        episode=episode,
        performed_by=physician_user,
        performed_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
        levels=["L4-L5", "L5-S1"],
        side="right",
        anesthetic_volume_ml=Decimal("0.4"),
        guidance="fluoroscopy",
    )
    for minutes in (15, 30, 45, 60, 90):
        PainScoreFactory(procedure=block, minutes_after=minutes, score=1)
    return block


def field_html(page: str, name: str) -> str:
    """The wrapper of one field (its label, input and marks)."""
    start = page.index(f'name="{name}"', page.index('class="procedure-form"'))
    opening = page.rfind('<div class="field', 0, start)
    legend = page.rfind('<fieldset class="field', 0, start)
    return page[max(opening, legend) : start + 400]


def test_the_episode_page_offers_repeat_this_block(staff, first_block):
    page = staff.get(f"/episodes/{first_block.episode_id}/").content.decode()
    assert (
        f'href="/episodes/{first_block.episode_id}/procedures/new/?repeat={first_block.pk}"' in page
    )
    assert "Repeat this block" in page


def test_repeat_fills_kind_side_levels_volume_guidance_and_the_other_agent(staff, first_block):
    url = f"/episodes/{first_block.episode_id}/procedures/new/"
    page = staff.get(url, {"repeat": first_block.pk}).content.decode()
    assert '<option value="medial_branch_block" selected>' in page
    assert '<option value="right" selected>' in page
    assert re.search(r'name="levels" value="L4-L5"[^>]*checked', page)
    assert re.search(r'name="levels" value="L5-S1"[^>]*checked', page)
    assert 'name="anesthetic_volume_ml" value="0.4"' in page
    assert '<option value="fluoroscopy" selected>' in page
    # The suggestion's other duration class for a lidocaine block.
    assert '<option value="bupivacaine" selected>' in page
    for name in ("kind", "side", "levels", "anesthetic_volume_ml", "guidance"):
        assert "carried over from the block of 02 Mar 2026" in field_html(page, name), name
    assert "carried over from the suggestion" in field_html(page, "anesthetic")
    assert "carried over" not in field_html(page, "pre_pain")


def test_the_date_starts_empty_with_the_earliest_date_beside_it(staff, first_block):
    url = f"/episodes/{first_block.episode_id}/procedures/new/"
    page = staff.get(url, {"repeat": first_block.pk}).content.decode()
    assert re.search(r'<input type="datetime-local" name="performed_at"(?![^>]*value=)', page)
    # cms-2021 keeps the confirmatory block at least 14 days after the first (02 Mar 2026).
    assert "Earliest date for this block: <strong>16 Mar 2026</strong>" in page


def test_the_levels_are_only_those_of_the_kind_chosen(staff, episode):
    url = f"/episodes/{episode.pk}/procedures/new/"
    everything = staff.get(url).content.decode()
    boxes = re.compile(r'name="levels" value="([^"]+)"')
    assert {"L5", "L4-L5"} <= set(boxes.findall(everything))
    roots = staff.get(url, {"kind": "transforaminal_epidural"}).content.decode()
    assert set(boxes.findall(roots)) == {"L1", "L2", "L3", "L4", "L5", "S1", "S2"}
    assert '<option value="transforaminal_epidural" selected>' in roots


def test_the_server_still_refuses_a_level_that_does_not_fit(staff, episode, physician_user):
    url = f"/episodes/{episode.pk}/procedures/new/?kind=medial_branch_block"
    response = staff.post(
        url,
        {
            "performed_at": "2026-03-02T09:30",
            "performed_by": physician_user.pk,
            "kind": "medial_branch_block",
            "intent": "diagnostic",
            "side": "right",
            "levels": ["L5"],
            "anesthetic": "lidocaine",
            "anesthetic_volume_ml": "0.5",
            "steroid": "none",
            "guidance": "fluoroscopy",
            "sedation": "none",
            "contrast_used": "yes",
            "contrast_flow_confirmed": "yes",
            "pre_pain": "7",
            "diary-TOTAL_FORMS": "0",
            "diary-INITIAL_FORMS": "0",
            "discs-TOTAL_FORMS": "0",
            "discs-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "L5 does not fit a medial branch block" in response.content.decode()
    assert not Procedure.objects.exists()


def test_a_block_of_another_episode_is_not_repeated(staff, first_block, staff_user):
    from tests.factories import EpisodeFactory

    other = EpisodeFactory(created_by=staff_user)
    response = staff.get(f"/episodes/{other.pk}/procedures/new/", {"repeat": first_block.pk})
    assert response.status_code == 200
    assert "nothing was carried over" in response.content.decode()
    assert "carried over from" not in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_a_bad_repeat_is_said_not_a_500(staff, episode, value):
    response = staff.get(f"/episodes/{episode.pk}/procedures/new/", {"repeat": value})
    assert response.status_code == 200
    assert "nothing was carried over" in response.content.decode()
