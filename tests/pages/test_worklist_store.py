"""The worklist reads the stored suggestions: one page of episodes, the physician's own first.

What a physician notices: the page answers as fast for a clinic of 50,000 episodes as for
30 (nothing of an unshown episode is loaded), their own patients come first, staff tasks are
not theirs to accept, an Accept says what it accepts, and a refused decline comes back on
the same filtered worklist.
"""

import re

import pytest
from django.db.models.signals import post_init

from blocks.models import Decision, DiscInjection, Episode, PainScore, Patient, Procedure
from reports.models import BlockReading, EpisodeSuggestions, SuggestionReading
from tests.factories import EpisodeFactory, PainScoreFactory, ProcedureFactory, UserFactory
from tests.pages.conftest import record_block
from tests.pages.markup import text

pytestmark = pytest.mark.django_db


def worklist(client, **query) -> str:
    response = client.get("/worklist/", query)
    assert response.status_code == 200
    return response.content.decode()


def listed(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="episode-(\d+)-title"', page)]


class Loaded:
    """The episodes whose rows were built into model objects during a request."""

    def __init__(self):
        self.episodes: set[int] = set()
        self.procedures: set[int] = set()
        self.models = (
            Episode,
            Patient,
            Procedure,
            PainScore,
            DiscInjection,
            Decision,
            BlockReading,
            SuggestionReading,
            EpisodeSuggestions,
        )

    def __call__(self, sender, instance, **kwargs):
        if sender is Episode:
            self.episodes.add(instance.pk)
        elif sender is Patient:
            self.episodes |= set(
                Episode.objects.filter(patient_id=instance.pk).values_list("pk", flat=True)
            )
        elif sender is Procedure:
            self.episodes.add(instance.episode_id)
        elif sender in (PainScore, DiscInjection):
            self.procedures.add(instance.procedure_id)
        elif sender is BlockReading:
            self.procedures.add(instance.procedure_id)
        else:
            self.episodes.add(instance.episode_id)

    def __enter__(self):
        for model in self.models:
            post_init.connect(self, sender=model, weak=False)
        return self

    def __exit__(self, *exc):
        for model in self.models:
            post_init.disconnect(self, sender=model)
        self.episodes |= set(
            Procedure.objects.filter(pk__in=self.procedures).values_list("episode_id", flat=True)
        )


def test_the_worklist_loads_nothing_of_the_episodes_it_does_not_show(
    physician, physician_user, staff_user
):
    episodes = [EpisodeFactory(created_by=staff_user) for _ in range(30)]
    for day, episode in enumerate(episodes):
        record_block(episode, performed_by=physician_user, days=day)
    newest_first = [e.pk for e in reversed(episodes)]

    with Loaded() as loaded:
        page = worklist(physician)

    assert "30 episodes awaiting a decision." in text(page)
    assert listed(page) == newest_first[:25]
    unshown = set(newest_first[25:])
    assert len(unshown) == 5
    assert loaded.episodes & unshown == set()
    assert set(newest_first[:25]) <= loaded.episodes  # the shown ones were read
    assert listed(worklist(physician, page=2)) == newest_first[25:]


def test_a_physician_starts_on_their_own_worklist_and_all_physicians_is_one_click_away(
    physician, physician_user, staff_user
):
    other = UserFactory(username="dr.ola", roles=["physician"], first_name="Ola", last_name="Ng")
    mine, theirs = EpisodeFactory(created_by=staff_user), EpisodeFactory(created_by=staff_user)
    record_block(mine, performed_by=physician_user)
    record_block(theirs, performed_by=other, days=1)

    page = worklist(physician)
    assert listed(page) == [mine.pk]
    assert "1 episode awaiting a decision." in text(page)
    assert f'href="?physician={physician_user.pk}" aria-current="page">My patients</a>' in page
    assert f'<option value="{physician_user.pk}" selected>Pat Okafor</option>' in page

    everyone = worklist(physician, physician="")
    assert listed(everyone) == [theirs.pk, mine.pk]
    assert 'href="?physician=" aria-current="page">All physicians</a>' in everyone
    assert "2 episodes awaiting a decision." in text(everyone)


def test_staff_tasks_are_counted_for_the_physician_not_offered_to_decide(
    physician, physician_user, episode
):
    record_block(episode, performed_by=physician_user, diary=())  # no score: staff record it

    page = worklist(physician)

    assert "1 block awaits scores (staff)." in text(page)
    assert "Record post-block scores" not in page
    assert listed(page) == []
    assert "Nothing awaits a decision" in page


def test_an_accept_button_says_what_is_accepted(physician, physician_user, staff_user):
    confirm, partial = EpisodeFactory(created_by=staff_user), EpisodeFactory(created_by=staff_user)
    record_block(confirm, performed_by=physician_user)
    record_block(partial, performed_by=physician_user, diary=((15, 3), (30, 3), (90, 3), (180, 5)))

    page = text(worklist(physician))

    assert "Accept: confirmatory block with bupivacaine" in page
    assert "Accept: physician review" in page


def test_a_decline_without_a_reason_comes_back_in_place_on_the_filtered_worklist(
    physician, physician_user, staff_user
):
    other = UserFactory(username="dr.ola", roles=["physician"], first_name="Ola", last_name="Ng")
    theirs = EpisodeFactory(created_by=staff_user)
    record_block(theirs, performed_by=other)
    record_block(
        EpisodeFactory(created_by=staff_user), performed_by=physician_user, guidance="none"
    )
    here = f"/worklist/?code=confirmatory_block&physician={other.pk}"
    [fingerprint] = re.findall(
        r'name="fingerprint" value="([0-9a-f]+)"',
        worklist(physician, code="confirmatory_block", physician=other.pk),
    )[:1]
    body = {"fingerprint": fingerprint, "status": "declined", "reason": "", "next": here}

    refused = physician.post(f"/episodes/{theirs.pk}/decisions/", body)

    page = refused.content.decode()
    assert refused.status_code == 400
    assert "<title>Worklist" in page
    assert listed(page) == [theirs.pk]
    card = page.split(f'id="episode-{theirs.pk}-title"')[1]
    assert "Say why the suggestion is declined." in card
    assert 'aria-invalid="true"' in card
    assert '<option value="confirmatory_block" selected>' in page
    assert (
        f'name="next" value="/worklist/?code=confirmatory_block&amp;physician={other.pk}"' in page
    )
    assert not Decision.objects.exists()

    done = physician.post(
        f"/episodes/{theirs.pk}/decisions/", {**body, "reason": "Patient prefers physiotherapy."}
    )

    assert done.status_code == 302
    assert done["Location"] == here
    assert Decision.objects.get().reason == "Patient prefers physiotherapy."


def test_an_accept_from_page_two_returns_to_page_two(physician, physician_user, staff_user):
    episodes = [EpisodeFactory(created_by=staff_user) for _ in range(27)]
    for day, episode in enumerate(episodes):
        record_block(episode, performed_by=physician_user, days=day)
    second = worklist(physician, page=2)
    oldest = episodes[0]
    assert listed(second) == [episodes[1].pk, oldest.pk]
    [fingerprint] = re.findall(
        r'name="fingerprint" value="([0-9a-f]+)"',
        second.split(f'id="episode-{oldest.pk}-title"')[1],
    )[:1]

    done = physician.post(
        f"/episodes/{oldest.pk}/decisions/",
        {"fingerprint": fingerprint, "status": "accepted", "next": "/worklist/?page=2"},
    )

    assert done["Location"] == "/worklist/?page=2"
    assert listed(worklist(physician, page=2)) == [episodes[1].pk]


def test_an_episode_written_around_the_services_is_read_on_the_first_visit(
    physician, physician_user
):
    procedure = ProcedureFactory(episode__created_by=physician_user)
    PainScoreFactory(procedure=procedure, minutes_after=30, score=1)
    PainScoreFactory(procedure=procedure, minutes_after=90, score=1)
    assert not EpisodeSuggestions.objects.exists()

    page = worklist(physician)

    assert listed(page) == [procedure.episode_id]
    assert EpisodeSuggestions.objects.filter(episode=procedure.episode).count() == 3


def test_episodes_read_by_another_engine_version_are_counted_not_hidden_silently(
    physician, physician_user, episode, monkeypatch
):
    record_block(episode, performed_by=physician_user)
    monkeypatch.setattr("reports.store.worklist.ENGINE_VERSION", "a-newer-engine")
    monkeypatch.setattr("reports.store.worklist.LAZY_REFRESH_PATIENTS", 0)

    page = worklist(physician)

    assert listed(page) == []
    assert "1 episode is not listed:" in text(page)


@pytest.mark.parametrize("per_row", [1, 2, 40])
def test_every_page_walked_from_the_newest_blocks_is_the_page_of_the_sorted_list(
    physician_user, staff_user, monkeypatch, per_row
):
    """A page is read by walking the newest procedures (reports.store.worklist), in a window
    that may end among blocks of the same minute: each page is still exactly that page of the
    whole list sorted by each episode's latest block, then the newest episode."""
    from reports.store import worklist as store

    other = UserFactory(username="dr.ola", roles=["physician"])
    episodes = [EpisodeFactory(created_by=staff_user) for _ in range(9)]
    for n, episode in enumerate(episodes):
        record_block(episode, performed_by=physician_user if n % 3 else other, days=n // 3)
    # The other physician's later block is the latest of two of this physician's episodes.
    for episode in (episodes[1], episodes[4]):
        record_block(episode, performed_by=other, days=5, levels=["L3-L4"])
    monkeypatch.setattr(store, "WALK_PER_ROW", per_row)

    for physician_id in (physician_user.pk, None):
        episodes_of = store.worklist_episodes("cms-2021", physician_id=physician_id)
        whole = list(episodes_of.sorted_ids())
        assert len(whole) == episodes_of.count() >= 6
        for start in range(len(whole) + 1):
            assert episodes_of[start : start + 2] == whole[start : start + 2]
    mine = store.worklist_episodes("cms-2021", physician_id=physician_user.pk)
    assert mine[0:2] == [episodes[4].pk, episodes[1].pk]  # their latest block is the newest
    assert list(mine.walked_ids(100)) == list(mine.sorted_ids())


def test_episodes_and_patients_entered_in_error_leave_the_list_and_its_counts(
    physician, physician_user, staff_user
):
    from blocks.services import mark_entered_in_error

    kept, wrong_episode, wrong_patient = (EpisodeFactory(created_by=staff_user) for _ in range(3))
    for day, episode in enumerate((kept, wrong_episode, wrong_patient)):
        record_block(episode, performed_by=physician_user, days=day)
    assert "3 episodes awaiting a decision." in text(worklist(physician))

    mark_entered_in_error(record=wrong_episode, reason="wrong patient", user=physician_user)
    mark_entered_in_error(record=wrong_patient.patient, reason="duplicate", user=physician_user)
    page = worklist(physician)

    assert listed(page) == [kept.pk]
    assert "1 episode awaiting a decision." in text(page)
    assert "Confirmatory block (1)" in page
