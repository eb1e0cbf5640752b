"""The edges a fuzzer finds: JSON errors everywhere under /api/, strict query parameters."""

import pytest


@pytest.mark.parametrize(
    "url", ["/api/procedures/-1/", "/api/nothing-here/", "/api/episodes/abc/history/"]
)
def test_an_unknown_api_address_is_a_json_404(staff_client, url):
    response = staff_client.get(url)

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_is_still_the_html_404(staff_client):
    response = staff_client.get("/no-such-page/")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("size", ["abc", "0", "201", "-3", "1.5"])
def test_a_bad_page_size_is_a_400_naming_it(staff_client, size):
    response = staff_client.get(f"/api/procedures/?page_size={size}")

    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("page", ["0", "99"])
def test_a_page_past_the_end_is_a_404(staff_client, page):
    assert staff_client.get(f"/api/patients/?page={page}").status_code == 404


@pytest.mark.parametrize("value", ["null", "yes please", "2"])
def test_include_entered_in_error_takes_only_true_or_false(staff_client, value):
    response = staff_client.get(f"/api/patients/?include_entered_in_error={value}")

    assert response.status_code == 400
    assert "include_entered_in_error" in response.json()


def test_a_form_encoded_body_is_refused_the_contract_says_json(staff_client, procedure):
    response = staff_client.post(
        f"/api/procedures/{procedure.pk}/pain-scores/",
        "minutes_after=60&score=2",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 415


def test_the_schema_keeps_version_required_in_patch_bodies(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()

    for name in ("ProcedureUpdateRequest", "EpisodeUpdateRequest", "PatientUpdateRequest"):
        assert "version" in schema["components"]["schemas"][name]["required"]
    patch = schema["paths"]["/api/procedures/{id}/"]["patch"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(patch["responses"])


@pytest.mark.parametrize("parameter", ["to", "from", "episode", "kind"])
def test_a_filter_given_without_a_value_is_a_400(staff_client, parameter):
    response = staff_client.get(f"/api/procedures/?{parameter}=")

    assert response.status_code == 400
    assert parameter in response.json()


def test_an_empty_profile_is_a_400_not_the_default(staff_client, procedure):
    response = staff_client.get(f"/api/episodes/{procedure.episode_id}/next-steps/?profile=")

    assert response.status_code == 400
    assert "profile" in response.json()
