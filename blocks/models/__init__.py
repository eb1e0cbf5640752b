"""The tracker's clinical records. Every one keeps its history; none is ever deleted."""

from blocks.models.base import EnteredInError, EnteredInErrorQuerySet
from blocks.models.decisions import Decision, suggestion_fingerprint
from blocks.models.diary import DiaryLink, new_token, token_hash
from blocks.models.findings import Complication, DiscInjection, PainScore, Screening
from blocks.models.followup import FollowUp, FollowUpLink
from blocks.models.patients import Episode, EpisodeQuerySet, Patient
from blocks.models.procedures import Procedure, ProcedureQuerySet, level_errors

__all__ = [
    "Complication",
    "Decision",
    "DiaryLink",
    "DiscInjection",
    "FollowUp",
    "FollowUpLink",
    "EnteredInError",
    "EnteredInErrorQuerySet",
    "Episode",
    "EpisodeQuerySet",
    "PainScore",
    "Patient",
    "Procedure",
    "ProcedureQuerySet",
    "Screening",
    "level_errors",
    "new_token",
    "suggestion_fingerprint",
    "token_hash",
]
