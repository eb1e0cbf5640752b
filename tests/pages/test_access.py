"""Who may open which page: sign-in, role homes, 403 and 404 pages in the site's layout."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(anon, episode):
    response = anon.get(reverse("episode-detail", args=[episode.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next=/episodes/{episode.pk}/")


def test_sign_in_page_has_labelled_inputs(anon):
    page = anon.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password">Password</label>' in page


def test_signing_in_with_the_form_leads_to_the_role_home(anon, staff_user):
    staff_user.set_password("a-long-clinic-password")
    staff_user.save()
    response = anon.post(
        "/accounts/login/",
        {"username": "sam.staff", "password": "a-long-clinic-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/today/"
    assert "Signed in as" in response.content.decode()


def test_a_wrong_password_says_so_without_saying_which(anon, staff_user):
    response = anon.post("/accounts/login/", {"username": "sam.staff", "password": "nope"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_signing_out_needs_a_post_and_ends_the_session(staff):
    response = staff.post("/accounts/logout/")
    assert response.status_code == 302
    assert staff.get("/patients/").status_code == 302


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("staff", "/today/"),
        ("physician", "/worklist/"),
        ("quality", "/reports/"),
        ("root", "/worklist/"),
    ],
)
def test_home_sends_each_role_to_its_page(request, persona, home):
    client = request.getfixturevalue(persona)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == home


def test_a_user_without_a_clinic_role_gets_the_403_page(nobody):
    response = nobody.get("/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You may not open this page" in page
    assert 'class="site-header"' in page  # in the site's layout


def test_header_shows_who_is_signed_in_their_role_and_the_profile(physician):
    page = physician.get("/worklist/").content.decode()
    assert "Pat Okafor" in page
    assert '<span class="role">Physician</span>' in page
    assert '<option value="cms-2021" selected>' in page
    assert 'href="/reports/"' in page


def test_staff_have_no_worklist_or_reports_link(staff):
    page = staff.get("/patients/").content.decode()
    assert 'href="/worklist/"' not in page
    assert 'href="/reports/"' not in page
    assert '<span class="role">Clinic staff</span>' in page


def test_quality_sees_reports_and_patients_but_no_worklist(quality):
    page = quality.get("/patients/").content.decode()
    assert 'href="/reports/"' in page
    assert 'href="/worklist/"' not in page
    assert "New patient" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/patients/999999/",
        "/episodes/999999/",
        "/episodes/999999/procedures/new/",
        "/episodes/999999/decisions/",
        "/procedures/999999/pain-scores/new/",
        "/procedures/999999/complications/new/",
        "/patients/999999/episodes/new/",
        "/no-such-page/",
    ],
)
def test_unknown_ids_give_the_404_page_in_the_layout(root, url):
    response = root.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Not found" in page
    assert 'class="site-header"' in page
    assert "Signed in as" in page


@pytest.mark.parametrize(
    "url_name",
    ["patient-create", "episode-create", "procedure-create", "pain-score-create"],
)
def test_quality_gets_the_403_page_on_every_write_page(quality, episode, block, url_name):
    procedure = block()
    arg = {
        "patient-create": None,
        "episode-create": episode.patient_id,
        "procedure-create": episode.pk,
        "pain-score-create": procedure.pk,
    }[url_name]
    url = reverse(url_name, args=[arg] if arg else [])
    for response in (quality.get(url), quality.post(url, {})):
        assert response.status_code == 403
        assert "You may not open this page" in response.content.decode()


def test_staff_may_not_open_the_worklist_or_decide(staff, episode, block):
    block()
    assert staff.get("/worklist/").status_code == 403
    assert staff.get(f"/episodes/{episode.pk}/decisions/").status_code == 403
    response = staff.post(
        f"/episodes/{episode.pk}/decisions/", {"fingerprint": "x", "status": "accepted"}
    )
    assert response.status_code == 403


def test_the_profile_switcher_is_remembered_for_the_session(physician, episode, block):
    block()
    response = physician.post("/profile/", {"profile": "asra-2020", "next": "/worklist/"})
    assert response.status_code == 302
    assert response["Location"] == "/worklist/"
    page = physician.get(f"/episodes/{episode.pk}/").content.decode()
    assert '<option value="asra-2020" selected>' in page
    assert "under asra-2020" in page
    # asra-2020 needs one positive medial branch block before RFA (cms-2021 needs two).
    assert "Radiofrequency ablation (RFA)" in page


def test_the_profile_switcher_refuses_an_unknown_profile_and_an_outside_address(physician):
    response = physician.post("/profile/", {"profile": "nope", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = physician.get("/worklist/").content.decode()
    assert '<option value="cms-2021" selected>' in page


def test_the_profile_switcher_takes_no_get(physician):
    assert physician.get("/profile/").status_code == 405
