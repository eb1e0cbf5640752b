"""Rules and sources: every rule id with its message, source and tag, linked from the episode.

A physician reading "Rule block.technique.no-contrast" under a warning follows the link
to the rules page and finds the rule, what it says and the document behind it.
"""

import re

import pytest

from blocks.rules import catalogue
from tests.pages.markup import inline_code, text

pytestmark = pytest.mark.django_db


def rules_page(client) -> str:
    response = client.get("/rules/")
    assert response.status_code == 200
    return response.content.decode()


def episode_page(client, episode) -> str:
    response = client.get(f"/episodes/{episode.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_explains_the_evidence_tags_first(quality):
    words = text(rules_page(quality))
    assert words.index("What the evidence tags mean") < words.index("Suggestions: the pathway")
    assert "[P] Read in a primary source: a guideline table" in words
    assert "[S] Seen only in a secondary summary" in words
    assert "[L] A local policy choice of this project" in words


def test_it_lists_a_known_rule_with_its_message_source_and_tag(staff):
    page = rules_page(staff)
    row = re.search(r'<tr id="rule-block-technique-no-contrast">(.*?)</tr>', page, re.S)
    assert row is not None
    assert text(row.group(1)) == (
        "block.technique.no-contrast Warning: No contrast "
        "No contrast was used, so the spread of the injectate was not confirmed "
        "(acceptable with a contrast allergy). "
        "AAOS OrthoInfo patient handout “Spinal Injections” [P]"
    )


def test_it_lists_every_rule_in_its_group(physician):
    page = rules_page(physician)
    words = text(page)
    for rule in catalogue.RULES.values():
        assert f'id="{rule.anchor}"' in page
    for title in catalogue.GROUPS.values():
        assert title in words
    assert "Under asra-2020: ASRA 2020 multisociety guideline" in words


def test_it_shows_the_frequency_limits_of_the_active_profile(staff):
    words = text(rules_page(staff))
    assert "Limits under cms-2021, shown as warnings and never a block" in words
    assert "Diagnostic facet sessions per region within 365 days: at most 4." in words


def test_every_rule_link_on_the_episode_page_finds_its_rule(staff, episode, block):
    block(contrast_used=False, contrast_flow_confirmed=False, guidance="none")
    page = episode_page(staff, episode)
    anchors = set(re.findall(r'href="/rules/#([\w-]+)"', page))
    assert {
        "rule-block-technique-no-contrast",
        "rule-block-technique-no-image-guidance",
        "rule-block-technique-non-diagnostic",
    } <= anchors
    rules = rules_page(staff)
    for anchor in anchors:
        assert f'id="{anchor}"' in rules


def test_warnings_and_reasons_show_their_rule_and_source_in_small_print(staff, episode, block):
    block(contrast_used=False, contrast_flow_confirmed=False, guidance="none")
    words = text(episode_page(staff, episode))
    assert (
        "No contrast: No contrast was used, so the spread of the injectate was not confirmed "
        "(acceptable with a contrast allergy). Rule block.technique.no-contrast · "
        "Source: AAOS OrthoInfo patient handout “Spinal Injections” [P]"
    ) in words
    assert (
        "The block was done without image guidance (fluoroscopy or CT is required). "
        "Rule block.technique.no-image-guidance · Source: ASRA multisociety guidelines"
    ) in words


def test_an_overridden_hard_stop_names_its_rule(physician, episode, block):
    block(contraindications=["bleeding_disorder"], override_reason="Haematology cleared it")
    words = text(episode_page(physician, episode))
    assert "Hard stop overridden: Bleeding disorder. Reason: “Haematology cleared it”" in words
    assert "Rule screening.hard-stop.bleeding-disorder · Source: AAOS OrthoInfo" in words


def test_the_header_links_to_the_rules_page_and_it_keeps_to_the_csp(staff):
    page = rules_page(staff)
    assert '<a href="/rules/" aria-current="page">Rules and sources</a>' in page
    assert inline_code(page) == []


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/rules/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
