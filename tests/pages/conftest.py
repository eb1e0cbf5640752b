"""Personas and records for the page tests, and screenshots of failed browser tests.

- staff: clinic_staff, logs patients, episodes and procedures; no accept/decline
- physician: also overrides hard stops and decides on suggestions
- quality: reads pages, writes nothing clinical
- nobody: signed in, in no clinic group
- anon: not signed in
"""

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.test import Client

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BASE_TIME = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
# A lidocaine diary: 86 % relief lasting 90 minutes (lidocaine needs 60 under cms-2021).
SHORT_RELIEF = ((15, 1), (30, 1), (90, 1), (180, 5))
# A bupivacaine diary: 86 % relief lasting 240 minutes (bupivacaine needs 180).
LONG_RELIEF = ((15, 1), (60, 1), (240, 1), (360, 5))


def _user(username, roles=(), **kwargs):
    from tests.factories import UserFactory

    return UserFactory(username=username, roles=list(roles), **kwargs)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(staff_user):
    return _client(staff_user)


@pytest.fixture
def physician(physician_user):
    return _client(physician_user)


@pytest.fixture
def quality(quality_user):
    return _client(quality_user)


@pytest.fixture
def nobody(nobody_user):
    return _client(nobody_user)


@pytest.fixture
def root(superuser):
    return _client(superuser)


@pytest.fixture
def anon(db):
    return Client()


@pytest.fixture
def episode(staff_user):
    from tests.factories import EpisodeFactory

    return EpisodeFactory(created_by=staff_user, region="lumbar", side="right")


def record_block(
    episode,
    *,
    performed_by,
    days: int = 0,
    anesthetic: str = "lidocaine",
    diary=SHORT_RELIEF,
    **changes,
):
    """A well-done diagnostic medial branch block at L4-L5 and L5-S1, through the service."""

    values = {
        "episode": episode,
        "performed_by": performed_by,
        "performed_at": BASE_TIME + dt.timedelta(days=days),
        "kind": "medial_branch_block",
        "intent": "diagnostic",
        "side": "right",
        "levels": ["L4-L5", "L5-S1"],
        "anesthetic": anesthetic,
        "anesthetic_volume_ml": None if anesthetic == "none" else 0.5,
        "steroid": "none",
        "guidance": "fluoroscopy",
        "contrast_used": True,
        "contrast_flow_confirmed": True,
        "sedation": "none",
        "pre_pain": 7,
        "pain_scores": [{"minutes_after": m, "score": s} for m, s in diary],
    }
    values.update(changes)
    from tests.factories import record_procedure  # models load after the settings

    return record_procedure(**values)


@pytest.fixture
def block(episode, physician_user):
    """Record blocks on the `episode` fixture: block(days=15, anesthetic="bupivacaine")."""

    def make(**changes):
        changes.setdefault("performed_by", physician_user)
        return record_block(episode, **changes)

    return make


# --- browser tests: a screenshot of the page when a test fails --------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{item.name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # the browser may already be gone
            message = f"no screenshot: {error}"
        else:
            message = f"screenshot of the failed page: {path}"
        report.sections.append(("screenshot", message))
        print(f"\n{message}", file=sys.stderr)
    return report


def procedure_post(*, performed_by, diary=SHORT_RELIEF, discs=(), **changes) -> dict:
    """The procedure form as a browser posts it: a diagnostic lidocaine medial branch block."""
    data = {
        "performed_at": "2026-03-02T09:30",
        "performed_by": str(performed_by.pk),
        "kind": "medial_branch_block",
        "intent": "diagnostic",
        "side": "right",
        "levels": ["L4-L5", "L5-S1"],
        "anesthetic": "lidocaine",
        "anesthetic_volume_ml": "0.5",
        "steroid": "none",
        "steroid_dose_mg": "",
        "guidance": "fluoroscopy",
        "contrast_used": "yes",
        "contrast_flow_confirmed": "yes",
        "sedation": "none",
        "pre_pain": "7",
        "diary-TOTAL_FORMS": "8",
        "diary-INITIAL_FORMS": "8",
        "diary-MIN_NUM_FORMS": "0",
        "diary-MAX_NUM_FORMS": "24",
        "discs-TOTAL_FORMS": "5",
        "discs-INITIAL_FORMS": "0",
        "discs-MIN_NUM_FORMS": "0",
        "discs-MAX_NUM_FORMS": "12",
    }
    for row, (minutes, score) in enumerate(diary):
        data[f"diary-{row}-minutes_after"] = str(minutes)
        data[f"diary-{row}-score"] = "" if score is None else str(score)
    for row, disc in enumerate(discs):
        for name, value in disc.items():
            data[f"discs-{row}-{name}"] = "" if value is None else str(value)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_post(procedure, *, scores=None, extra_rows: int = 3, **changes) -> dict:
    """The edit page's form as a browser posts it untouched, opened at the procedure's version.

    `scores` are the diary rows of its standing scores as the page shows them (id, version,
    minutes, score, relief); `changes` overwrite any field, e.g. pre_pain="5" or
    **{"diary-0-score": "3"}.
    """
    from django.core.exceptions import ObjectDoesNotExist
    from django.utils import timezone

    def answer(value):
        return "yes" if value else "no"

    if scores is None:
        scores = list(procedure.pain_scores.active().order_by("minutes_after", "id"))
    try:
        contraindications = list(procedure.screening.contraindications)
    except ObjectDoesNotExist:  # no screening recorded
        contraindications = []
    data = {
        "version": str(procedure.version),
        "performed_at": f"{timezone.localtime(procedure.performed_at):%Y-%m-%dT%H:%M}",
        "performed_by": str(procedure.performed_by_id),
        "kind": procedure.kind,
        "intent": procedure.intent,
        "side": procedure.side,
        "levels": list(procedure.levels),
        "anesthetic": procedure.anesthetic,
        "anesthetic_volume_ml": ""
        if procedure.anesthetic_volume_ml is None
        else str(procedure.anesthetic_volume_ml),
        "steroid": procedure.steroid,
        "steroid_dose_mg": ""
        if procedure.steroid_dose_mg is None
        else str(procedure.steroid_dose_mg),
        "guidance": procedure.guidance,
        "contrast_used": answer(procedure.contrast_used),
        "contrast_flow_confirmed": answer(procedure.contrast_flow_confirmed),
        "sedation": procedure.sedation,
        "pre_pain": "" if procedure.pre_pain is None else str(procedure.pre_pain),
        "contraindications": contraindications,
        "diary-TOTAL_FORMS": str(len(scores) + extra_rows),
        "diary-INITIAL_FORMS": str(len(scores)),
        "diary-MIN_NUM_FORMS": "0",
        "diary-MAX_NUM_FORMS": "48",
    }
    for row, score in enumerate(scores):
        data[f"diary-{row}-id"] = str(score.pk)
        data[f"diary-{row}-version"] = str(score.version)
        data[f"diary-{row}-minutes_after"] = str(score.minutes_after)
        data[f"diary-{row}-score"] = str(score.score)
        relief = score.patient_reported_relief_percent
        data[f"diary-{row}-patient_reported_relief_percent"] = "" if relief is None else str(relief)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def pytest_collection_modifyitems(items):
    """A browser test talks to a live server in other threads, where the reports read the
    replica when DATABASE_REPLICA_URL is set (a test mirror of the default database): let
    those tests use every configured database."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if item.get_closest_marker("browser") and marker and marker.kwargs.get("transaction"):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "databases": "__all__"}),
                append=False,
            )
