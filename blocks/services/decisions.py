"""A physician accepts a next-step suggestion, or declines it with a reason."""

from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from blocks.models import Decision, Episode, suggestion_fingerprint
from blocks.policy import is_physician
from blocks.rules import Suggestion, get_profile
from blocks.selectors import episode_next_steps
from blocks.services.records import ensure_standing


def fingerprint_of(suggestion: Suggestion) -> str:
    return suggestion_fingerprint(
        code=suggestion.code,
        side=suggestion.side,
        levels=suggestion.levels,
        based_on=suggestion.based_on,
    )


def find_suggestion(
    suggestions: Sequence[Suggestion],
    *,
    fingerprint: str | None = None,
    code: str | None = None,
    side: str | None = None,
    levels: Sequence[str] = (),
) -> Suggestion | None:
    """The current suggestion named by its fingerprint, or else by code, side and levels."""
    for suggestion in suggestions:
        if fingerprint:
            if fingerprint_of(suggestion) == fingerprint:
                return suggestion
        elif (
            suggestion.code == code
            and suggestion.side == side
            and sorted(suggestion.levels) == sorted(levels)
        ):
            return suggestion
    return None


@transaction.atomic
def decision_record(
    *,
    episode: Episode,
    status: str,
    decided_by,
    profile: str,
    reason: str = "",
    fingerprint: str | None = None,
    code: str | None = None,
    side: str | None = None,
    levels: Sequence[str] = (),
) -> Decision:
    """Store a physician's decision on one of the episode's current suggestions.

    The suggestion is named by its fingerprint (pages) or by code, side and levels
    (the API); it must be among the suggestions the engine makes now under the
    profile, so a decision never rests on stale advice.
    """
    if not is_physician(decided_by):
        raise PermissionDenied("Only a physician may accept or decline a suggestion.")
    guideline = get_profile(profile)
    # Serialises decisions on one episode, so two physicians cannot both decide one suggestion.
    episode = Episode.objects.select_for_update().select_related("patient").get(pk=episode.pk)
    ensure_standing(episode)
    suggestions = episode_next_steps(episode, profile=guideline).suggestions
    suggestion = find_suggestion(
        suggestions, fingerprint=fingerprint, code=code, side=side, levels=levels
    )
    if suggestion is None:
        raise ValidationError(
            {
                "code": "This suggestion is not among the episode's current suggestions under "
                f"{guideline.name}; the episode may have changed since the page was loaded."
            }
        )
    current = fingerprint_of(suggestion)
    earlier = Decision.objects.filter(episode=episode, fingerprint=current).first()
    if earlier is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"This suggestion was already {earlier.status} on "
                f"{timezone.localtime(earlier.decided_at):%d %b %Y %H:%M}."
            }
        )
    decision = Decision(
        episode=episode,
        code=suggestion.code,
        side=suggestion.side,
        levels=list(suggestion.levels),
        rule=suggestion.rule,
        based_on=list(suggestion.based_on),
        fingerprint=current,
        status=status,
        reason=reason or "",
        profile=guideline.name,
        decided_by=decided_by,
        decided_at=timezone.now(),
    )
    decision.full_clean(exclude=["episode", "decided_by"])
    decision._history_user = decided_by
    decision.save()
    return decision
