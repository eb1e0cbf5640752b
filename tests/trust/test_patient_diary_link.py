"""The patient's diary link as a service: a token shown once, one block, open diaries only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blocks import services
from blocks.models import DiaryLink, PainScore, Procedure, token_hash
from reports.models import BlockReading
from tests.factories import EpisodeFactory, record_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(staff_user):
    return EpisodeFactory(created_by=staff_user, region="lumbar", side="right")


@pytest.fixture
def fresh_block(episode, physician_user):
    """A bupivacaine medial branch block done 70 minutes ago, scored in recovery at 15 and 30."""
    return record_block(
        episode=episode,
        performed_by=physician_user,
        pain_scores=[{"minutes_after": 15, "score": 1}, {"minutes_after": 30, "score": 1}],
    )


def test_the_token_is_returned_once_and_only_its_hash_is_stored(fresh_block, staff_user):
    link, token = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    assert len(token) >= 40
    assert link.token_hash == token_hash(token) != token
    assert not DiaryLink.objects.filter(token_hash=token).exists()
    assert link.expires_at == fresh_block.diary_closes_at
    assert services.link_for_token(token) == link


def test_a_new_link_revokes_the_old_one(fresh_block, staff_user):
    _, old = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    _, new = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    with pytest.raises(services.LinkGone):
        services.link_for_token(old)
    assert services.link_for_token(new).procedure_id == fresh_block.pk
    assert DiaryLink.objects.filter(procedure=fresh_block).count() == 2


def test_an_unknown_token_is_not_found():
    with pytest.raises(DiaryLink.DoesNotExist):
        services.link_for_token("x" * 43)


def test_the_patient_answers_a_time_point_once_and_the_reading_updates(fresh_block, staff_user):
    link, token = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    score = services.patient_score_add(link=link, minutes_after=60, score=1)
    assert (score.source, score.recorded_by, score.diary_link, score.late) == (
        "patient",
        None,
        link,
        False,
    )
    reading = BlockReading.objects.get(procedure=fresh_block, profile="cms-2021")
    assert reading.diary_points == 3
    assert reading.duration_minutes == 60
    with pytest.raises(services.DiaryConflict) as refused:
        services.patient_score_add(link=link, minutes_after=60, score=3)
    assert refused.value.code == "answered"


def test_a_point_staff_already_answered_within_ten_minutes_is_answered(fresh_block, staff_user):
    link, _ = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    with pytest.raises(services.DiaryConflict) as refused:
        services.patient_score_add(link=link, minutes_after=30, score=1)
    assert refused.value.code == "answered"


def test_a_point_off_the_schedule_names_the_field(fresh_block, staff_user):
    link, _ = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    with pytest.raises(ValidationError) as refused:
        services.patient_score_add(link=link, minutes_after=45, score=1)
    assert list(refused.value.message_dict) == ["minutes_after"]


def test_a_point_more_than_five_minutes_ahead_is_refused(fresh_block, staff_user):
    link, _ = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    with pytest.raises(services.DiaryConflict) as refused:
        services.patient_score_add(link=link, minutes_after=120, score=1)
    assert refused.value.code == "too_early"
    assert PainScore.objects.filter(procedure=fresh_block).count() == 2


def test_an_answer_after_the_next_point_was_due_is_kept_and_marked_late(
    episode, physician_user, staff_user
):
    block = record_block(episode=episode, performed_by=physician_user, minutes_ago=130)
    link, _ = services.diary_link_create(procedure=block, created_by=staff_user)
    score = services.patient_score_add(link=link, minutes_after=60, score=1)
    assert score.late is True  # the 120-minute point was already due


def test_a_block_without_a_diary_gets_no_link(episode, physician_user, staff_user):
    block = record_block(
        episode=episode, performed_by=physician_user, anesthetic="none", anesthetic_volume_ml=None
    )
    with pytest.raises(ValidationError):
        services.diary_link_create(procedure=block, created_by=staff_user)


def test_a_closed_diary_gets_no_link_and_an_open_link_expires_with_it(fresh_block, staff_user):
    link, token = services.diary_link_create(procedure=fresh_block, created_by=staff_user)
    later = fresh_block.diary_closes_at + dt.timedelta(seconds=1)
    with pytest.raises(services.LinkGone):
        services.link_for_token(token, now=later)
    with pytest.raises(services.DiaryConflict) as refused:
        services.diary_link_create(procedure=fresh_block, created_by=staff_user, now=later)
    assert refused.value.code == "diary_not_open"


def test_the_closing_time_is_stored_so_lists_compare_it_in_sql(fresh_block):
    closes = fresh_block.performed_at + dt.timedelta(minutes=600 + 120)
    assert Procedure.objects.get(pk=fresh_block.pk).diary_closes_at == closes
    now = timezone.now()
    assert list(Procedure.objects.diary_in_state("open", now)) == [fresh_block]
    assert not Procedure.objects.diary_in_state("overdue", now).exists()
    assert list(Procedure.objects.diary_in_state("overdue", closes)) == [fresh_block]


def test_a_staff_score_for_a_time_not_yet_come_is_refused(fresh_block, staff_user):
    with pytest.raises(ValidationError) as refused:
        services.pain_score_add(
            procedure=fresh_block, minutes_after=120, score=1, recorded_by=staff_user
        )
    assert list(refused.value.message_dict) == ["minutes_after"]
