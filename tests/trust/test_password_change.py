"""Every signed-in user changes their own password (defect 12: the page was a 404)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "violet tram harbour 1987"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    user = UserFactory(username="sam.staff", roles=["clinic_staff"])
    user.set_password(OLD)
    user.save()
    return user


def sign_in(client, password):
    return client.post("/accounts/login/", {"username": "sam.staff", "password": password})


def change(client, old=OLD, new=NEW, again=None):
    return client.post(
        "/accounts/password_change/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_header_links_to_the_password_change_page(client, staff):
    sign_in(client, OLD)

    page = client.get("/patients/")

    assert b'href="/accounts/password_change/"' in page.content
    assert b"Change password" in page.content


def test_the_page_asks_for_the_old_password_and_the_new_one_twice(client, staff):
    sign_in(client, OLD)

    page = client.get("/accounts/password_change/")

    assert page.status_code == 200
    html = page.content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html
    assert "<h1>Change your password</h1>" in html


def test_a_changed_password_signs_in_and_the_old_one_no_longer_does(client, staff):
    sign_in(client, OLD)

    response = change(client)

    assert response.status_code == 302
    assert response.url == "/accounts/password_change/done/"
    assert b"Password changed" in client.get(response.url).content
    assert client.get("/patients/").status_code == 200  # still signed in on this browser
    client.post("/accounts/logout/")
    assert sign_in(client, OLD).status_code == 200  # the form again: refused
    assert sign_in(client, NEW).status_code == 302


def test_a_wrong_old_password_changes_nothing(client, staff):
    sign_in(client, OLD)

    response = change(client, old="not my password")

    assert response.status_code == 200
    assert b"Password not changed." in response.content
    assert b"Your old password was entered incorrectly" in response.content
    staff.refresh_from_db()
    assert staff.check_password(OLD)


def test_a_weak_new_password_is_refused_by_the_validators(client, staff):
    sign_in(client, OLD)

    response = change(client, new="12345678")

    assert response.status_code == 200
    assert b"This password is too common." in response.content
    staff.refresh_from_db()
    assert staff.check_password(OLD)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
