"""The stored readings commit with the write that changes them, or not at all.

Before: a post_save signal queued an on-commit re-read; when it failed (a year-1 date
overflowing the frequency window) the API answered 400 but the procedure was already committed.
"""

import pytest
from django.db import DataError
from django.db.models.signals import post_save

from blocks.models import PainScore, Procedure
from reports.models import BlockReading, EpisodeSuggestions

pytestmark = pytest.mark.django_db


def test_a_write_whose_readings_cannot_be_stored_writes_nothing(
    staff_client, procedure_body, monkeypatch
):
    def fail(scope):
        raise DataError("value out of range")

    monkeypatch.setattr("reports.store.readings.store_scope", fail)

    response = staff_client.post("/api/procedures/", procedure_body(), format="json")

    assert response.status_code == 400
    assert not Procedure.objects.exists()
    assert not PainScore.objects.exists()


def test_the_readings_are_stored_before_the_write_returns_with_no_on_commit_work(
    staff_client, procedure_body, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post("/api/procedures/", procedure_body(), format="json")

    assert response.status_code == 201
    assert callbacks == []
    pk = response.json()["id"]
    assert BlockReading.objects.filter(procedure_id=pk).count() == 3
    assert EpisodeSuggestions.objects.filter(episode_id=procedure_body()["episode"]).count() == 3


def test_a_diary_score_rereads_the_block_in_its_own_request(staff_client, procedure):
    before = BlockReading.objects.get(procedure=procedure, profile="cms-2021").diary_points

    response = staff_client.post(
        f"/api/procedures/{procedure.pk}/pain-scores/", {"minutes_after": 240, "score": 6}
    )

    assert response.status_code == 201
    reading = BlockReading.objects.get(procedure=procedure, profile="cms-2021")
    assert (before, reading.diary_points) == (1, 2)


def test_no_signal_writes_readings_behind_the_services():
    receivers = [r for r in post_save._live_receivers(Procedure)[0]]
    assert not [r for r in receivers if r.__module__.startswith("reports")]
