"""The staff's diary grid for one block: clock times, one submit, all or nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from blocks import services
from blocks.models import DiaryLink, PainScore
from reports.models import BlockReading
from tests.factories import record_block

pytestmark = pytest.mark.django_db


def url(procedure) -> str:
    return f"/procedures/{procedure.pk}/diary/"


def clock(procedure, minutes: int) -> str:
    return f"{timezone.localtime(procedure.performed_at + dt.timedelta(minutes=minutes)):%H:%M}"


def grid_data(response, *, points=None, extras=(), stored=None) -> dict:
    """The form as the page drew it, with scores typed in.

    `points` {minute: (score, relief)} for the schedule's rows, `extras` [(when, score)] for
    the extra rows, `stored` {score id: {field: value}} for rows already answered.
    """
    points, stored = points or {}, stored or {}
    formset = response.context["grid"].formset
    data = {
        f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()
    }
    extra_rows = iter(extras)
    for form in formset.forms:
        prefix = form.prefix
        initial = form.initial
        for name in ("id", "version", "minutes_after", "score", "patient_reported_relief_percent"):
            if initial.get(name) is not None:
                data[f"{prefix}-{name}"] = initial[name]
        if form.kind == "point" and initial["minutes_after"] in points:
            score, relief = points[initial["minutes_after"]]
            data[f"{prefix}-score"] = score
            data[f"{prefix}-patient_reported_relief_percent"] = "" if relief is None else relief
        elif form.kind == "stored" and initial["id"] in stored:
            for name, value in stored[initial["id"]].items():
                data[f"{prefix}-{name}"] = value
        elif form.kind == "extra" and (row := next(extra_rows, None)):
            data[f"{prefix}-when"], data[f"{prefix}-score"] = row
    return data


@pytest.fixture
def block(episode, staff_user):
    """A bupivacaine block done 70 minutes ago: 15, 30 and 60 due, the rest to come."""
    return record_block(episode=episode, performed_by=staff_user, pre_pain=8)


def scores_of(procedure) -> list[tuple]:
    return list(
        PainScore.objects.filter(procedure=procedure)
        .order_by("minutes_after", "id")
        .values_list("minutes_after", "score", "source", "entered_in_error", "version")
    )


def test_each_time_point_of_the_agent_is_a_row_with_its_clock_time(staff, block):
    response = staff.get(url(block))
    assert response.status_code == 200
    lines = [(line.kind, line.words) for line in response.context["grid"].lines]
    expected = [("missing", f"{clock(block, m)} ({m} min)") for m in (15, 30, 60)]
    expected += [
        ("coming", f"{clock(block, m)}{next_day(block, m)} ({m} min)")
        for m in (120, 180, 240, 300, 360, 480, 600)
    ]
    assert lines[:10] == expected
    assert [kind for kind, _ in lines[10:]] == ["extra"] * 3
    page = response.content.decode()
    assert f"{clock(block, 60)} (60 min)" in page
    assert response.context["missing"] == [f"{clock(block, m)} ({m} min)" for m in (15, 30, 60)]


def next_day(procedure, minutes: int) -> str:
    start = timezone.localtime(procedure.performed_at).date()
    at = timezone.localtime(procedure.performed_at + dt.timedelta(minutes=minutes)).date()
    return " next day" if at != start else ""


def test_all_the_scores_of_a_submit_are_saved_together(staff, block, staff_user):
    page = staff.get(url(block))
    data = grid_data(page, points={15: (1, 90), 30: (1, None), 60: (2, 80)}, extras=[("45", 1)])
    response = staff.post(url(block), data)
    assert response.status_code == 302
    assert scores_of(block) == [
        (15, 1, "staff", False, 1),
        (30, 1, "staff", False, 1),
        (45, 1, "staff", False, 1),
        (60, 2, "staff", False, 1),
    ]
    assert set(PainScore.objects.values_list("recorded_by", flat=True)) == {staff_user.pk}
    after = staff.get(url(block))
    assert after.context["missing"] == []
    assert "Diary saved: 4 scores added." in after.content.decode()


def test_a_bad_row_saves_nothing_and_is_marked_in_place(staff, block):
    page = staff.get(url(block))
    data = grid_data(page, points={15: (1, None), 30: (11, None), 60: (2, None)})
    response = staff.post(url(block), data)
    assert response.status_code == 400
    assert scores_of(block) == []
    forms = response.context["grid"].formset.forms
    assert forms[1].errors == {"score": ["Enter a score from 0 to 10."]}
    assert not forms[0].errors and not forms[2].errors
    assert "Nothing was saved." in response.content.decode()


def test_a_row_the_service_refuses_rolls_back_the_rows_already_written(staff, block):
    # 200 minutes after a block done 70 minutes ago has not come: the service refuses it
    # after the 15-minute row was written; nothing of the submit stays.
    page = staff.get(url(block))
    data = grid_data(page, points={15: (1, None)}, extras=[("200", 3)])
    response = staff.post(url(block), data)
    assert response.status_code == 400
    assert scores_of(block) == []
    extra = response.context["grid"].formset.forms[3]
    assert extra.errors["minutes_after"][0].startswith("This time point is not due yet")
    assert set(
        BlockReading.objects.filter(procedure=block).values_list("relief_percent", flat=True)
    ) == {None}


def test_an_extra_row_takes_a_clock_time(staff, block):
    page = staff.get(url(block))
    response = staff.post(url(block), grid_data(page, extras=[(clock(block, 40), 2)]))
    assert response.status_code == 302
    assert scores_of(block) == [(40, 2, "staff", False, 1)]


def test_a_clock_time_before_the_block_is_refused_clearly(staff, block):
    before = clock(block, -30)
    page = staff.get(url(block))
    response = staff.post(url(block), grid_data(page, extras=[(before, 2), ("1500", 3)]))
    assert response.status_code == 400
    forms = response.context["grid"].formset.forms
    assert forms[3].errors["when"] == [
        f"{before} is before the block ({clock(block, 0)}). A time after midnight reads as "
        "the next day."
    ]
    assert forms[4].errors["when"] == [
        f"1500 minutes is more than a day after the block ({clock(block, 0)}); the diary "
        "ends the next day."
    ]
    assert scores_of(block) == []


def test_a_staff_score_within_ten_minutes_answers_the_time_point(staff, episode, staff_user):
    block = record_block(
        episode=episode,
        performed_by=staff_user,
        pain_scores=[{"minutes_after": 65, "score": 1}, {"minutes_after": 41, "score": 1}],
    )
    response = staff.get(url(block))
    stored = [line for line in response.context["grid"].lines if line.kind == "stored"]
    assert [(line.minutes, line.answers) for line in stored] == [
        (41, []),
        (65, [f"{clock(block, 60)} (60 min)"]),
    ]
    assert response.context["missing"] == [f"{clock(block, m)} ({m} min)" for m in (15, 30)]


def test_a_stored_score_is_corrected_or_withdrawn_in_the_same_submit(staff, episode, staff_user):
    block = record_block(
        episode=episode,
        performed_by=staff_user,
        pain_scores=[{"minutes_after": 15, "score": 7}, {"minutes_after": 30, "score": 1}],
    )
    first, second = PainScore.objects.filter(procedure=block).order_by("minutes_after")
    page = staff.get(url(block))
    data = grid_data(
        page,
        stored={
            first.pk: {"score": 1},
            second.pk: {"entered_in_error": "on", "error_reason": "another patient's"},
        },
        points={60: (2, None)},
    )
    response = staff.post(url(block), data)
    assert response.status_code == 302
    assert scores_of(block) == [
        (15, 1, "staff", False, 2),
        (30, 1, "staff", True, 2),
        (60, 2, "staff", False, 1),
    ]
    assert list(first.history.order_by("history_id").values_list("score", flat=True)) == [7, 1]
    message = staff.get(url(block)).content.decode()
    assert (
        "Diary saved: 1 score added, 1 score corrected, 1 score marked entered in error." in message
    )


def test_a_grid_opened_before_the_patient_answered_saves_nothing(staff, block, staff_user):
    page = staff.get(url(block))
    link, _ = services.diary_link_create(procedure=block, created_by=staff_user)
    services.patient_score_add(link=link, minutes_after=60, score=2)
    response = staff.post(url(block), grid_data(page, points={15: (1, None)}))
    assert response.status_code == 409
    assert scores_of(block) == [(60, 2, "patient", False, 1)]
    assert "The diary changed since you opened it" in response.content.decode()


def test_a_patients_score_shows_its_source_and_late_mark(staff, block, staff_user):
    link, _ = services.diary_link_create(procedure=block, created_by=staff_user)
    score = services.patient_score_add(link=link, minutes_after=15, score=1)
    PainScore.objects.filter(pk=score.pk).update(late=True)
    response = staff.get(url(block))
    line = next(line for line in response.context["grid"].lines if line.kind == "stored")
    assert line.source == "patient (diary link)"
    assert ">late</span>" in response.content.decode()
    assert DiaryLink.objects.count() == 1


def test_the_grid_is_for_staff_and_physicians(staff, physician, quality, anon, block):
    assert staff.get(url(block)).status_code == 200
    assert physician.get(url(block)).status_code == 200
    assert quality.get(url(block)).status_code == 403
    assert anon.get(url(block)).status_code == 302


def test_a_block_without_a_diary_says_so(staff, episode, staff_user):
    treatment = record_block(
        episode=episode,
        performed_by=staff_user,
        intent="therapeutic",
        anesthetic="none",
        anesthetic_volume_ml=None,
        kind="interlaminar_epidural",
        levels=["L4-L5"],
        steroid="triamcinolone",
        steroid_dose_mg=40,
    )
    response = staff.get(url(treatment))
    assert response.status_code == 404
    assert "keeps no post-block diary" in response.content.decode()


def test_the_episode_page_and_the_history_name_who_entered_each_score(
    staff, physician, block, staff_user
):
    services.pain_scores_save(
        procedure=block, rows=[{"add": {"minutes_after": 15, "score": 1}}], recorded_by=staff_user
    )
    link, _ = services.diary_link_create(procedure=block, created_by=staff_user)
    late = services.patient_score_add(link=link, minutes_after=30, score=2)
    PainScore.objects.filter(pk=late.pk).update(late=True)
    PainScore.history.filter(id=late.pk).update(late=True)
    name = staff_user.get_full_name() or staff_user.get_username()
    episode_page = staff.get(f"/episodes/{block.episode_id}/").content.decode()
    assert f"staff: {name}" in episode_page
    assert "patient (diary link)" in episode_page
    assert '<span class="badge mixed">late</span>' in episode_page
    assert f'href="/procedures/{block.pk}/diary/"' in episode_page
    history = physician.get(f"/procedures/{block.pk}/history/").content.decode()
    assert f"entered by staff: {staff_user.get_username()}" in history
    assert "entered by patient (diary link), late" in history


DAY = 24 * 60
CLOSES = 600 + 120  # a bupivacaine diary closes two hours after its 600-minute point


def test_the_diaries_to_chase_list_open_and_recently_overdue_ones_newest_first(
    staff, episode, staff_user
):
    fresh = record_block(episode=episode, performed_by=staff_user, minutes_ago=61)
    overdue = record_block(episode=episode, performed_by=staff_user, minutes_ago=CLOSES + DAY)
    record_block(episode=episode, performed_by=staff_user, minutes_ago=CLOSES + 15 * DAY)
    response = staff.get("/diaries/")
    assert response.status_code == 200
    items = response.context["items"]
    assert [(i.procedure.pk, i.state) for i in items] == [
        (fresh.pk, "open"),
        (overdue.pk, "overdue"),
    ]
    assert items[0].missing == [f"{clock(fresh, m)} ({m} min)" for m in (15, 30, 60)]
    assert len(items[1].missing) == 10
    assert response.context["older"] == 1
    page = response.content.decode()
    assert episode.patient.mrn in page
    assert "1 older overdue diary (closed more than 14 days ago) is no longer chased" in page
    assert f'href="/procedures/{fresh.pk}/diary/"' in page
    overdue_tab = staff.get("/diaries/?status=overdue").context["items"]
    assert [i.procedure.pk for i in overdue_tab] == [overdue.pk]


def test_the_diaries_page_is_paged(staff, episode, staff_user, monkeypatch):
    from blocks.views import diaries

    monkeypatch.setattr(diaries, "PAGE_SIZE", 2)
    made = [
        record_block(episode=episode, performed_by=staff_user, minutes_ago=m) for m in (90, 80, 70)
    ]
    first = staff.get("/diaries/")
    assert [i.procedure.pk for i in first.context["items"]] == [made[2].pk, made[1].pk]
    assert "Page 1 of 2" in first.content.decode()
    second = staff.get("/diaries/?page=2")
    assert [i.procedure.pk for i in second.context["items"]] == [made[0].pk]


def test_the_diaries_page_is_for_staff_and_physicians(staff, physician, quality, anon):
    assert staff.get("/diaries/").status_code == 200
    assert physician.get("/diaries/").status_code == 200
    assert quality.get("/diaries/").status_code == 403
    assert anon.get("/diaries/").status_code == 302
    assert 'href="/diaries/"' in staff.get("/patients/").content.decode()
