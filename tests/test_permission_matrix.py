"""Who gets what, for every route of the URL configuration.

The routes come from `get_resolver()`, not from a list kept by hand: every API route
and every page is requested as anonymous, clinic staff, physician, quality and
superuser, and the answer must be the one in the matrix. A route without an entry
fails (add one: what should each role get?), and so does a DRF view that grows a
method the matrix does not name. Unsafe methods are sent with an empty body: a role
allowed to write gets past the role check and is stopped by validation (400), so
nothing is written, while a refused role gets 401/403.

Page routes come from tests/permissions/pages_matrix.py (the clinic pages' own
matrix) when it exists; the Django admin keeps its own checks (tests/trust).
"""

import importlib
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

ROLES = ("anonymous", "clinic_staff", "physician", "quality", "superuser")
# Statuses in the order of ROLES.
READ_ALL = (401, 200, 200, 200, 200)
WRITE_EMPTY = (401, 400, 400, 403, 400)  # writers pass the role check, then fail validation
NO_DELETE = (401, 405, 405, 403, 405)  # DRF checks the role before the method
HISTORY = (401, 403, 200, 200, 200)
REPORTS = (401, 403, 200, 200, 200)
PUBLIC = (200, 200, 200, 200, 200)
PAGE_HISTORY = (302, 403, 200, 200, 200)  # anonymous visitors are sent to sign in

API_MATRIX = {
    "api/schema/": {"GET": PUBLIC},
    "api/docs/": {"GET": PUBLIC},
    "api/patients/": {"GET": READ_ALL, "POST": WRITE_EMPTY},
    "api/patients/<int:pk>/": {"GET": READ_ALL, "PATCH": WRITE_EMPTY, "DELETE": NO_DELETE},
    "api/patients/<int:pk>/entered-in-error/": {"POST": WRITE_EMPTY},
    "api/patients/<int:pk>/history/": {"GET": HISTORY},
    "api/episodes/": {"GET": READ_ALL, "POST": WRITE_EMPTY},
    "api/episodes/<int:pk>/": {"GET": READ_ALL, "PATCH": WRITE_EMPTY, "DELETE": NO_DELETE},
    "api/episodes/<int:pk>/next-steps/": {"GET": READ_ALL},
    "api/episodes/<int:pk>/decisions/": {
        "GET": READ_ALL,
        "POST": (401, 403, 400, 403, 400),  # only physicians decide on suggestions
    },
    "api/episodes/<int:pk>/entered-in-error/": {"POST": WRITE_EMPTY},
    "api/episodes/<int:pk>/history/": {"GET": HISTORY},
    "api/procedures/": {"GET": READ_ALL, "POST": WRITE_EMPTY},
    "api/procedures/<int:pk>/": {"GET": READ_ALL, "PATCH": WRITE_EMPTY, "DELETE": NO_DELETE},
    "api/procedures/<int:pk>/pain-scores/": {"GET": READ_ALL, "POST": WRITE_EMPTY},
    "api/procedures/<int:pk>/complications/": {"GET": READ_ALL, "POST": WRITE_EMPTY},
    "api/procedures/<int:pk>/entered-in-error/": {"POST": WRITE_EMPTY},
    "api/procedures/<int:pk>/history/": {"GET": HISTORY},
    "api/pain-scores/<int:pk>/": {"PATCH": WRITE_EMPTY},
    "api/pain-scores/<int:pk>/entered-in-error/": {"POST": WRITE_EMPTY},
    "api/profiles/": {"GET": READ_ALL},
    # The diaries to chase: staff and physicians only (DRF checks the role before the method).
    "api/diaries/": {
        "GET": (401, 200, 200, 403, 200),
        "POST": (401, 405, 405, 403, 405),
    },
    "api/profiles/<str:name>/": {"GET": READ_ALL},
    # The patient's diary link: staff and physicians make it (the world's block is long past:
    # its diary is overdue, so no link is useful, 409) and revoke it; quality may not.
    "api/procedures/<int:pk>/diary-link/": {"POST": (401, 409, 409, 403, 409)},
    "api/procedures/<int:pk>/diary-link/revoke/": {"POST": (401, 204, 204, 403, 204)},
    # The token endpoints take no credentials but the token: the world's link has expired.
    "api/diary/<str:token>/": {"GET": (410,) * 5},
    "api/diary/<str:token>/scores/": {"POST": (410,) * 5},
    # Sharing the record (blocks/sharing): the identified FHIR bundle is a physician's; the
    # prior-authorization packet is staff's and physicians' (this world has no RFA: 409).
    "api/patients/<int:pk>/fhir/": {"GET": (401, 403, 200, 403, 200)},
    "api/episodes/<int:pk>/prior-authorization/": {"GET": (401, 409, 409, 403, 409)},
    # Reports (reports/): quality, physicians and superusers read; staff do not.
    "api/reports/outcomes/": {"GET": REPORTS},
    "api/reports/blocks/": {"GET": REPORTS},
    "api/reports/diary/": {"GET": REPORTS},
    "api/reports/redcap/": {"GET": REPORTS},
    # Follow-up after treatment. The world's procedure is a diagnostic block: its link is a
    # 400 for a writer; revoking a link it never had writes nothing (204).
    "api/procedures/<int:pk>/follow-ups/": {"GET": READ_ALL, "POST": WRITE_EMPTY},
    "api/procedures/<int:pk>/follow-up-link/": {"POST": (401, 400, 400, 403, 400)},
    "api/procedures/<int:pk>/follow-up-link/revoke/": {"POST": (401, 204, 204, 403, 204)},
    "api/follow-ups/": {"GET": (401, 200, 200, 403, 200)},
    "api/follow-ups/<int:pk>/": {"PATCH": WRITE_EMPTY},
    "api/follow-ups/<int:pk>/entered-in-error/": {"POST": WRITE_EMPTY},
    # The patient's side needs no account: the world's token is unknown to everybody.
    "api/follow-up/<str:token>/": {"GET": (404,) * 5},
    "api/follow-up/<str:token>/answers/": {"POST": (404,) * 5},
    "api/reports/treatment-outcomes/": {"GET": REPORTS},
    # One operation per file format (for generated clients).
    "api/reports/outcomes/csv/": {"GET": REPORTS},
    "api/reports/outcomes/xlsx/": {"GET": REPORTS},
    "api/reports/blocks/csv/": {"GET": REPORTS},
    "api/reports/blocks/xlsx/": {"GET": REPORTS},
    "api/reports/diary/csv/": {"GET": REPORTS},
    "api/reports/diary/xlsx/": {"GET": REPORTS},
}

AUDIT_PAGES = {
    "procedures/<int:pk>/history/": {"GET": PAGE_HISTORY},
    "patients/<int:pk>/history/": {"GET": PAGE_HISTORY},
    "episodes/<int:pk>/history/": {"GET": PAGE_HISTORY},
    "procedures/<int:pk>/edit/": {
        "GET": (302, 200, 200, 403, 200),
        "POST": (302, 400, 400, 403, 400),
    },
    "reports/": {"GET": (302, 403, 200, 200, 200)},
}

# Password change and two-factor sign-in (tracker/auth/urls.py): every signed-in user.
SIGNED_IN = (302, 200, 200, 200, 200)
ACCOUNT_PAGES = {
    "accounts/password_change/": {
        "GET": SIGNED_IN,
        "POST": SIGNED_IN,  # the empty form comes back with its errors
        "PUT": SIGNED_IN,  # Django's FormView treats PUT as POST
    },
    "accounts/password_change/done/": {"GET": SIGNED_IN},
    # Nobody here has enrolled and 2FA is off in tests: the verify page sends them to enrol.
    "accounts/two-factor/": {"GET": (302,) * 5, "POST": (302,) * 5},
    "accounts/two-factor/enrol/": {"GET": SIGNED_IN, "POST": SIGNED_IN},  # no code: errors
}


def _pages_matrix() -> dict:
    try:
        module = importlib.import_module("tests.permissions.pages_matrix")
    except ModuleNotFoundError:
        return {}
    return dict(module.PAGES_MATRIX)


MATRIX = {**API_MATRIX, **AUDIT_PAGES, **ACCOUNT_PAGES, **_pages_matrix()}

# Routes that are not the clinic's to check here: Django's admin (its own permission
# checks, tested in tests/trust) and the static files served by whitenoise.
OUT_OF_SCOPE = ("admin/",)


def _routes(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


ROUTES = {
    route: callback
    for route, callback in _routes(get_resolver())
    if not route.startswith(OUT_OF_SCOPE)
}


def _implemented_methods(callback) -> set[str] | None:
    """The methods a class-based view answers (None for a plain function view)."""
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return None
    return {
        method.upper()
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(view_class, method)
    }


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@pytest.fixture
def world(db):
    return make_world()


def make_world():
    """One of each record, and one user per role (call with the database open)."""
    from tests.factories import (
        ComplicationFactory,
        FollowUpFactory,
        PainScoreFactory,
        ProcedureFactory,
        UserFactory,
    )

    procedure = ProcedureFactory()
    score = PainScoreFactory(procedure=procedure, minutes_after=30, score=1)
    ComplicationFactory(procedure=procedure)
    link = _expired_diary_link(procedure)
    follow_up = FollowUpFactory(procedure__episode=procedure.episode)
    users = {
        "anonymous": None,
        "clinic_staff": UserFactory(username="m.staff", roles=["clinic_staff"]),
        "physician": UserFactory(username="m.physician", roles=["physician"]),
        "quality": UserFactory(username="m.quality", roles=["quality"]),
        "superuser": UserFactory(username="m.root", is_staff=True, is_superuser=True),
    }
    ids = {
        "patients": procedure.episode.patient_id,
        "episodes": procedure.episode_id,
        "procedures": procedure.pk,
        "pain-scores": score.pk,
        "follow-ups": follow_up.pk,
        "follow-up": "u" * 43,  # a patient's token nobody was given
        "profiles": "cms-2021",
        "diary": MATRIX_DIARY_TOKEN,
        "my": handle_of(link),
    }
    return users, ids


MATRIX_DIARY_TOKEN = "matrix-diary-token-0123456789abcdefghijklmnop"


def _expired_diary_link(procedure):
    """A patient link of the world's block; the block is long past, so the link has expired."""
    from blocks.models import DiaryLink, token_hash

    return DiaryLink.objects.create(
        procedure=procedure,
        token_hash=token_hash(MATRIX_DIARY_TOKEN),
        created_by=procedure.performed_by,
        created_at=procedure.performed_at,
        expires_at=procedure.performed_at,
    )


def handle_of(link):
    from blocks.patient_diary import handle_of as handle

    return handle(link)


def concrete_url(route: str, ids: dict) -> str:
    def value(match: re.Match) -> str:
        segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if segment not in ids:
            raise AssertionError(
                f"No test value for <{match.group('name')}> after {segment!r} in {route!r}: "
                "add one to the `world` fixture of tests/test_permission_matrix.py."
            )
        return str(ids[segment])

    return "/" + PARAMETER.sub(value, route)


def request(client: APIClient, method: str, url: str, is_api: bool):
    if method == "GET":
        return client.get(url)
    if is_api:
        return client.generic(method, url, "{}", content_type="application/json")
    return client.generic(method, url, "", content_type="application/x-www-form-urlencoded")


def test_every_route_has_an_entry_in_the_matrix():
    missing = sorted(route for route in ROUTES if route not in MATRIX)

    assert not missing, (
        "Routes without an entry in the permission matrix (tests/test_permission_matrix.py, "
        f"or tests/permissions/pages_matrix.py for pages): {missing}"
    )


def test_the_matrix_names_every_method_a_view_answers():
    unnamed = {}
    for route, callback in ROUTES.items():
        implemented = _implemented_methods(callback)
        if implemented is None or route not in MATRIX:
            continue
        extra = implemented - set(MATRIX[route])
        if extra:
            unnamed[route] = sorted(extra)

    assert not unnamed, f"Methods with no expected statuses in the matrix: {unnamed}"


@pytest.mark.parametrize("route", sorted(r for r in ROUTES if r in MATRIX))
def test_each_role_gets_the_expected_status(route, world):
    users, ids = world
    url = concrete_url(route, ids)
    wrong = []
    for method, expected in MATRIX[route].items():
        for role, status in zip(ROLES, expected, strict=True):
            client = APIClient()
            if users[role] is not None:
                client.force_login(users[role])
            response = request(client, method, url, is_api=route.startswith("api/"))
            if response.status_code != status:
                wrong.append(f"{method} {url} as {role}: {response.status_code}, expected {status}")

    assert not wrong, "\n".join(wrong)


def test_matrix_size():
    """Route × role cells checked (printed with -s; the note of issue 5 quotes it)."""
    checked = [route for route in ROUTES if route in MATRIX]
    cells = sum(len(MATRIX[route]) * len(ROLES) for route in checked)
    print(f"permission matrix: {len(checked)} routes x {len(ROLES)} roles, {cells} checks")
    assert len(checked) * len(ROLES) > 0
