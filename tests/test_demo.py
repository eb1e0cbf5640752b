"""The demo clinic loads, is idempotent, and each episode shows its pathway."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from blocks.demo import demo_episodes
from blocks.models import Episode, Patient, Procedure
from blocks.rules import get_profile
from blocks.selectors import episode_next_steps

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_a_user_for_each_role_and_prints_the_passwords_once():
    first = seed()
    users = get_user_model().objects.order_by("username")
    roles = {user.username: sorted(g.name for g in user.groups.all()) for user in users}
    assert roles == {
        "physician": ["physician"],
        "physician2": ["physician"],
        "quality": ["quality"],
        "staff": ["clinic_staff"],
    }
    assert "password" in first and "staff" in first
    second = seed()
    assert "exist already" in second


def test_it_is_idempotent():
    seed()
    counts = (Patient.objects.count(), Episode.objects.count(), Procedure.objects.count())
    seed()
    assert (Patient.objects.count(), Episode.objects.count(), Procedure.objects.count()) == counts
    assert counts[0] == len(demo_episodes()) == 37


def test_each_demo_episode_shows_the_next_step_its_story_promises():
    seed()
    profile = get_profile("cms-2021")
    stories = demo_episodes()
    for number, story in enumerate(stories, start=1):
        episode = Episode.objects.get(patient__mrn=f"DEMO-{number:03d}")
        codes = tuple(s.code for s in episode_next_steps(episode, profile=profile).suggestions)
        assert codes == story.expected, story.story


def test_the_discordant_story_is_discordant_under_comparative_blocks():
    seed()
    episode = Episode.objects.get(patient__mrn="DEMO-005")
    steps = episode_next_steps(episode, profile=get_profile("sis-controlled"))
    assert [(s.code, s.rule) for s in steps.suggestions] == [
        ("physician_review", "mbb.comparative.discordant")
    ]


def test_it_overrides_the_hard_stop_as_a_physician():
    seed()
    procedure = Procedure.objects.get(episode__patient__mrn="DEMO-008")
    assert procedure.screening.overridden_by.username in {"physician", "physician2"}
    assert procedure.screening.override_reason


def test_demo_patients_have_invented_names_that_no_de_identified_export_carries():
    from reports.filters import ReportFilters
    from reports.outcomes import row_report

    seed()
    first = Patient.objects.get(mrn="DEMO-001")
    assert (first.given_name, first.family_name) == ("Alex", "Demoford")
    assert Patient.objects.exclude(given_name="").count() == Patient.objects.count()
    blocks = row_report(ReportFilters(), "blocks").tables["blocks"]
    text = blocks.to_csv()
    assert "Demoford" not in text and "Samplesby" not in text and "Testwood" not in text
