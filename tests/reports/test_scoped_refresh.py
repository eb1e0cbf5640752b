"""Each write refreshes only what it can change, and the store ends up as a full re-read would.

The services refresh a block's readings for a diary score, the same region's blocks within the
frequency window for a procedure change, the whole patient for an episode change or a mark. A
series of writes through the services must leave exactly the rows a full re-read stores.
"""

import datetime as dt

import pytest

from blocks import services
from blocks.models import Procedure
from reports.models import BlockReading, EpisodeSuggestions, SuggestionReading
from reports.store import readings
from tests.factories import EpisodeFactory, record_procedure, update_procedure

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 1, 5, 9, 30, tzinfo=dt.UTC)


def stored(patient_id):
    def rows(model, key, columns):
        return sorted(
            tuple(row[c] for c in columns)
            for row in model.objects.filter(**{key: patient_id}).values(*columns)
        )

    columns = [c for c in readings.READING_COLUMNS if c != "computed_at"]
    return (
        rows(BlockReading, "procedure__episode__patient_id", columns),
        rows(
            EpisodeSuggestions, "episode__patient_id", ["episode_id", "profile", "suggestion_count"]
        ),
        rows(SuggestionReading, "episode__patient_id", list(readings.SUGGESTION_COLUMNS)),
    )


def block(episode, user, day, **changes):
    fields = dict(
        episode=episode,
        performed_by=user,
        performed_at=T0 + dt.timedelta(days=day),
        kind="medial_branch_block",
        intent="diagnostic",
        side="right",
        levels=["L4-L5", "L5-S1"],
        anesthetic="lidocaine",
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="none",
        pre_pain=7,
        pain_scores=[{"minutes_after": 30, "score": 1}],
    )
    fields.update(changes)
    return record_procedure(**fields)


def test_a_series_of_writes_leaves_what_a_full_reread_stores(physician_user):
    episode = EpisodeFactory(created_by=physician_user, side="right", region="lumbar")
    other = EpisodeFactory(
        patient=episode.patient, created_by=physician_user, side="right", region="lumbar"
    )
    first = block(episode, physician_user, 0)
    second = block(episode, physician_user, 20, anesthetic="bupivacaine", pain_scores=[])
    third = block(other, physician_user, 40)
    block(other, physician_user, 45, kind="facet_intraarticular", levels=["L4-L5"])
    services.pain_score_add(
        procedure=second, minutes_after=240, score=1, recorded_by=physician_user
    )
    update_procedure(
        procedure=third,
        expected_version=third.version,
        updated_by=physician_user,
        performed_at=T0 + dt.timedelta(days=400),
    )
    update_procedure(
        procedure=first,
        expected_version=first.version,
        updated_by=physician_user,
        performed_at=T0 + dt.timedelta(days=10),
    )
    services.mark_entered_in_error(
        record=Procedure.objects.get(pk=second.pk), reason="Wrong side", user=physician_user
    )
    services.episode_create(
        patient=episode.patient,
        region="cervical",
        side="left",
        pain_pattern="axial",
        created_by=physician_user,
    )
    after_writes = stored(episode.patient_id)

    readings.store_for_patients([episode.patient_id])

    assert after_writes == stored(episode.patient_id)
    assert len(after_writes[0]) == 3 * 3  # three standing procedures under three profiles
    assert len(after_writes[1]) == 3 * 3  # three episodes under three profiles


def test_a_diary_score_rewrites_only_its_block(physician_user):
    episode = EpisodeFactory(created_by=physician_user)
    first = block(episode, physician_user, 0)
    second = block(episode, physician_user, 20)
    before = dict(BlockReading.objects.values_list("id", "computed_at"))

    services.pain_score_add(procedure=second, minutes_after=60, score=2, recorded_by=physician_user)

    after = dict(BlockReading.objects.values_list("id", "computed_at"))
    untouched = BlockReading.objects.filter(procedure=first).values_list("id", flat=True)
    assert all(after[pk] == before[pk] for pk in untouched)
    rewritten = BlockReading.objects.filter(procedure=second).values_list("id", flat=True)
    assert all(after[pk] > before[pk] for pk in rewritten)


def test_moving_a_block_out_of_the_year_clears_a_later_blocks_frequency_warning(physician_user):
    episode = EpisodeFactory(created_by=physician_user, region="lumbar")
    other = EpisodeFactory(patient=episode.patient, created_by=physician_user, region="lumbar")
    first = block(episode, physician_user, 0)
    for day in (10, 20, 30):
        block(episode, physician_user, day)
    fifth = block(other, physician_user, 40)  # a fifth diagnostic facet session in 365 days

    def warnings_of_fifth():
        return BlockReading.objects.get(procedure=fifth, profile="cms-2021").warnings

    assert "frequency_limit" in warnings_of_fifth()

    update_procedure(
        procedure=first,
        expected_version=first.version,
        updated_by=physician_user,
        performed_at=T0 - dt.timedelta(days=400),
    )

    assert "frequency_limit" not in warnings_of_fifth()
    after_writes = stored(episode.patient_id)
    readings.store_for_patients([episode.patient_id])
    assert after_writes == stored(episode.patient_id)
