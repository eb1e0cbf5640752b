"""No form post to any page is ever answered 500, whatever its fields (issue 8, beyond the fixes).

Every POST route of the pages comes from the URL resolver (the routes of the permission
matrix that name a POST), with its `<int:pk>` filled from a small synthetic clinic. Each
receives random and hostile fields: the page's own field names (read from its form) with
huge strings, NUL bytes, unicode controls, negative and huge numbers, several values where
one belongs, dates in years 1 and 9999, invalid choice codes, missing fields and extra
ones; posted as clinic staff, physician, quality, and from a browser whose session ended.
A 4xx, a redisplayed form or a redirect are all fine answers; a 500 never is.
"""

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import MATRIX, ROUTES, concrete_url, make_world
from tracker.session_keep import SIGNED_IN_COOKIE, signed_in_value

POST_ROUTES = sorted(
    route for route in ROUTES if not route.startswith("api/") and "POST" in MATRIX.get(route, {})
)
ROLES = ("clinic_staff", "physician", "quality", "session_ended")
EXAMPLES_PER_ROUTE = 40
NEVER_POSTED = {"csrfmiddlewaretoken"}
NAME = re.compile(r'\sname="([^"]+)"')
# Names a form might take that its page does not show (a form for another kind, a grid row).
EXTRA_NAMES = (
    "version",
    "reason",
    "next",
    "profile",
    "suggestion",
    "kind",
    "levels",
    "diary-TOTAL_FORMS",
    "discs-TOTAL_FORMS",
    "diary-999-score",
    "override_reason",
    "unexpected_field",
)

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "abc\x00def",
        "\u202egnp.exe",
        "\u200b\u200d\ufeff",
        "\r\n\t",
        "A" * 20_000,
        "-1",
        "-999999999999999999999",
        "99999999999999999999999999",
        "2147483648",
        "1e400",
        "NaN",
        "Infinity",
        "0.0000000001",
        "0001-01-01",
        "9999-12-31",
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "0000-00-00",
        "2026-02-30T25:61",
        "nonsense",
        "provocation_discography",
        "diagnostic",
        "yes",
        "on",
        "L4-L5",
        "C9-T9",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "=1+1",
        "1",
        "0",
        "999999",
    ]
)
VALUE = st.one_of(HOSTILE, st.text(max_size=40), st.integers().map(str))
VALUES = st.lists(VALUE, min_size=1, max_size=3)  # several values where one belongs


def valid_post(route: str, users, ids) -> dict:
    """A post that would save, so a hostile value in one field reaches the deeper checks."""
    from blocks.models import Procedure
    from tests.pages.conftest import procedure_post
    from tests.trust.test_audit_pages import edit_form

    physician = users["physician"]
    bases = {
        "patients/new/": {"mrn": "FZ-1", "birth_date": "1960-01-01", "sex": "female"},
        "patients/<int:pk>/episodes/new/": {
            "region": "lumbar",
            "side": "right",
            "pain_pattern": "axial",
            "opened_at": "2026-01-05T09:00",
        },
        "episodes/<int:pk>/procedures/new/": procedure_post(performed_by=physician),
        "procedures/<int:pk>/pain-scores/new/": {"minutes_after": "45", "score": "2"},
        "procedures/<int:pk>/complications/new/": {"code": "vasovagal", "severity": "mild"},
        "procedures/<int:pk>/edit/": edit_form(Procedure.objects.get(pk=ids["procedures"])),
        "episodes/<int:pk>/decisions/": {"status": "declined", "reason": "Fuzz."},
    }
    return dict(bases.get(route, {}))


@pytest.fixture
def clinic(db):
    return make_world()


def field_names(route: str, url: str, users, ids) -> list[str]:
    """The names the route's form posts: read from its page, or from the episode page."""
    client = Client()
    client.force_login(users["superuser"])
    pages = [url, concrete_url("episodes/<int:pk>/", ids)]
    names: set[str] = set()
    for page in pages:
        response = client.get(page)
        if response.status_code == 200 and "text/html" in response.headers["Content-Type"]:
            names |= set(NAME.findall(response.content.decode()))
        if names:
            break
    return sorted((names - NEVER_POSTED) | set(EXTRA_NAMES))


def client_for(role: str, users) -> Client:
    client = Client(raise_request_exception=False)
    if role == "session_ended":
        client.cookies[SIGNED_IN_COOKIE] = signed_in_value(users["clinic_staff"].username)
    else:
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("route", POST_ROUTES)
def test_no_form_post_is_ever_a_server_error(route, clinic):
    users, ids = clinic
    url = concrete_url(route, ids)
    base = valid_post(route, users, ids)
    names = sorted(set(field_names(route, url, users, ids)) | set(base))

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        role=st.sampled_from(ROLES),
        fields=st.dictionaries(st.sampled_from(names), VALUES, max_size=6),
        extra=st.dictionaries(st.text(min_size=1, max_size=12), VALUES, max_size=2),
        start=st.sampled_from(["valid", "valid", "empty"]),
        missing=st.lists(st.sampled_from(names), max_size=3),
    )
    def post(role, fields, extra, start, missing):
        data = {**(base if start == "valid" else {}), **extra}
        for name in missing:
            data.pop(name, None)
        data.update(fields)
        response = client_for(role, users).post(url, data)
        assert response.status_code != 500, (role, url, data)
        assert response.status_code < 500 or response.status_code == 503, response.status_code

    post()


def test_a_next_that_is_not_a_path_goes_home_instead_of_a_server_error(staff):
    # Found by the fuzzer: redirect("-1") tried "-1" as a view name and answered 500.
    response = staff.post("/profile/", {"profile": "cms-2021", "next": "-1"})

    assert response.status_code == 302
    assert response["Location"] == "/"
