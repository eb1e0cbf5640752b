"""What the RFA prior-authorization packet says (API_CONTRACT.md v1.1 "Sharing the record").

The packet is built from the same reading as the episode page and GET .../next-steps/: the
engine's suggestions over the episode's standing procedures under one profile
(blocks.selectors.episode_next_steps). An episode with no RFA suggestion has no packet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from blocks import selectors
from blocks.adapters import standing_scores
from blocks.forms.labels import label
from blocks.models import Episode, Procedure
from blocks.policy import is_physician
from blocks.rules import Interpretation, Profile, Suggestion, vocab
from blocks.sharing.codes import cpt_code


class NoRFASuggestion(Exception):
    """The episode holds no RFA suggestion under the profile: there is nothing to authorize."""


@dataclass(frozen=True)
class BlockRow:
    procedure: Procedure
    date: str
    kind: str
    levels: str
    side: str
    agent: str
    guidance: str
    sedation: str
    pre_pain: str
    lowest: str
    relief: str
    duration: str
    validity: str
    response: str


@dataclass(frozen=True)
class Request:
    suggestion: Suggestion
    target: str
    cpt: str
    blocks: list[BlockRow]


def _agent(procedure: Procedure) -> str:
    agent = label(procedure.anesthetic)
    if procedure.anesthetic_volume_ml is not None:
        agent += f", {procedure.anesthetic_volume_ml.normalize():f} mL per level"
    if procedure.steroid != "none":
        agent += f"; {label(procedure.steroid).lower()}"
    return agent


def _guidance(procedure: Procedure) -> str:
    if not procedure.contrast_used:
        return f"{label(procedure.guidance)}, no contrast"
    flow = "flow confirmed" if procedure.contrast_flow_confirmed else "flow NOT confirmed"
    return f"{label(procedure.guidance)}, contrast used, {flow}"


def _lowest(procedure: Procedure, reading: Interpretation) -> str:
    if reading.peak_minutes is None:
        return "—"
    scores = {s.minutes_after: s.score for s in standing_scores(procedure)}
    score = scores.get(reading.peak_minutes)
    value = "—" if score is None else f"{score}/10"
    return f"{value} at {reading.peak_minutes} min"


def block_row(procedure: Procedure, reading: Interpretation) -> BlockRow:
    duration = "—"
    if reading.duration_minutes is not None:
        prefix = "at least " if reading.duration_censored else ""
        duration = f"{prefix}{reading.duration_minutes} min"
    return BlockRow(
        procedure=procedure,
        date=f"{timezone.localtime(procedure.performed_at):%d %b %Y}",
        kind=label(procedure.kind),
        levels=", ".join(procedure.levels),
        side=label(procedure.side),
        agent=_agent(procedure),
        guidance=_guidance(procedure),
        sedation=label(procedure.sedation),
        pre_pain="—" if procedure.pre_pain is None else f"{procedure.pre_pain}/10",
        lowest=_lowest(procedure, reading),
        relief="—" if reading.relief_percent is None else f"{reading.relief_percent:.1f} %",
        duration=duration,
        validity=label(reading.validity),
        response=label(reading.response),
    )


def packet_context(episode: Episode, *, profile: Profile, user) -> dict:
    """Everything the packet shows; NoRFASuggestion when the episode holds none."""
    procedures = list(
        selectors.procedure_list().filter(episode=episode).order_by("performed_at", "id")
    )
    steps = selectors.episode_next_steps(episode, profile=profile)
    rfa = [s for s in steps.suggestions if s.code == vocab.RFA]
    if not rfa:
        raise NoRFASuggestion(
            f"Episode {episode.pk} holds no radiofrequency ablation suggestion under "
            f"{profile.name}: there is nothing to authorize."
        )
    readings = selectors.procedure_interpretations(procedures, profile=profile)
    by_pk = {p.pk: p for p in procedures}
    code = cpt_code(vocab.RFA, episode.region)
    requests = [
        Request(
            suggestion=suggestion,
            target=f"{label(suggestion.side).lower()} {', '.join(suggestion.levels)}",
            cpt=f"{code[0]} [S] ({code[1]})" if code else "—",
            blocks=[
                block_row(by_pk[pk], readings[pk]) for pk in suggestion.based_on if pk in by_pk
            ],
        )
        for suggestion in rfa
    ]
    complications = [
        {
            "date": f"{timezone.localtime(p.performed_at):%d %b %Y}",
            "procedure": label(p.kind),
            "code": label(c.code),
            "severity": label(c.severity).lower(),
            "onset_days": c.onset_days,
        }
        for p in procedures
        for c in p.complications.all()
        if not c.entered_in_error
    ]
    physician = (user.get_full_name() or user.get_username()) if is_physician(user) else ""
    return {
        "episode": episode,
        "patient": episode.patient,
        "sex": label(episode.patient.sex),
        "region": label(episode.region),
        "side": label(episode.side),
        "pattern": label(episode.pain_pattern),
        "profile": profile,
        "requests": requests,
        "complications": complications,
        "physician": physician,
        "generated_at": timezone.localtime(),
    }
