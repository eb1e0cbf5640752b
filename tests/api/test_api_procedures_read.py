"""GET /api/procedures/ and /api/procedures/{id}/: the full record, filters, entered in error."""

import datetime as dt

import pytest

from tests.factories import (
    ComplicationFactory,
    DiscInjectionFactory,
    EpisodeFactory,
    PainScoreFactory,
    PatientFactory,
    ProcedureFactory,
)

URL = "/api/procedures/"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_it_shows_the_full_record(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)
    PainScoreFactory(procedure=procedure, minutes_after=30, score=1)
    ComplicationFactory(procedure=procedure)

    body = staff_client.get(f"{URL}{procedure.pk}/").json()

    assert body["episode"] == episode.pk
    assert body["patient"] == episode.patient_id
    assert body["mrn"] == episode.patient.mrn
    assert body["levels"] == ["L4-L5", "L5-S1"]
    assert body["anesthetic_volume_ml"] == 0.5
    assert body["pain_scores"][0]["score"] == 1
    assert body["discs"] == []
    assert set(body["screening"]) == {
        "contraindications",
        "override_reason",
        "overridden_by",
        "overridden_at",
        "hard_stops",
        "warnings",
        "findings",
    }
    assert body["complications"][0]["code"] == "spinal_headache"
    assert body["interpretation"]["profile"] == "cms-2021"
    assert body["interpretation"]["relief_percent"] == 85.7


def test_it_shows_the_disc_readings_of_a_discography(staff_client):
    disc = DiscInjectionFactory()

    body = staff_client.get(f"{URL}{disc.procedure_id}/").json()

    assert body["discs"][0]["opening_pressure_psi"] == 10
    assert body["interpretation"]["relief_percent"] is None
    assert body["interpretation"]["discs"][0]["level"] == "L4-L5"


def test_it_interprets_under_the_requested_profile(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)

    detail = staff_client.get(f"{URL}{procedure.pk}/?profile=sis-controlled").json()
    listing = staff_client.get(f"{URL}?profile=asra-2020").json()

    assert detail["interpretation"]["profile"] == "sis-controlled"
    assert listing["results"][0]["interpretation"]["profile"] == "asra-2020"


@pytest.mark.parametrize("url", [URL, "{URL}{pk}/"])
def test_it_refuses_an_unknown_profile(staff_client, episode, url):
    procedure = ProcedureFactory(episode=episode)

    response = staff_client.get(url.format(URL=URL, pk=procedure.pk) + "?profile=nope")

    assert response.status_code == 400
    assert "nope" in response.json()["profile"][0]


def test_it_filters_by_patient_mrn_episode_kind_and_intent(staff_client, episode):
    other_patient = PatientFactory(mrn="OTHER")
    other_episode = EpisodeFactory(patient=other_patient)
    mbb = ProcedureFactory(episode=episode)
    si = ProcedureFactory(episode=episode, kind="sacroiliac_joint", levels=["SI"])
    therapeutic = ProcedureFactory(
        episode=other_episode, intent="therapeutic", steroid="triamcinolone", steroid_dose_mg=40
    )

    assert ids(staff_client.get(f"{URL}?mrn=OTHER")) == [therapeutic.pk]
    assert ids(staff_client.get(f"{URL}?mrn=other")) == [therapeutic.pk]  # whatever the case
    assert ids(staff_client.get(f"{URL}?mrn=OTH")) == []  # the whole MRN, not a prefix
    assert ids(staff_client.get(f"{URL}?mrn=\u212aOTHER")) == []  # an MRN is ASCII only
    assert sorted(ids(staff_client.get(f"{URL}?patient={episode.patient_id}"))) == sorted(
        [mbb.pk, si.pk]
    )
    assert sorted(ids(staff_client.get(f"{URL}?episode={episode.pk}"))) == sorted([mbb.pk, si.pk])
    assert ids(staff_client.get(f"{URL}?kind=sacroiliac_joint")) == [si.pk]
    assert ids(staff_client.get(f"{URL}?intent=therapeutic")) == [therapeutic.pk]


def test_it_filters_by_inclusive_dates(staff_client, episode):
    def on(day):
        return ProcedureFactory(
            episode=episode, performed_at=dt.datetime(2026, 3, day, 23, 0, tzinfo=dt.UTC)
        )

    first, second, third = on(1), on(2), on(3)

    assert ids(staff_client.get(f"{URL}?from=2026-03-02&to=2026-03-02")) == [second.pk]
    assert ids(staff_client.get(f"{URL}?from=2026-03-02")) == [third.pk, second.pk]
    assert ids(staff_client.get(f"{URL}?to=2026-03-01")) == [first.pk]


@pytest.mark.parametrize(
    "query",
    [
        "kind=nerve_block",
        "intent=curative",
        "from=yesterday",
        "to=2026-13-01",
        "episode=x",
        "episode=1.5",
        "patient=99999999999999999999999",
        "patient=1e30",
    ],
)
def test_it_refuses_a_bad_filter(staff_client, query):
    response = staff_client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_it_paginates(staff_client, episode):
    for _ in range(3):
        ProcedureFactory(episode=episode)

    body = staff_client.get(f"{URL}?page_size=2").json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] is not None


def test_it_marks_a_procedure_entered_in_error(staff_client, staff_user, episode):
    procedure = ProcedureFactory(episode=episode)

    response = staff_client.post(
        f"{URL}{procedure.pk}/entered-in-error/", {"reason": "wrong side"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["entered_in_error"] is True
    assert body["entered_in_error_reason"] == "wrong side"
    assert body["entered_in_error_by"] == staff_user.pk
    assert body["entered_in_error_at"] is not None
    assert body["version"] == 2
    assert "interpretation" in body


def test_it_hides_procedures_entered_in_error_unless_asked(staff_client, episode):
    kept = ProcedureFactory(episode=episode)
    hidden = ProcedureFactory(episode=episode)
    staff_client.post(f"{URL}{hidden.pk}/entered-in-error/", {"reason": "duplicate"})

    assert ids(staff_client.get(URL)) == [kept.pk]
    assert set(ids(staff_client.get(f"{URL}?include_entered_in_error=true"))) == {
        kept.pk,
        hidden.pk,
    }
    assert staff_client.get(f"{URL}{hidden.pk}/").json()["entered_in_error"] is True


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": 7}])
def test_it_needs_a_reason_to_mark_entered_in_error(staff_client, episode, body):
    procedure = ProcedureFactory(episode=episode)

    response = staff_client.post(f"{URL}{procedure.pk}/entered-in-error/", body, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    procedure.refresh_from_db()
    assert procedure.entered_in_error is False


def test_it_refuses_to_mark_entered_in_error_twice(staff_client, episode):
    procedure = ProcedureFactory(episode=episode)
    url = f"{URL}{procedure.pk}/entered-in-error/"
    staff_client.post(url, {"reason": "duplicate"}, format="json")

    response = staff_client.post(url, {"reason": "again"}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
