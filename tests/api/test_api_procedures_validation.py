"""POST /api/procedures/: every refusal is a 400 naming the field, and writes nothing."""

import pytest

from blocks.models import DiscInjection, PainScore, Procedure, Screening
from tests.factories import EpisodeFactory

URL = "/api/procedures/"
REQUIRED = (
    "episode",
    "performed_at",
    "kind",
    "intent",
    "side",
    "levels",
    "anesthetic",
    "steroid",
    "guidance",
    "contrast_used",
    "sedation",
    "pre_pain",
)


def assert_refused(response, field: str, *words: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert isinstance(body[field], list) and body[field], body
    assert all(isinstance(message, str) for message in body[field]), body
    text = " ".join(body[field])
    for word in words:
        assert word in text, (word, text)
    assert Procedure.objects.count() == 0
    assert PainScore.objects.count() == 0
    assert DiscInjection.objects.count() == 0
    assert Screening.objects.count() == 0


@pytest.mark.parametrize("field", REQUIRED)
def test_it_requires_each_core_field(staff_client, procedure_body, field):
    response = staff_client.post(URL, procedure_body(**{field: ...}), format="json")

    assert_refused(response, field)


def test_it_requires_pre_pain_to_be_a_number_except_for_discography(staff_client, procedure_body):
    response = staff_client.post(URL, procedure_body(pre_pain=None), format="json")

    assert_refused(response, "pre_pain", "only a provocation discography may leave it empty")


def test_it_requires_pre_pain_when_it_is_left_out(staff_client, procedure_body):
    response = staff_client.post(URL, procedure_body(pre_pain=...), format="json")

    assert_refused(response, "pre_pain", "required")


def test_a_discography_may_leave_out_pre_pain(staff_client, discography_body):
    response = staff_client.post(URL, discography_body(pre_pain=...), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["pre_pain"] is None


def test_it_requires_flow_confirmation_when_contrast_was_used(staff_client, procedure_body):
    body = procedure_body(contrast_used=True, contrast_flow_confirmed=...)

    assert_refused(staff_client.post(URL, body, format="json"), "contrast_flow_confirmed")


def test_it_refuses_a_confirmed_flow_without_contrast(staff_client, procedure_body):
    # Flow confirmed without contrast asserts a check that never happened.
    body = procedure_body(contrast_used=False, contrast_flow_confirmed=True)

    response = staff_client.post(URL, body, format="json")

    assert_refused(response, "contrast_flow_confirmed", "no contrast was used")
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"levels": []}, ["at least one level"]),
        ({"levels": "L4-L5"}, ["list"]),
        ({"levels": ["L4-L5", "L4-L5"]}, ["L4-L5", "more than once"]),
        ({"levels": ["X9"]}, ["X9"]),
        ({"levels": [5]}, ["5"]),
        ({"levels": ["L4"]}, ["L4", "medial branch block", "a segment", "lumbar"]),
        ({"levels": ["C5-C6"]}, ["C5-C6", "lumbar"]),
        ({"kind": "transforaminal_epidural", "levels": ["L4-L5"]}, ["L4-L5", "a nerve root"]),
        ({"kind": "sacroiliac_joint", "levels": ["L5-S1"]}, ["L5-S1", "SI joint"]),
        ({"kind": "facet_intraarticular", "levels": ["SI"]}, ["SI", "a segment"]),
    ],
)
def test_it_refuses_levels_that_do_not_fit(staff_client, procedure_body, changes, words):
    response = staff_client.post(URL, procedure_body(**changes), format="json")

    assert_refused(response, "levels", *words)


def test_it_refuses_an_si_joint_block_in_a_cervical_episode(
    staff_client, procedure_body, staff_user
):
    cervical = EpisodeFactory(region="cervical", created_by=staff_user)
    body = procedure_body(episode=cervical.pk, kind="sacroiliac_joint", levels=["SI"])

    assert_refused(staff_client.post(URL, body, format="json"), "levels", "cervical")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"anesthetic": "none", "anesthetic_volume_ml": 0.5}, "anesthetic_volume_ml"),
        ({"steroid": "none", "steroid_dose_mg": 4}, "steroid_dose_mg"),
        ({"anesthetic_volume_ml": -0.5}, "anesthetic_volume_ml"),
        ({"steroid": "dexamethasone", "steroid_dose_mg": -1}, "steroid_dose_mg"),
        ({"anesthetic_volume_ml": "0.5"}, "anesthetic_volume_ml"),
        ({"anesthetic_volume_ml": 1e300}, "anesthetic_volume_ml"),
        ({"anesthetic_volume_ml": 0.12345}, "anesthetic_volume_ml"),
    ],
)
def test_it_refuses_doses_that_do_not_match_the_agent(staff_client, procedure_body, changes, field):
    assert_refused(staff_client.post(URL, procedure_body(**changes), format="json"), field)


@pytest.mark.parametrize(
    "field",
    ["kind", "intent", "side", "anesthetic", "steroid", "guidance", "sedation"],
)
def test_it_refuses_an_unknown_code(staff_client, procedure_body, field):
    response = staff_client.post(URL, procedure_body(**{field: "bogus"}), format="json")

    assert_refused(response, field, "bogus")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contrast_used": "yes"}, "contrast_used"),
        ({"contrast_used": 1}, "contrast_used"),
        ({"contrast_flow_confirmed": "true"}, "contrast_flow_confirmed"),
        ({"pre_pain": "7"}, "pre_pain"),
        ({"pre_pain": 6.5}, "pre_pain"),
        ({"pre_pain": True}, "pre_pain"),
        ({"pre_pain": 11}, "pre_pain"),
        ({"pre_pain": -1}, "pre_pain"),
        ({"pre_pain": 10**20}, "pre_pain"),
        ({"episode": "abc"}, "episode"),
        ({"episode": 10**30}, "episode"),
        ({"episode": True}, "episode"),
        ({"performed_at": "yesterday"}, "performed_at"),
        ({"kind": 5}, "kind"),
        ({"kind": ["medial_branch_block"]}, "kind"),
        ({"override_reason": 5}, "override_reason"),
        ({"pain_scores": {"minutes_after": 30, "score": 1}}, "pain_scores"),
    ],
)
def test_it_refuses_wrong_types_and_out_of_range_numbers(
    staff_client, procedure_body, changes, field
):
    assert_refused(staff_client.post(URL, procedure_body(**changes), format="json"), field)


def test_it_refuses_an_episode_that_does_not_exist(staff_client, procedure_body):
    response = staff_client.post(URL, procedure_body(episode=987654), format="json")

    assert_refused(response, "episode")


def test_it_refuses_an_episode_entered_in_error(staff_client, procedure_body, episode):
    episode.entered_in_error = True
    episode.entered_in_error_reason = "wrong patient"
    episode.entered_in_error_at = episode.opened_at
    episode.save()

    response = staff_client.post(URL, procedure_body(), format="json")

    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "episode", "id": episode.pk}
    assert "entered in error" in response.json()["detail"]


def test_it_refuses_a_therapeutic_discography(staff_client, discography_body):
    response = staff_client.post(URL, discography_body(intent="therapeutic"), format="json")

    assert_refused(response, "intent", "diagnostic")


@pytest.mark.parametrize(
    "score",
    [
        {"minutes_after": 30, "score": 3.5},
        {"minutes_after": 30, "score": True},
        {"minutes_after": 30, "score": "3"},
        {"minutes_after": 30, "score": 11},
        {"minutes_after": 30, "score": -1},
        {"minutes_after": 30, "score": None},
        {"minutes_after": -5, "score": 3},
        {"minutes_after": "30", "score": 3},
        {"minutes_after": 10**30, "score": 3},
        {"score": 3},
        {"minutes_after": 30},
        {"minutes_after": 30, "score": 3, "patient_reported_relief_percent": 101},
        {"minutes_after": 30, "score": 3, "patient_reported_relief_percent": 50.5},
        {"minutes_after": 30, "score": 3, "patient_reported_relief_percent": -1},
    ],
)
def test_it_refuses_a_bad_diary_score(staff_client, procedure_body, score):
    response = staff_client.post(URL, procedure_body(pain_scores=[score]), format="json")

    assert_refused(response, "pain_scores")


def test_it_refuses_two_scores_at_the_same_minute(staff_client, procedure_body):
    scores = [{"minutes_after": 30, "score": 2}, {"minutes_after": 30, "score": 3}]

    response = staff_client.post(URL, procedure_body(pain_scores=scores), format="json")

    assert_refused(response, "pain_scores", "30")


def test_it_names_the_bad_score_in_the_message(staff_client, procedure_body):
    scores = [{"minutes_after": 30, "score": 2}, {"minutes_after": 60, "score": 12}]

    response = staff_client.post(URL, procedure_body(pain_scores=scores), format="json")

    assert_refused(response, "pain_scores", "pain_scores[1].score")


def test_it_refuses_discs_on_a_block_that_is_not_discography(
    staff_client, procedure_body, discography_body
):
    discs = discography_body()["discs"]

    response = staff_client.post(URL, procedure_body(discs=discs), format="json")

    assert_refused(response, "discs", "provocation_discography")


@pytest.mark.parametrize(
    ("disc_changes", "words"),
    [
        ({"level": "L5-S1"}, ["L5-S1", "levels"]),
        ({"level": "L4"}, ["L4"]),
        ({"level": "L3-L4"}, ["L3-L4", "more than once"]),
        ({"concordance": "maybe"}, ["maybe"]),
        ({"annular_grade": 6}, []),
        ({"annular_grade": 2.5}, []),
        ({"opening_pressure_psi": -1}, []),
        ({"provocation_pressure_psi": -3}, []),
        ({"pain_score": 11}, []),
        ({"pain_score": "8"}, []),
        ({"concordance": None}, []),
    ],
)
def test_it_refuses_a_bad_disc(staff_client, discography_body, disc_changes, words):
    body = discography_body()
    body["discs"][0].update(disc_changes)

    response = staff_client.post(URL, body, format="json")

    assert_refused(response, "discs", *words)


@pytest.mark.parametrize(
    "codes",
    [["not_a_contraindication"], "bleeding_disorder", [None], [{"code": "pregnancy"}]],
)
def test_it_refuses_unknown_contraindications(staff_client, procedure_body, codes):
    response = staff_client.post(URL, procedure_body(contraindications=codes), format="json")

    assert_refused(response, "contraindications")


def test_it_refuses_malformed_json(staff_client):
    response = staff_client.post(URL, '{"episode": 1,', content_type="application/json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Procedure.objects.count() == 0


def test_it_refuses_a_body_that_is_not_an_object(staff_client):
    response = staff_client.post(URL, [1, 2], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_it_refuses_nan_in_json(staff_client, procedure_body):
    raw = '{"anesthetic_volume_ml": NaN}'

    response = staff_client.post(URL, raw, content_type="application/json")

    assert response.status_code == 400


def test_it_reports_every_problem_at_once(staff_client, procedure_body):
    body = procedure_body(pre_pain=None, levels=["L4"], anesthetic="none")

    response = staff_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert {"pre_pain", "levels", "anesthetic_volume_ml"} <= set(response.json())


def test_it_reads_a_null_override_reason_as_none_given(staff_client, procedure_body):
    response = staff_client.post(URL, procedure_body(override_reason=None), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["screening"]["override_reason"] == ""
