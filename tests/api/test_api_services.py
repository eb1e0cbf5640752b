"""The services behind the API, called directly: all or nothing, and the same rules."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from blocks import services
from blocks.models import DiscInjection, PainScore, Procedure, Screening
from tests.factories import EpisodeFactory, UserFactory, record_procedure

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def discography(episode, user, **changes):
    arguments = dict(
        episode=episode,
        performed_by=user,
        performed_at=WHEN,
        kind="provocation_discography",
        intent="diagnostic",
        side="midline",
        levels=["L3-L4", "L4-L5"],
        anesthetic="none",
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=True,
        contrast_flow_confirmed=True,
        sedation="minimal",
        pre_pain=None,
        pain_scores=[{"minutes_after": 30, "score": 4}],
        discs=[
            {"level": "L3-L4", "concordance": "none", "pain_score": 0},
            {"level": "L4-L5", "concordance": "concordant", "pain_score": 8},
        ],
        contraindications=["pregnancy"],
    )
    arguments.update(changes)
    return record_procedure(**arguments)


def row_counts():
    return (
        Procedure.objects.count(),
        PainScore.objects.count(),
        DiscInjection.objects.count(),
        Screening.objects.count(),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_writes_nothing_when_a_later_row_fails(monkeypatch):
    user = UserFactory(roles=["clinic_staff"])
    episode = EpisodeFactory(created_by=user)

    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DiscInjection, "save", fail)

    with pytest.raises(RuntimeError):
        discography(episode, user)

    assert row_counts() == (0, 0, 0, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_writes_nothing_when_the_screening_fails(monkeypatch):
    user = UserFactory(roles=["clinic_staff"])
    episode = EpisodeFactory(created_by=user)
    monkeypatch.setattr(Screening, "save", lambda self, *a, **k: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        discography(episode, user)

    assert row_counts() == (0, 0, 0, 0)


def test_it_writes_everything_when_all_is_well(db):
    user = UserFactory(roles=["clinic_staff"])

    procedure = discography(EpisodeFactory(created_by=user), user)

    assert row_counts() == (1, 1, 2, 1)
    assert procedure.screening.contraindications == ["pregnancy"]


def test_it_applies_the_same_rules_to_callers_other_than_the_api(db):
    user = UserFactory(roles=["clinic_staff"])
    episode = EpisodeFactory(created_by=user)

    with pytest.raises(ValidationError) as refused:
        discography(
            episode,
            user,
            levels=["L4-L5"],
            pain_scores=[{"minutes_after": 30, "score": 4}, {"minutes_after": 30, "score": 5}],
            contraindications=["bleeding_disorder", "made_up"],
        )

    errors = refused.value.message_dict
    assert "L3-L4" in " ".join(errors["discs"])
    assert "30 minutes" in " ".join(errors["pain_scores"])
    assert "contraindications" in errors
    assert row_counts() == (0, 0, 0, 0)


def test_it_checks_nested_values_for_callers_other_than_the_api(db):
    user = UserFactory(roles=["clinic_staff"])
    episode = EpisodeFactory(created_by=user)

    with pytest.raises(ValidationError) as refused:
        discography(
            episode,
            user,
            pain_scores=[{"minutes_after": 30, "score": 14}],
            discs=[{"level": "L4-L5", "concordance": "sort_of", "annular_grade": 9}],
        )

    errors = refused.value.message_dict
    assert "score" in " ".join(errors["pain_scores"])
    assert "concordance" in " ".join(errors["discs"])
    assert "annular_grade" in " ".join(errors["discs"])


def test_it_marks_any_clinical_record_entered_in_error(db):
    user = UserFactory(roles=["physician"])
    episode = EpisodeFactory(created_by=user)

    marked = services.mark_entered_in_error(record=episode, reason="wrong patient", user=user)

    assert marked.entered_in_error and marked.entered_in_error_by == user
    assert marked.version == 2
    assert marked.history.first().history_user == user
