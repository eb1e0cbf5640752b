"""The physician's worklist: undecided suggestions, filters, counts, accept and decline."""

import re

import pytest

from blocks.models import Decision
from tests.factories import EpisodeFactory, UserFactory
from tests.pages.conftest import record_block
from tests.pages.markup import inline_code, text, unlabelled_inputs

pytestmark = pytest.mark.django_db


def worklist(client, **query) -> str:
    response = client.get("/worklist/", query)
    assert response.status_code == 200
    return response.content.decode()


def fingerprints(page: str, episode) -> list[str]:
    section = page.split(f'id="episode-{episode.pk}-title"')[1].split('class="work-item"')[0]
    return list(dict.fromkeys(re.findall(r'name="fingerprint" value="([0-9a-f]+)"', section)))


def decide(client, episode, fingerprint, status="accepted", reason="", next_url="/worklist/"):
    return client.post(
        f"/episodes/{episode.pk}/decisions/",
        {"fingerprint": fingerprint, "status": status, "reason": reason, "next": next_url},
    )


def test_a_named_patient_is_listed_by_name_and_mrn(physician, episode, block):
    episode.patient.given_name, episode.patient.family_name = "Ada", "Synthetic"
    episode.patient.save()
    block()
    assert f"Ada Synthetic ({episode.patient.mrn}) · " in worklist(physician)


def test_an_episode_with_an_undecided_suggestion_is_listed(physician, episode, block):
    block()
    page = worklist(physician)
    assert f"Patient {episode.patient.mrn} · " in page  # no name recorded: the MRN
    assert f"· episode {episode.pk}" not in page  # no internal id in the heading
    assert "Confirmatory block" in page
    assert "1 episode awaiting a decision." in text(page)
    assert unlabelled_inputs(page) == []
    assert inline_code(page) == []


def test_an_episode_without_procedures_is_not_listed(physician, episode):
    assert "Nothing awaits a decision" in worklist(physician)


def test_accepting_a_suggestion_takes_the_episode_off_the_worklist(
    physician, episode, block, physician_user
):
    block()
    [fingerprint] = fingerprints(worklist(physician), episode)
    response = decide(physician, episode, fingerprint)
    assert response.status_code == 302
    assert response["Location"] == "/worklist/"
    decision = Decision.objects.get()
    assert (decision.status, decision.code, decision.decided_by) == (
        "accepted",
        "confirmatory_block",
        physician_user,
    )
    assert decision.profile == "cms-2021"
    assert "Nothing awaits a decision" in worklist(physician)


def test_declining_needs_a_reason_and_keeps_the_episode_listed(physician, episode, block):
    block()
    [fingerprint] = fingerprints(worklist(physician), episode)
    response = decide(physician, episode, fingerprint, status="declined")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why the suggestion is declined." in page
    assert 'aria-invalid="true"' in page
    assert not Decision.objects.exists()
    assert f'id="episode-{episode.pk}-title"' in worklist(physician)


def test_a_declined_suggestion_stores_the_reason(physician, episode, block):
    block()
    [fingerprint] = fingerprints(worklist(physician), episode)
    decide(physician, episode, fingerprint, status="declined", reason="Patient prefers physio.")
    assert Decision.objects.get().reason == "Patient prefers physio."
    assert "Nothing awaits a decision" in worklist(physician)


def test_a_new_block_that_changes_the_advice_brings_the_episode_back(physician, episode, block):
    block()
    [fingerprint] = fingerprints(worklist(physician), episode)
    decide(physician, episode, fingerprint)
    assert "Nothing awaits a decision" in worklist(physician)
    block(days=15, anesthetic="bupivacaine", diary=((15, 1), (60, 1), (240, 1), (360, 5)))
    page = worklist(physician)
    assert f'id="episode-{episode.pk}-title"' in page
    assert "Radiofrequency ablation (RFA)" in page


def test_a_stale_suggestion_is_refused_with_a_400(physician, episode, block):
    block()
    response = decide(physician, episode, "0" * 40)
    assert response.status_code == 400
    assert "not among the episode" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_suggestion_cannot_be_decided_twice(physician, episode, block):
    block()
    [fingerprint] = fingerprints(worklist(physician), episode)
    decide(physician, episode, fingerprint)
    response = decide(physician, episode, fingerprint, status="declined", reason="changed my mind")
    assert response.status_code == 400
    assert Decision.objects.count() == 1


def test_the_next_address_must_be_on_this_site(physician, episode, block):
    block()
    [fingerprint] = fingerprints(worklist(physician), episode)
    response = decide(physician, episode, fingerprint, next_url="https://evil.example/")
    assert response["Location"] == f"/episodes/{episode.pk}/"


def test_newest_first(physician, physician_user, staff_user):
    older = EpisodeFactory(created_by=staff_user)
    newer = EpisodeFactory(created_by=staff_user)
    record_block(newer, performed_by=physician_user, days=3)
    record_block(older, performed_by=physician_user, days=0)
    page = worklist(physician)
    assert page.index(f'id="episode-{newer.pk}-title"') < page.index(
        f'id="episode-{older.pk}-title"'
    )


def test_filter_by_suggestion_code_with_counts(physician, physician_user, staff_user):
    confirm = EpisodeFactory(created_by=staff_user)
    repeat = EpisodeFactory(created_by=staff_user)
    record_block(confirm, performed_by=physician_user)
    record_block(repeat, performed_by=physician_user, guidance="none")
    page = worklist(physician)
    assert 'Confirmatory block <span class="count">1</span>' in page
    assert 'Repeat the block <span class="count">1</span>' in page
    assert '<option value="repeat_block">Repeat the block (1)</option>' in page
    page = worklist(physician, code="repeat_block")
    assert f'id="episode-{repeat.pk}-title"' in page
    assert f'id="episode-{confirm.pk}-title"' not in page


def test_filter_by_physician(physician, physician_user, staff_user):
    other = UserFactory(
        username="dr.other", roles=["physician"], first_name="Ola", last_name="Other"
    )
    mine = EpisodeFactory(created_by=staff_user)
    theirs = EpisodeFactory(created_by=staff_user)
    record_block(mine, performed_by=physician_user)
    record_block(theirs, performed_by=other)
    page = worklist(physician, physician=other.pk)
    assert f'id="episode-{theirs.pk}-title"' in page
    assert f'id="episode-{mine.pk}-title"' not in page
    assert "By Ola Other" in text(page)


def test_an_unknown_filter_value_shows_everything_and_no_error_page(physician, episode, block):
    block()
    page = worklist(physician, code="nonsense", physician="abc", page="999")
    assert f'id="episode-{episode.pk}-title"' in page


def test_the_decision_page_lists_the_undecided_suggestions(physician, episode, block):
    block()
    response = physician.get(f"/episodes/{episode.pk}/decisions/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Decide on the next steps" in page
    assert "Confirmatory block" in page


def test_the_superuser_may_decide(root, episode, block):
    block()
    [fingerprint] = fingerprints(worklist(root), episode)
    assert decide(root, episode, fingerprint).status_code == 302


def test_a_long_worklist_is_paged_and_the_pages_keep_the_filters(physician, physician_user):
    from tests.factories import PainScoreFactory, ProcedureFactory

    for _ in range(27):
        procedure = ProcedureFactory(episode__created_by=physician_user)
        PainScoreFactory(procedure=procedure, minutes_after=30, score=1)
        PainScoreFactory(procedure=procedure, minutes_after=90, score=1)
    page = worklist(physician, physician=physician_user.pk)
    assert "27 episodes awaiting a decision" in text(page)
    assert page.count('class="work-item"') == 25
    assert f'href="?physician={physician_user.pk}&amp;page=2">Next page</a>' in page
    second = worklist(physician, physician=physician_user.pk, page=2)
    assert second.count('class="work-item"') == 2
