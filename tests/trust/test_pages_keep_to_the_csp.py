"""Every page keeps to the Content-Security-Policy: no inline script, style or handler.

The policy (tracker/security.py) allows scripts and styles only from the site's own files,
so an inline one would be silently blocked in the browser. Every page route of the URL
conf is opened as a superuser and its HTML is searched for what the policy forbids.
"""

import re

import pytest
from rest_framework.test import APIClient

from tests.test_permission_matrix import ROUTES, concrete_url, make_world

PAGES = sorted(route for route in ROUTES if not route.startswith("api/"))
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.parametrize("route", PAGES)
def test_the_page_has_nothing_the_policy_blocks(route, world):
    users, ids = world
    client = APIClient()
    client.force_login(users["superuser"])

    response = client.get(concrete_url(route, ids), follow=True)

    assert "Content-Security-Policy" in response.headers
    if "text/html" not in response.headers.get("Content-Type", ""):
        return
    html = response.content.decode()
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(html)]
    assert not found, f"{route}: {found}"
