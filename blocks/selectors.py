"""Reads: querysets with the joins each page needs, and the engine's readings of them.

Each function costs a fixed number of queries whatever the number of rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from blocks.adapters import to_block, to_blocks
from blocks.models import Complication, Episode, FollowUp, PainScore, Patient, Procedure
from blocks.rules import Interpretation, Profile, Suggestion, interpret_block, suggest_next_steps
from blocks.rules import diary as diary_rules


def patient_list(*, include_entered_in_error: bool = False) -> QuerySet[Patient]:
    patients = Patient.objects.all()
    return patients if include_entered_in_error else patients.active()


def episode_list(*, include_entered_in_error: bool = False) -> QuerySet[Episode]:
    episodes = Episode.objects.select_related("patient").prefetch_related(
        Prefetch(
            "procedures",
            queryset=Procedure.objects.active().order_by("performed_at", "id"),
            to_attr="active_procedures",
        )
    )
    return episodes if include_entered_in_error else episodes.active()


def procedure_list(*, include_entered_in_error: bool = False) -> QuerySet[Procedure]:
    """Procedures with everything a full record shows, loaded in a fixed number of queries."""
    procedures = Procedure.objects.select_related(
        "episode__patient", "performed_by", "screening__overridden_by"
    ).prefetch_related(
        # Who entered each score is shown beside it (staff's name or the patient's link).
        Prefetch("pain_scores", queryset=PainScore.objects.active().select_related("recorded_by")),
        "discs",
        Prefetch("complications", queryset=Complication.objects.order_by("recorded_at", "id")),
        Prefetch("follow_ups", queryset=FollowUp.objects.active().select_related("recorded_by")),
    )
    return procedures if include_entered_in_error else procedures.active()


def history_by_patient(patient_ids: Iterable[int]) -> dict[int, list[Procedure]]:
    """All standing procedures of these patients (any episode), in one query."""
    history: dict[int, list[Procedure]] = defaultdict(list)
    rows = (
        Procedure.objects.active()
        .filter(episode__patient_id__in=set(patient_ids))
        .select_related("episode")
        .order_by("performed_at", "id")
    )
    for procedure in rows:
        history[procedure.episode.patient_id].append(procedure)
    return history


def procedure_interpretations(
    procedures: Sequence[Procedure], *, profile: Profile
) -> dict[int, Interpretation]:
    """Each procedure read under the profile, with its patient's other procedures as history.

    The procedures must come from `procedure_list()` (findings prefetched).
    """
    history = history_by_patient(p.episode.patient_id for p in procedures)
    history_blocks = {
        patient_id: to_blocks(rows, with_findings=False) for patient_id, rows in history.items()
    }
    readings = {}
    for procedure in procedures:
        others = [
            block
            for block in history_blocks.get(procedure.episode.patient_id, ())
            if block.id != procedure.pk
        ]
        readings[procedure.pk] = interpret_block(to_block(procedure), profile, history=others)
    return readings


@dataclass(frozen=True)
class FrequencyWarning:
    procedure: int
    code: str
    message: str


@dataclass(frozen=True)
class NextSteps:
    profile: str
    suggestions: list[Suggestion]
    warnings: list[FrequencyWarning]


def episode_next_steps(episode: Episode, *, profile: Profile) -> NextSteps:
    """The pathway rules over the episode's standing procedures, and their frequency limits."""
    procedures = list(procedure_list().filter(episode=episode).order_by("performed_at", "id"))
    suggestions = suggest_next_steps(to_blocks(procedures), profile)
    readings = procedure_interpretations(procedures, profile=profile)
    warnings = [
        FrequencyWarning(
            procedure=procedure.pk,
            code="frequency_limit",
            message=readings[procedure.pk].warning_messages.get("frequency_limit", ""),
        )
        for procedure in procedures
        if "frequency_limit" in readings[procedure.pk].warnings
    ]
    return NextSteps(profile=profile.name, suggestions=list(suggestions), warnings=warnings)


# The diaries to chase (CLINICAL_RULES section 9): open ones, and those overdue for no longer
# than diary.CHASE_FOR; older overdue diaries count only in the completeness figures.
CHASED_STATES = (diary_rules.OPEN, diary_rules.OVERDUE)


def diaries_in_states(states: Iterable[str], now) -> QuerySet[Procedure]:
    """Standing blocks whose diary is in one of `states`, newest first, compared in SQL.

    `overdue` means overdue within the last 14 days (the list of diaries to chase).
    """
    standing = Procedure.objects.active().filter(
        episode__entered_in_error=False, episode__patient__entered_in_error=False
    )
    chosen = Procedure.objects.none()
    for state in states:
        part = standing.diary_in_state(state, now)
        if state == diary_rules.OVERDUE:
            part = part.filter(diary_closes_at__gt=now - diary_rules.CHASE_FOR)
        chosen = chosen | part
    return chosen.order_by("-performed_at", "-id")


def overdue_beyond_chase(now) -> int:
    """Overdue diaries closed more than 14 days ago: counted, no longer chased."""
    return (
        Procedure.objects.active()
        .filter(episode__entered_in_error=False, episode__patient__entered_in_error=False)
        .diary_in_state(diary_rules.OVERDUE, now)
        .filter(diary_closes_at__lte=now - diary_rules.CHASE_FOR)
        .count()
    )


def diary_rows(ids: Sequence[int]) -> list[Procedure]:
    """The page's blocks by id (in that order), with patient and standing scores, in two
    queries: a list pages its ids first so late pages cost what early ones do."""
    rows = Procedure.objects.select_related("episode__patient").prefetch_related(
        Prefetch(
            "pain_scores",
            queryset=PainScore.objects.active().select_related("recorded_by"),
            to_attr="standing_scores",
        )
    )
    by_id = {p.pk: p for p in rows.filter(pk__in=list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


# Staff's "Today" (issue 11): the blocks of the clinic's day and the day before, the overdue
# diaries to chase, and the blocks still without a score, each by ids first, then the rows.
TODAY_LIST_LIMIT = 10


def _standing_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.active().filter(
        episode__entered_in_error=False, episode__patient__entered_in_error=False
    )


def procedures_performed_between(start, end) -> QuerySet[Procedure]:
    """Standing procedures done in [start, end), earliest first (the day's running order)."""
    return (
        _standing_procedures()
        .filter(performed_at__gte=start, performed_at__lt=end)
        .order_by("performed_at", "id")
    )


def blocks_awaiting_scores() -> QuerySet[Procedure]:
    """Standing diagnostic blocks with no diary score yet, newest first."""
    return _standing_procedures().awaiting_scores().order_by("-performed_at", "-id")


# --- follow-up after treatment (CLINICAL_RULES section 10) -------------------------------


def treatment_outcome(procedure: Procedure, *, profile: Profile) -> dict | None:
    """A treatment's outcome under the profile and the selection that led to it, as the API
    and the episode page show it; None for a diagnostic block.

    The selection reads the episode's standing procedures under every profile
    (`profiles_met` does not depend on `?profile=`).
    """
    from blocks.rules import followup as followup_rules
    from blocks.rules.selection import selection

    if not procedure.is_treatment():
        return None
    episode_rows = list(
        procedure_list().filter(episode_id=procedure.episode_id).order_by("performed_at", "id")
    )
    blocks = {p.pk: to_block(p) for p in episode_rows}
    treated = blocks.get(procedure.pk) or to_block(procedure)
    result = followup_rules.outcome(treated, profile)
    chosen = selection(treated, list(blocks.values()))
    return {
        "relief_percent": {str(d): v for d, v in result.relief_percent.items()},
        "success": {str(d): v for d, v in result.success.items()},
        "pgic_responder": {str(d): v for d, v in result.pgic_responder.items()},
        "benefit_days": result.benefit_days,
        "benefit_censored": result.benefit_censored,
        "selection": {
            "based_on": list(chosen.based_on),
            "profiles_met": list(chosen.profiles_met),
            "positive_blocks": chosen.positive_blocks,
            "lowest_relief_percent": chosen.lowest_relief_percent,
            "group": chosen.group,
        },
    }


@dataclass(frozen=True)
class FollowUpDue:
    procedure: Procedure
    days_after: int
    due_on: object
    state: str


@dataclass(frozen=True)
class FollowUpPoint:
    """A follow-up point to chase, without its procedure's model (followup_points)."""

    procedure_id: int
    kind: str
    performed_at: object
    days_after: int
    due_on: object
    state: str


def followups_due(today=None, *, states=("due", "overdue")) -> list[FollowUpDue]:
    """followup_points with each point's procedure (its episode and patient) loaded."""
    points = followup_points(today, states=states)
    procedures = Procedure.objects.select_related("episode__patient").in_bulk(
        {point.procedure_id for point in points}
    )
    return [
        FollowUpDue(procedures[point.procedure_id], point.days_after, point.due_on, point.state)
        for point in points
    ]


def last_changes(models) -> list:
    """Each model's last change: the highest id of its history (every clinical write leaves a
    history row), one end of a primary key, so it costs the same at any size. A cache keyed
    by it is renewed by any new, edited or entered-in-error record of those models."""
    from django.db.models import Max

    return [
        model.history.model.objects.aggregate(last=Max("history_id"))["last"] for model in models
    ]


# The points are kept this long at most (they are also keyed by every change that moves them).
FOLLOWUP_POINTS_SECONDS = 300


def followup_points(today=None, *, states=("due", "overdue")) -> list[FollowUpPoint]:
    """Scheduled follow-up points due or overdue, soonest first (_followup_points), kept in
    Django's cache by the day, the profile and the last change to procedures, episodes,
    patients and follow-ups (each the highest history id: one end of a primary key). Reading
    them costs about a second at 100,000 blocks, and every member of staff opens the home
    page at the start of the day; a diary score does not move them."""
    import hashlib

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    today = today or timezone.localdate()
    marks = last_changes((Procedure, Episode, Patient, FollowUp))
    state = repr((today.isoformat(), tuple(states), settings.TRACKER_GUIDELINE_PROFILE, marks))
    key = "followup-points:" + hashlib.sha256(state.encode()).hexdigest()  # any cache backend
    found = cache.get(key)
    if found is None:
        found = _followup_points(today, states=states)
        cache.set(key, found, FOLLOWUP_POINTS_SECONDS)
    return found


def _followup_points(today, *, states) -> list[FollowUpPoint]:
    """Scheduled follow-up points due or overdue, soonest first, for the staff to chase.

    Treatments performed within the last 365 + 14 days (the last point's window); an overdue
    point stays listed while unanswered and its treatment is that recent.

    The treatments and their answered points are read as plain values (15,000 treatments a
    year at 100,000 blocks: building each one's model, episode, patient and follow-ups took
    seconds on the staff's home); a list shows a page of them and loads those procedures.
    """
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from blocks.rules import followup as followup_rules
    from blocks.rules import get_profile

    since = timezone.now() - timedelta(days=max(followup_rules.window(365)) + 1)
    treatments = (
        Procedure.objects.active()
        .therapeutic()
        .filter(
            kind__in=sorted(followup_rules.TREATMENT_CODE),
            episode__entered_in_error=False,
            episode__patient__entered_in_error=False,
            performed_at__gte=since,
        )
        .order_by()
    )
    answered = defaultdict(list)
    for procedure_id, days_after in (
        FollowUp.objects.active()
        .filter(procedure__in=treatments.values("pk"))
        .values_list("procedure_id", "days_after")
    ):
        answered[procedure_id].append(days_after)
    profile = get_profile(settings.TRACKER_GUIDELINE_PROFILE)  # as services.followup reads it
    points = []
    for pk, kind, performed_at in treatments.values_list("pk", "kind", "performed_at"):
        treated = timezone.localtime(performed_at).date()
        for point, state in followup_rules.schedule(treated, today, answered[pk], profile):
            if state in states:
                due = followup_rules.due_on(treated, point)
                points.append(FollowUpPoint(pk, kind, performed_at, point, due, state))
    return sorted(points, key=lambda item: (item.due_on, item.procedure_id))


def awaiting_override_procedures() -> list[Procedure]:
    """Procedures staff saved with a hard stop, waiting for a physician's override reason,
    oldest first (the longest wait on top), with what the list shows, in one query."""
    return list(
        Procedure.objects.awaiting_override()
        .filter(episode__entered_in_error=False, episode__patient__entered_in_error=False)
        .select_related("episode__patient", "performed_by", "screening")
        .order_by("performed_at", "id")
    )
