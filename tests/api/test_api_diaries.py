"""GET /api/diaries/: the diaries to chase, their state and missing time points."""

import pytest

from tests.factories import record_block

pytestmark = pytest.mark.django_db

URL = "/api/diaries/"
# A bupivacaine diary's last time point is 600 minutes; it closes 2 hours later.
CLOSES = 600 + 120
DAY = 24 * 60


def block(episode, user, minutes_ago, **changes):
    return record_block(episode=episode, performed_by=user, minutes_ago=minutes_ago, **changes)


def items(client, query="") -> list[tuple]:
    response = client.get(URL + query)
    assert response.status_code == 200, response.json()
    return [(i["procedure"], i["state"], i["missing"]) for i in response.json()["results"]]


def test_an_open_diary_lists_the_points_already_due(staff_client, episode, staff_user):
    fresh = block(episode, staff_user, 61, pain_scores=[{"minutes_after": 15, "score": 1}])
    assert items(staff_client, "?status=open") == [(fresh.pk, "open", [30, 60])]
    assert items(staff_client, "?status=overdue") == []


def test_a_diary_is_open_until_two_hours_after_its_last_point(staff_client, episode, staff_user):
    still_open = block(episode, staff_user, CLOSES - 1)
    overdue = block(episode, staff_user, CLOSES + 1)
    every_point = [15, 30, 60, 120, 180, 240, 300, 360, 480, 600]
    assert items(staff_client, "?status=open") == [(still_open.pk, "open", every_point)]
    assert items(staff_client, "?status=overdue") == [(overdue.pk, "overdue", every_point)]
    # Without a status: the diaries to chase, newest first.
    assert [pk for pk, *_ in items(staff_client)] == [still_open.pk, overdue.pk]


def test_an_overdue_diary_is_chased_for_fourteen_days(staff_client, episode, staff_user):
    chased = block(episode, staff_user, CLOSES + 14 * DAY - 2)
    block(episode, staff_user, CLOSES + 14 * DAY + 2)
    assert [pk for pk, *_ in items(staff_client, "?status=overdue")] == [chased.pk]


def test_a_complete_diary_misses_nothing(staff_client, episode, staff_user):
    scores = [{"minutes_after": m, "score": 1} for m in (15, 30, 60, 120, 180, 240, 300, 360)]
    scores += [{"minutes_after": m, "score": 7} for m in (480, 600)]
    done = block(episode, staff_user, CLOSES - 60, pain_scores=scores)
    assert items(staff_client, "?status=complete") == [(done.pk, "complete", [])]
    assert items(staff_client, "?status=open") == []


def test_a_staff_score_ten_minutes_off_answers_the_point(staff_client, episode, staff_user):
    fresh = block(
        episode,
        staff_user,
        75,
        pain_scores=[{"minutes_after": 25, "score": 1}, {"minutes_after": 71, "score": 1}],
    )
    # 25 answers 15 and 30 (both within 10 minutes); 71 is 11 minutes past 60.
    assert items(staff_client, "?status=open") == [(fresh.pk, "open", [60])]


def test_the_list_is_paged_newest_first(staff_client, episode, staff_user):
    blocks = [block(episode, staff_user, minutes) for minutes in (300, 200, 100)]
    first = staff_client.get(URL + "?status=open&page_size=2").json()
    assert first["count"] == 3
    assert [i["procedure"] for i in first["results"]] == [blocks[2].pk, blocks[1].pk]
    second = staff_client.get(URL + "?status=open&page_size=2&page=2").json()
    assert [i["procedure"] for i in second["results"]] == [blocks[0].pk]
    assert staff_client.get(URL + "?status=open&page=3").status_code == 404


def test_an_unknown_status_is_a_400_naming_it(staff_client):
    response = staff_client.get(URL + "?status=late")
    assert response.status_code == 400
    assert response.json() == {"status": ["One of complete, open, overdue."]}


def test_staff_and_physicians_chase_diaries_quality_does_not(
    staff_client, physician_client, quality_client, nobody_client, anon_client
):
    assert staff_client.get(URL).status_code == 200
    assert physician_client.get(URL).status_code == 200
    assert quality_client.get(URL).status_code == 403
    assert nobody_client.get(URL).status_code == 403
    assert anon_client.get(URL).status_code == 401


def test_a_treatment_and_a_record_entered_in_error_keep_no_diary(staff_client, episode, staff_user):
    from blocks import services

    marked = block(episode, staff_user, 100)
    services.mark_entered_in_error(record=marked, reason="wrong patient", user=staff_user)
    block(
        episode,
        staff_user,
        100,
        intent="therapeutic",
        kind="interlaminar_epidural",
        levels=["L4-L5"],
        steroid="triamcinolone",
        steroid_dose_mg=40,
    )
    assert items(staff_client) == []
