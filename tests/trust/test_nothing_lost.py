"""Nothing is lost: writes are all-or-nothing, nothing is deleted, mistakes are marked."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import get_resolver

from blocks.models import Episode, PainScore, Patient, Procedure, Screening
from tests.factories import ComplicationFactory, PainScoreFactory, ProcedureFactory, UserFactory


def rows() -> tuple[int, int, int]:
    return Procedure.objects.count(), PainScore.objects.count(), Screening.objects.count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_that_fails_after_its_first_insert_leaves_nothing_behind(
    staff_client, procedure_body, monkeypatch
):
    saves = []
    original_save = PainScore.save

    def fail_on_second_call(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("the disk filled up")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(PainScore, "save", fail_on_second_call)
    body = procedure_body(
        pain_scores=[{"minutes_after": 30, "score": 1}, {"minutes_after": 60, "score": 2}]
    )

    with pytest.raises(RuntimeError):
        staff_client.post("/api/procedures/", body, format="json")

    assert len(saves) == 2  # the procedure and the first score were written, then undone
    assert rows() == (0, 0, 0)
    assert Procedure.history.count() == 0 and PainScore.history.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_that_fails_halfway_keeps_the_old_record_and_version(
    staff_client, procedure, monkeypatch
):
    def fail(self, *args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(Procedure, "save", fail)  # after the version was claimed

    with pytest.raises(RuntimeError):
        staff_client.patch(
            f"/api/procedures/{procedure.pk}/", {"version": 1, "pre_pain": 2}, format="json"
        )

    stored = Procedure.objects.get(pk=procedure.pk)
    assert (stored.pre_pain, stored.version) == (7, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["patient", "episode", "procedure", "painscore", "complication", "screening"]
)
def test_the_admin_lets_only_a_superuser_delete(model):
    complication = ComplicationFactory()
    PainScoreFactory(procedure=complication.procedure)
    record = {
        "patient": complication.procedure.episode.patient,
        "episode": complication.procedure.episode,
        "procedure": complication.procedure,
        "painscore": complication.procedure.pain_scores.first(),
        "complication": complication,
        "screening": complication.procedure.screening,
    }[model]
    # An admin-site user holding every permission Django has, but not a superuser.
    staff = UserFactory(username="office.admin", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(staff)
    url = f"/admin/blocks/{model}/{record.pk}/delete/"

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()
    bulk = client.post(
        f"/admin/blocks/{model}/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_no_page_or_api_route_deletes_anything():
    """Deleting is the admin's alone (superusers); the pages and the API only mark in error."""

    def routes(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern, route)
            else:
                yield route

    offenders = [
        route
        for route in routes(get_resolver())
        if not route.startswith("admin/") and "delete" in route.lower()
    ]
    assert offenders == []


def test_a_procedure_entered_in_error_leaves_next_steps_but_stays_in_history(
    staff_client, physician_client, procedure
):
    url = f"/api/episodes/{procedure.episode_id}/next-steps/"
    before = staff_client.get(url).json()["suggestions"]
    assert any(procedure.pk in s["based_on"] for s in before), before

    marked = staff_client.post(
        f"/api/procedures/{procedure.pk}/entered-in-error/",
        {"reason": "Scores belonged to another patient"},
        format="json",
    )
    after = staff_client.get(url).json()["suggestions"]

    assert marked.status_code == 200
    assert not any(procedure.pk in s["based_on"] for s in after), after
    assert Procedure.objects.filter(pk=procedure.pk).exists()
    listed = staff_client.get("/api/procedures/").json()["results"]
    assert procedure.pk not in [row["id"] for row in listed]
    history = physician_client.get(f"/api/procedures/{procedure.pk}/history/").json()
    newest = history["entries"][0]
    assert {"field": "entered_in_error", "from": False, "to": True} in newest["changes"]


def test_a_patient_or_episode_entered_in_error_takes_no_new_records(
    staff_client, procedure_body, episode
):
    staff_client.post(
        f"/api/episodes/{episode.pk}/entered-in-error/", {"reason": "Duplicate"}, format="json"
    )

    response = staff_client.post("/api/procedures/", procedure_body(), format="json")

    assert response.status_code == 409
    assert response.json()["entered_in_error"] == {"record": "episode", "id": episode.pk}
    assert Episode.objects.get(pk=episode.pk).entered_in_error
    assert Patient.objects.count() == 1


@pytest.mark.django_db
def test_a_history_row_survives_when_a_superuser_deletes_in_the_admin():
    procedure = ProcedureFactory()
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    score = PainScoreFactory(procedure=procedure)

    client.post(f"/admin/blocks/painscore/{score.pk}/delete/", {"post": "yes"})

    assert not PainScore.objects.filter(pk=score.pk).exists()
    assert PainScore.history.filter(id=score.pk, history_type="-").exists()
