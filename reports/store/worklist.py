"""The worklist's selection, in SQL over the stored suggestions.

The page shows 25 episodes of a clinic that may hold 50,000: which episodes await a
decision, in which order, and how many per kind of suggestion are all answered by the
database from SuggestionReading (kept fresh by the write path), so nothing of an episode
the page does not show is loaded into Python. Only a physician's decisions are listed:
the staff tasks (scores to record) are counted apart.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from blocks.models import Decision, Episode, Procedure
from blocks.policy import STAFF_TASK_CODES
from blocks.rules import ENGINE_VERSION
from reports.models import EpisodeSuggestions, SuggestionReading
from reports.store.readings import store_for_patients

# At most this many patients whose stored suggestions are missing are read in one request;
# more (a new engine version) is the batch job's work: `manage.py refresh_readings --stale`.
LAZY_REFRESH_PATIENTS = 100


def _standing_episodes() -> Q:
    return Q(episode__entered_in_error=False, episode__patient__entered_in_error=False)


def _current(profile: str, episode=None) -> Exists:
    """The episode's suggestions were stored by this engine version under this profile."""
    return Exists(
        EpisodeSuggestions.objects.filter(
            episode_id=episode or OuterRef("episode_id"),
            profile=profile,
            engine_version=ENGINE_VERSION,
        )
    )


def _performed_by(physician_id: int, field: str = "episode_id") -> Q:
    """The episode has a standing procedure by this physician.

    An uncorrelated IN (the physician's episodes, read once): correlated per episode,
    SQLite searched the physician's procedures again for every episode (18 s at 20,000).
    """
    mine = Procedure.objects.active().filter(performed_by_id=physician_id).values("episode_id")
    return Q(**{f"{field}__in": mine})


def open_suggestions(
    profile: str, *, physician_id: int | None = None, all_current: bool = False
) -> QuerySet:
    """Stored open suggestions of standing episodes, current under this engine, any code.

    `all_current`: every standing episode's suggestions are known to be from this engine
    (refresh_unread() found none missing), so the per-row check is left out.
    """
    rows = SuggestionReading.objects.filter(_standing_episodes(), profile=profile, status="open")
    if not all_current:
        rows = rows.filter(_current(profile))
    if physician_id:
        rows = rows.filter(_performed_by(physician_id))
    return rows


def _decided() -> Exists:
    return Exists(
        Decision.objects.filter(
            episode_id=OuterRef("episode_id"), fingerprint=OuterRef("fingerprint")
        )
    )


def undecided(rows: QuerySet) -> QuerySet:
    """The physician's suggestions among `rows` that no decision has answered yet."""
    return rows.exclude(code__in=STAFF_TASK_CODES).exclude(_decided())


def worklist_episodes(
    profile: str, *, physician_id: int | None = None, code: str = "", all_current: bool = False
) -> QuerySet:
    """Ids of the episodes awaiting a physician's decision, the latest block first.

    A values_list ready for a Paginator: the count and the page's ids are one query each,
    whatever the clinic's size. Episode first, each probing the stored suggestions through
    the worklist index: the plan SQLite keeps without table statistics (a plan driven
    from the suggestions took 30 s for one physician's list at 100,000 procedures).
    """
    rows = undecided(open_suggestions(profile, all_current=all_current))
    rows = rows.filter(episode_id=OuterRef("pk"))
    if code:
        rows = rows.filter(code=code)
    episodes = Episode.objects.filter(
        Exists(rows), entered_in_error=False, patient__entered_in_error=False
    )
    if physician_id:
        episodes = episodes.filter(_performed_by(physician_id, "pk"))
    latest = (
        Procedure.objects.active()
        .filter(episode_id=OuterRef("pk"))
        .order_by("-performed_at")
        .values("performed_at")[:1]
    )
    return (
        episodes.annotate(latest=Subquery(latest))
        .order_by("-latest", "-pk")
        .values_list("pk", flat=True)
    )


def code_counts(
    profile: str, *, physician_id: int | None = None, all_current: bool = False
) -> dict[str, int]:
    """Per code, the suggestions awaiting someone, in one GROUP BY: a physician's code counts
    its undecided suggestions (the filter's counts), a staff task its open ones."""
    rows = open_suggestions(profile, physician_id=physician_id, all_current=all_current)
    counted = rows.values("code").annotate(
        undecided=Count("id", filter=~Q(_decided())), standing=Count("id")
    )
    counts = {}
    for row in counted:
        staff = row["code"] in STAFF_TASK_CODES
        counts[row["code"]] = row["standing"] if staff else row["undecided"]
    return {code: n for code, n in counts.items() if n}


def _unread_episodes(profile: str) -> QuerySet:
    """Standing episodes with no suggestions stored by this engine under this profile."""
    return Episode.objects.filter(entered_in_error=False, patient__entered_in_error=False).exclude(
        _current(profile, OuterRef("pk"))
    )


def unread_patients(profile: str, limit: int) -> list[int]:
    """Patients with a standing procedure whose episode has no current stored suggestions.

    Empty whenever the write path did its work; not empty after a new engine version or for
    rows written around the services. At most `limit + 1` ids, so the caller knows "more".
    """
    standing = Procedure.objects.active().filter(episode_id=OuterRef("pk"))
    ids = (
        _unread_episodes(profile)
        .filter(Exists(standing))
        .order_by("patient_id")
        .values_list("patient_id", flat=True)
        .distinct()
    )
    return list(ids[: limit + 1])


def refresh_unread(profile: str) -> int:
    """Store the missing suggestions of a few patients now; return how many episodes are left
    unread (0 when all could be read in this request).

    The write path stores every episode's suggestions (an empty episode's too), so the first,
    cheap question is nearly always answered "none". A new engine version leaves every
    episode unread: those are not read here (one request would take minutes) but counted, so
    the page says what it cannot show yet.
    """
    if not _unread_episodes(profile).exists():
        return 0
    patients = unread_patients(profile, LAZY_REFRESH_PATIENTS)
    if len(patients) <= LAZY_REFRESH_PATIENTS:
        if patients:
            store_for_patients(patients)
        return 0
    standing = Procedure.objects.active().filter(episode_id=OuterRef("pk"))
    return _unread_episodes(profile).filter(Exists(standing)).count()
