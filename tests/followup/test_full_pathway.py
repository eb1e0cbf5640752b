"""The whole pathway through the API (issue 13): two medial branch blocks, the RFA they
select, five follow-ups answered through links the job queue sent, and then the repeat-RFA
suggestion once the benefit has lasted 180 days and the pain has returned."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from blocks import messaging
from blocks.models import FollowUpLink, Procedure
from blocks.tasks import sweep

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/follow-up/([A-Za-z0-9_-]{20,})/")


def block_body(episode, days_ago, anesthetic, last=(120, 240)):
    return {
        "episode": episode,
        "performed_at": (timezone.now() - dt.timedelta(days=days_ago)).isoformat(),
        "kind": "medial_branch_block",
        "intent": "diagnostic",
        "side": "right",
        "levels": ["L4-L5", "L5-S1"],
        "anesthetic": anesthetic,
        "anesthetic_volume_ml": 0.5,
        "steroid": "none",
        "guidance": "fluoroscopy",
        "contrast_used": True,
        "contrast_flow_confirmed": True,
        "sedation": "none",
        "pre_pain": 8,
        "pain_scores": [
            {"minutes_after": 30, "score": 1},
            {"minutes_after": last[0], "score": 1},
            {"minutes_after": last[1], "score": 6},
        ],
    }


def age(procedure_id, days):
    """Let `days` pass for the RFA (the jobs read the real clock): it and its links move back."""
    shift = dt.timedelta(days=days)
    Procedure.objects.filter(pk=procedure_id).update(performed_at=F("performed_at") - shift)
    FollowUpLink.objects.filter(procedure_id=procedure_id).update(
        created_at=F("created_at") - shift,
        sent_at=F("sent_at") - shift,
        expires_at=F("expires_at") - shift,
    )


def test_two_blocks_an_rfa_five_follow_ups_by_link_and_a_repeat_rfa(
    staff_user, physician_user, settings
):
    settings.TRACKER_SMS_BACKEND = "blocks.messaging.LocmemSmsBackend"
    messaging.outbox.clear()
    staff, patient_side = APIClient(), APIClient()
    staff.force_authenticate(staff_user)

    person = staff.post(
        "/api/patients/",
        {"mrn": "FU-001", "birth_date": "1961-05-04", "sex": "female", "email": "p@example.org"},
    )
    assert person.status_code == 201, person.json()
    episode = staff.post(
        "/api/episodes/",
        {
            "patient": person.json()["id"],
            "region": "lumbar",
            "side": "right",
            "pain_pattern": "axial",
        },
    ).json()["id"]
    first = staff.post("/api/procedures/", block_body(episode, 700, "lidocaine"))
    second = staff.post("/api/procedures/", block_body(episode, 680, "bupivacaine", (300, 480)))
    assert (first.status_code, second.status_code) == (201, 201), (first.json(), second.json())
    steps = staff.get(f"/api/episodes/{episode}/next-steps/").json()["suggestions"]
    assert [s["code"] for s in steps] == ["radiofrequency_ablation"]

    rfa = staff.post(
        "/api/procedures/",
        {
            **block_body(episode, 12, "lidocaine"),
            "kind": "radiofrequency_ablation",
            "intent": "therapeutic",
            "contrast_used": False,
            "contrast_flow_confirmed": False,
            "pain_scores": [],
        },
    )
    assert rfa.status_code == 201, rfa.json()
    rfa_id = rfa.json()["id"]

    # Day 12, 28, 88, 178, 363: each point comes due; the sweep's job sends its link and the
    # patient answers through it. Pre-treatment pain 8.
    answers = [(14, 1, 7), (30, 2, 7), (90, 2, 6), (180, 3, 6), (365, 6, 3)]
    previous_day = 12
    for (point, pain, pgic), day in zip(answers, (12, 28, 88, 178, 363), strict=True):
        age(rfa_id, day - previous_day)
        previous_day = day
        assert sweep() == [(rfa_id, point)]
        token = TOKEN.search(mail.outbox[-1].body).group(1)
        shown = patient_side.get(f"/api/follow-up/{token}/").json()
        assert [p["days_after"] for p in shown["time_points"]] == [point]
        sent = patient_side.post(
            f"/api/follow-up/{token}/answers/",
            {"days_after": point, "pain": pain, "pgic": pgic},
            format="json",
        )
        assert sent.status_code == 201, sent.json()
    assert len(mail.outbox) == 5

    detail = staff.get(f"/api/procedures/{rfa_id}/").json()
    assert [(f["days_after"], f["source"]) for f in detail["follow_ups"]] == [
        (point, "patient") for point, _, _ in answers
    ]
    outcome = detail["outcome"]
    assert outcome["relief_percent"] == {
        "14": 87.5,
        "30": 75.0,
        "90": 75.0,
        "180": 62.5,
        "365": 25.0,
    }
    assert (outcome["benefit_days"], outcome["benefit_censored"]) == (180, False)
    assert outcome["selection"]["profiles_met"] == ["cms-2021", "asra-2020", "sis-controlled"]
    assert outcome["selection"]["group"] == "dual-80-concordant"

    steps = staff.get(f"/api/episodes/{episode}/next-steps/").json()["suggestions"]
    repeat = [s for s in steps if s["rule"] == "rfa.repeat"]
    assert [(s["code"], s["based_on"]) for s in repeat] == [("radiofrequency_ablation", [rfa_id])]
    assert "for 180 days" in repeat[0]["rationale"]
