"""A treatment for the sharing tests: an RFA after the two blocks of conftest's rfa_episode,
with its follow-ups, recorded through the services."""

import datetime as dt

from blocks.models import Episode
from blocks.services import followup
from tests.factories import record_procedure


def treatment_with_follow_ups(rfa_episode):
    """An RFA after the two blocks, followed at 90 days (by staff, PGIC 7, less medication)
    and at 180 (no PGIC, no medication change recorded)."""
    episode = Episode.objects.get(pk=rfa_episode[1])
    rfa = record_procedure(
        episode=episode,
        performed_by=episode.created_by,
        performed_at=dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC),
        kind="radiofrequency_ablation",
        intent="therapeutic",
        side="right",
        levels=["L4-L5", "L5-S1"],
        anesthetic="none",
        steroid="none",
        guidance="fluoroscopy",
        contrast_used=False,
        sedation="none",
        pre_pain=8,
        pain_scores=[],
    )
    followup.follow_up_add(
        procedure=rfa,
        days_after=90,
        pain=2,
        pgic=7,
        medication_change="less",
        recorded_by=episode.created_by,
    )
    followup.follow_up_add(procedure=rfa, days_after=180, pain=6, recorded_by=episode.created_by)
    return rfa
