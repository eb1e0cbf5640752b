"""GET /api/episodes/{id}/next-steps/ and /api/profiles/: the engine's wiring, not its rules."""

import datetime as dt

from tests.factories import EpisodeFactory, PainScoreFactory, ProcedureFactory


def url(episode, query=""):
    return f"/api/episodes/{episode.pk}/next-steps/{query}"


def test_it_suggests_recording_scores_for_a_block_without_any(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)

    body = staff_client.get(url(episode)).json()

    assert body["profile"] == "cms-2021"
    [suggestion] = body["suggestions"]
    assert set(suggestion) >= {
        "code",
        "levels",
        "side",
        "based_on",
        "earliest_date",
        "anesthetic",
        "rule",
        "rationale",
        "source",
    }
    assert suggestion["code"] == "record_post_block_scores"
    assert suggestion["based_on"] == [procedure.pk]
    assert suggestion["levels"] == ["L4-L5", "L5-S1"]
    assert suggestion["side"] == "right"
    assert body["warnings"] == []


def test_it_gives_a_confirmatory_block_an_iso_earliest_date(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)
    PainScoreFactory(procedure=procedure, minutes_after=30, score=1)
    PainScoreFactory(procedure=procedure, minutes_after=90, score=1)

    body = staff_client.get(url(episode)).json()

    dates = [s["earliest_date"] for s in body["suggestions"] if s["earliest_date"]]
    assert dates, body
    assert all(dt.date.fromisoformat(value) for value in dates)


def test_it_leaves_out_procedures_entered_in_error(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)
    staff_client.post(f"/api/procedures/{procedure.pk}/entered-in-error/", {"reason": "dup"})

    body = staff_client.get(url(episode)).json()

    assert body["suggestions"] == []


def test_it_only_reads_the_episodes_own_procedures(staff_client, episode):
    other = EpisodeFactory(patient=episode.patient, region="cervical")
    ProcedureFactory(episode=other, levels=["C5-C6"])

    assert staff_client.get(url(episode)).json()["suggestions"] == []


def test_it_lists_frequency_limit_warnings_per_procedure(staff_client, episode):
    procedure = ProcedureFactory(episode=episode, levels=["L3-L4", "L4-L5", "L5-S1"])

    body = staff_client.get(url(episode)).json()

    [warning] = body["warnings"]
    assert warning["procedure"] == procedure.pk
    assert warning["code"] == "frequency_limit"
    assert warning["message"]


def test_it_counts_procedures_of_other_episodes_towards_frequency_limits(staff_client, episode):
    other = EpisodeFactory(patient=episode.patient, region="lumbar", side="left")
    for day in range(1, 5):
        ProcedureFactory(
            episode=other, side="left", performed_at=dt.datetime(2026, 1, day, tzinfo=dt.UTC)
        )
    procedure = ProcedureFactory(episode=episode)

    body = staff_client.get(url(episode)).json()

    assert [w["procedure"] for w in body["warnings"]] == [procedure.pk]


def test_it_reads_next_steps_under_another_profile(staff_client, episode):
    assert staff_client.get(url(episode, "?profile=asra-2020")).json()["profile"] == "asra-2020"


def test_it_refuses_an_unknown_profile(staff_client, episode):
    response = staff_client.get(url(episode, "?profile=cms-1999"))

    assert response.status_code == 400
    assert "profile" in response.json()


def test_it_answers_404_for_a_missing_episode(staff_client):
    assert staff_client.get("/api/episodes/999999/next-steps/").status_code == 404


def test_it_lists_the_profiles_as_an_array(staff_client):
    response = staff_client.get("/api/profiles/")

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert {p["name"] for p in body} == {"cms-2021", "asra-2020", "sis-controlled"}
    for profile in body:
        assert {"name", "title", "version_date", "sources", "parameters"} <= set(profile)


def test_it_shows_one_profile(staff_client):
    body = staff_client.get("/api/profiles/asra-2020/").json()

    assert body["name"] == "asra-2020"
    assert body["parameters"]["medial_branch_positive_percent"] == 50.0


def test_it_answers_404_for_an_unknown_profile_name(staff_client):
    assert staff_client.get("/api/profiles/nice-2099/").status_code == 404
