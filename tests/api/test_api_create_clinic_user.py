"""manage.py create_clinic_user: a user in one clinic role, with a token that works."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_clinic_user", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_physician_whose_token_opens_the_api(db):
    output = run("dr.who", "--role", "physician", "--token")

    key = output.split("Token: ")[1].strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/profiles/").status_code == 200


def test_it_moves_a_user_to_a_single_role(db):
    user = UserFactory(username="sam", roles=["clinic_staff"])

    run("sam", "--role", "quality")

    assert list(user.groups.values_list("name", flat=True)) == ["quality"]


def test_it_refuses_an_unknown_role(db):
    with pytest.raises(CommandError):
        run("x", "--role", "admin")
