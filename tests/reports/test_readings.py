"""Stored readings: filled by the engine inside each write, refreshed by the command."""

import pytest
from django.core.management import call_command

from blocks.models import Procedure
from blocks.rules import PROFILES, get_profile
from blocks.selectors import procedure_interpretations, procedure_list
from blocks.services import mark_entered_in_error, pain_score_add
from reports.models import BlockReading, EpisodeSuggestions, SuggestionReading
from reports.store import readings
from tests.factories import EpisodeFactory, record_procedure
from tests.reports.clinic import T0, small_clinic


def record(episode, user, **changes):
    fields = dict(
        episode=episode,
        performed_by=user,
        performed_at=T0,
        kind="medial_branch_block",
        intent="diagnostic",
        side="right",
        levels=["L4-L5", "L5-S1"],
        anesthetic="lidocaine",
        anesthetic_volume_ml=None,
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="none",
        pre_pain=7,
        pain_scores=[{"minutes_after": 30, "score": 1}, {"minutes_after": 120, "score": 1}],
    )
    fields.update(changes)
    return record_procedure(**fields)


def test_recording_a_procedure_stores_one_reading_per_profile(
    physician_user, django_capture_on_commit_callbacks
):
    episode = EpisodeFactory(created_by=physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        procedure = record(episode, physician_user)
    stored = {r.profile: r for r in BlockReading.objects.filter(procedure=procedure)}
    assert set(stored) == set(PROFILES)
    assert stored["cms-2021"].response == "positive"
    assert stored["cms-2021"].diary_points == 2
    assert stored["cms-2021"].target == "facet|right|L4-L5,L5-S1"
    sets = EpisodeSuggestions.objects.filter(episode=episode)
    assert sets.count() == len(PROFILES)
    codes = set(
        SuggestionReading.objects.filter(episode=episode, profile="cms-2021").values_list(
            "code", flat=True
        )
    )
    assert codes == {"confirmatory_block"}


def test_stored_readings_match_the_api_reading(physician_user):
    clinic = small_clinic(physician_user)
    procedures = list(procedure_list().filter(pk__in=[p.pk for p in clinic["procedures"]]))
    for name in PROFILES:
        expected = procedure_interpretations(procedures, profile=get_profile(name))
        for procedure in procedures:
            stored = BlockReading.objects.get(procedure=procedure, profile=name)
            reading = expected[procedure.pk]
            assert stored.response == reading.response
            assert stored.validity == reading.validity
            assert stored.relief_percent == pytest.approx(reading.relief_percent)
            assert stored.duration_minutes == reading.duration_minutes
            assert stored.warnings == list(reading.warnings)


def test_a_new_diary_score_rereads_the_block(physician_user, django_capture_on_commit_callbacks):
    episode = EpisodeFactory(created_by=physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        procedure = record(episode, physician_user, pain_scores=[])
    assert BlockReading.objects.get(procedure=procedure, profile="cms-2021").response == (
        "indeterminate"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pain_score_add(procedure=procedure, minutes_after=30, score=6, recorded_by=physician_user)
    reading = BlockReading.objects.get(procedure=procedure, profile="cms-2021")
    assert (reading.response, reading.diary_points) == ("negative", 1)


def test_one_transaction_rereads_the_patient_once(
    physician_user, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        "reports.store.readings.store_scope", lambda scope: calls.append(scope.patient_id)
    )
    episode = EpisodeFactory(created_by=physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        record(episode, physician_user)
    assert calls == [episode.patient_id]


def test_a_procedure_entered_in_error_loses_its_readings(
    physician_user, django_capture_on_commit_callbacks
):
    episode = EpisodeFactory(created_by=physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        procedure = record(episode, physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        mark_entered_in_error(record=procedure, reason="Wrong patient", user=physician_user)
    assert not BlockReading.objects.filter(procedure=procedure).exists()


def test_refresh_stale_rereads_only_patients_whose_readings_are_out_of_date(physician_user):
    clinic = small_clinic(physician_user)
    first_patient, other_patient = clinic["patients"]
    BlockReading.objects.filter(procedure__episode__patient=other_patient).update(
        engine_version="0.9"
    )
    assert readings.stale_patients([first_patient.pk, other_patient.pk]) == {other_patient.pk}
    patients, written = readings.refresh_all(stale_only=True)
    assert (patients, written) == (1, 2 * len(PROFILES))
    assert not BlockReading.objects.exclude(engine_version=readings.ENGINE_VERSION).exists()


def test_a_changed_record_makes_its_reading_stale(physician_user):
    clinic = small_clinic(physician_user)
    first = clinic["procedures"][0]
    Procedure.objects.filter(pk=first.pk).update(version=2)  # an edit that sent no signal
    assert readings.stale_patients([first.episode.patient_id]) == {first.episode.patient_id}


def test_refresh_readings_command_rereads_everyone(physician_user, capsys):
    small_clinic(physician_user)
    BlockReading.objects.all().delete()
    call_command("refresh_readings", "--quiet")
    assert "Re-read 2 patients: 15 block readings written" in capsys.readouterr().out
    assert BlockReading.objects.count() == 5 * len(PROFILES)


def test_settled_suggestions_are_kept_beside_the_open_ones(physician_user):
    clinic = small_clinic(physician_user)
    episode = clinic["episodes"][0]
    rows = SuggestionReading.objects.filter(episode=episode, profile="cms-2021")
    # Two positive blocks brought an RFA suggestion; the RFA done after them settled it.
    assert [(r.code, r.status) for r in rows] == [("radiofrequency_ablation", "settled")]
    assert rows[0].based_on == " ".join(str(p.pk) for p in clinic["procedures"][:2])


def test_the_report_asks_for_unread_episodes_only_when_some_are(physician_user):
    """Normally the write path has stored every episode's suggestions: the report then asks
    one remembered question instead of checking each of its episodes. When an episode's are
    missing (rows written around the services), they are read on the fly, as before."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import data as report_data
    from reports.filters import ReportFilters

    small_clinic(physician_user)
    filters = ReportFilters(profile="cms-2021")
    sql, _ = report_data.queries(filters)["unread_episodes"].query.sql_with_params()
    per_episode = sql.split("%s")[0]  # the query as run has its parameters in place
    stored = report_data.load(filters).suggestions.sort_values(["episode_id", "code"])
    with CaptureQueriesContext(connection) as read:
        report_data.load(filters)
    assert not any(per_episode in query["sql"] for query in read)

    episode = SuggestionReading.objects.filter(profile="cms-2021").first().episode_id
    EpisodeSuggestions.objects.filter(episode_id=episode, profile="cms-2021").delete()
    SuggestionReading.objects.filter(episode_id=episode, profile="cms-2021").delete()
    cache.clear()
    with CaptureQueriesContext(connection) as unread:
        data = report_data.load(filters)
    assert any(per_episode in query["sql"] for query in unread)
    again = data.suggestions.sort_values(["episode_id", "code"])
    assert again[stored.columns].reset_index(drop=True).equals(stored.reset_index(drop=True))
