"""The worklist's selection, in SQL over the stored suggestions.

The page shows 25 episodes of a clinic that may hold 50,000: which episodes await a
decision, in which order, and how many per kind of suggestion are all answered by the
database from SuggestionReading (kept fresh by the write path), so nothing of an episode
the page does not show is loaded into Python. Only a physician's decisions are listed:
the staff tasks (scores to record) are counted apart.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connections
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from blocks.models import Decision, Episode, Procedure
from blocks.policy import STAFF_TASK_CODES
from blocks.rules import ENGINE_VERSION
from reports.models import EpisodeSuggestions, SuggestionReading
from reports.store.readings import store_for_patients

# At most this many patients whose stored suggestions are missing are read in one request;
# more (a new engine version) is the batch job's work: `manage.py refresh_readings --stale`.
LAZY_REFRESH_PATIENTS = 100
# How long "every standing episode is read" is believed without asking again.
ALL_READ_SECONDS = 60


def standing(rows: QuerySet) -> QuerySet:
    """The rows of standing episodes: those not entered in error, nor of a patient entered in
    error. Leaving out the few from two small partial indexes (episode_in_error,
    patient_in_error), where joining every row to its episode and patient made PostgreSQL
    hash the whole clinic's episodes and patients."""
    return rows.exclude(
        episode_id__in=Episode.objects.filter(entered_in_error=True).values("pk")
    ).exclude(episode_id__in=Episode.objects.filter(patient__entered_in_error=True).values("pk"))


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
    rows = standing(SuggestionReading.objects.filter(profile=profile, status="open"))
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


def _undecided_of(episode, profile: str, *, code: str = "", all_current: bool = False) -> Exists:
    """The `episode` (an OuterRef) has a stored open suggestion no decision has
    answered yet (of this code). The outer query keeps to standing episodes itself, so this
    probe reads the worklist index and the decisions alone."""
    rows = SuggestionReading.objects.filter(profile=profile, status="open", episode_id=episode)
    if not all_current:
        rows = rows.filter(_current(profile))
    rows = undecided(rows)
    if code:
        rows = rows.filter(code=code)
    return Exists(rows)


# The newest procedures read to find a page by walking the lists' index, per row wanted: a
# physician doing one block in eight fills a page from the newest ~650 procedures.
WALK_PER_ROW = 40
WALK_AT_MOST = 20_000
# Older than any plausible procedure: the walk's bound when the clinic has fewer procedures
# (a block stored at this very instant is left to the sorted reading, which is exact).
BEFORE_ANY = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


class WorklistEpisodes:
    """Ids of the episodes awaiting a physician's decision, the latest block first (then the
    newest episode), for a Paginator: `count()` and slices, each one query on the usual page.

    The count (unless given) reads the physician's own episodes; a page walks the standing
    procedures newest first (procedure_standing_order), keeping each episode's latest one
    that needs a decision, until the page is full, among the newest WALK_PER_ROW procedures
    per row wanted. Every episode whose latest block is newer than
    that window is then in it, so a full page from it is exactly the page of the whole list;
    a page it cannot fill (a physician with few episodes, a rare suggestion) is read by
    sorting the whole list instead, as cheap when that list is short.
    """

    def __init__(
        self,
        profile: str,
        *,
        physician_id: int | None,
        code: str,
        all_current: bool,
        count: int | None = None,
    ) -> None:
        self.profile, self.physician_id, self.code = profile, physician_id, code
        self.all_current = all_current
        self._count = count

    def _undecided(self, episode) -> Exists:
        return _undecided_of(episode, self.profile, code=self.code, all_current=self.all_current)

    def _episodes(self) -> QuerySet:
        episodes = Episode.objects.filter(
            self._undecided(OuterRef("pk")),
            entered_in_error=False,
            patient__entered_in_error=False,
        )
        if self.physician_id:
            episodes = episodes.filter(_performed_by(self.physician_id, "pk"))
        return episodes

    def count(self) -> int:
        if self._count is None:
            self._count = self._episodes().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def sorted_ids(self) -> QuerySet:
        """The whole list sorted by each episode's latest block: the reading for any page."""
        latest = (
            Procedure.objects.active()
            .filter(episode_id=OuterRef("pk"))
            .order_by("-performed_at")
            .values("performed_at")[:1]
        )
        return (
            self._episodes()
            .annotate(latest=Subquery(latest))
            .order_by("-latest", "-pk")
            .values_list("pk", flat=True)
        )

    def walked_ids(self, window: int) -> QuerySet:
        """The list's episodes whose latest block is among the newest `window` procedures."""
        standing = Procedure.objects.active()
        bound = standing.order_by("-performed_at", "-id").values("performed_at")[
            window - 1 : window
        ]
        later = standing.filter(episode_id=OuterRef("episode_id")).filter(
            Q(performed_at__gt=OuterRef("performed_at"))
            | Q(performed_at=OuterRef("performed_at"), pk__gt=OuterRef("pk"))
        )
        latest = (
            standing.filter(
                episode__entered_in_error=False,
                episode__patient__entered_in_error=False,
                performed_at__gt=Coalesce(Subquery(bound), Value(BEFORE_ANY)),
            )
            .exclude(Exists(later))
            .filter(self._undecided(OuterRef("episode_id")))
        )
        if self.physician_id:
            theirs = standing.filter(
                episode_id=OuterRef("episode_id"), performed_by_id=self.physician_id
            )
            latest = latest.filter(Exists(theirs))
        return latest.order_by("-performed_at", "-episode_id").values_list("episode_id", flat=True)

    def __getitem__(self, rows: slice) -> list[int]:
        start, stop = rows.start or 0, rows.stop
        if stop <= start:
            return []
        window = WALK_PER_ROW * stop
        if window <= WALK_AT_MOST:
            ids = list(self.walked_ids(window)[start:stop])
            if len(ids) == stop - start or start + len(ids) == self.count():
                return ids
        return list(self.sorted_ids()[start:stop])


def worklist_episodes(
    profile: str,
    *,
    physician_id: int | None = None,
    code: str = "",
    all_current: bool = False,
    count: int | None = None,
) -> WorklistEpisodes:
    """The episodes awaiting a physician's decision, the latest block first: see
    WorklistEpisodes; `count`, the list's length when already known (worklist_counts). The
    page's ids are one query, whatever the clinic's size, reading no more than the newest
    procedures or the physician's own episodes.
    """
    return WorklistEpisodes(
        profile, physician_id=physician_id, code=code, all_current=all_current, count=count
    )


def worklist_counts(
    profile: str,
    *,
    physician_id: int | None = None,
    code: str = "",
    all_current: bool = False,
) -> tuple[dict[str, int], int]:
    """The counts the worklist shows, in one pass over the stored suggestions: per code, the
    suggestions awaiting someone (a physician's code counts its undecided suggestions, the
    filter's counts; a staff task its open ones), and how many episodes await a decision
    (of `code`), which is the list's length.

    One statement reads the physician's suggestions once (a CTE used twice is computed once
    by SQLite and PostgreSQL): as two queries, PostgreSQL hashed the whole clinic's episodes
    and patients twice (55 ms at 100,000 procedures).
    """
    rows = open_suggestions(profile, physician_id=physician_id, all_current=all_current)
    rows = rows.annotate(decided=_decided()).values_list("episode_id", "code", "decided")
    sql, params = rows.query.sql_with_params()
    staff = ", ".join(["%s"] * len(STAFF_TASK_CODES))
    statement = (
        f"WITH s (episode_id, code, decided) AS ({sql}) "
        "SELECT code, SUM(CASE WHEN decided THEN 0 ELSE 1 END), COUNT(*), 0 FROM s GROUP BY code "
        "UNION ALL SELECT NULL, 0, 0, COUNT(DISTINCT episode_id) FROM s "
        f"WHERE NOT decided AND code NOT IN ({staff})" + (" AND code = %s" if code else "")
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(statement, [*params, *STAFF_TASK_CODES, *([code] if code else [])])
        found = cursor.fetchall()
    counts, total = {}, 0
    for row_code, undecided, standing, episodes in found:
        if row_code is None:
            total = episodes
        else:
            counts[row_code] = standing if row_code in STAFF_TASK_CODES else undecided
    return {c: n for c, n in counts.items() if n}, total


def code_counts(
    profile: str, *, physician_id: int | None = None, all_current: bool = False
) -> dict[str, int]:
    """Per code, the suggestions awaiting someone: see worklist_counts."""
    return worklist_counts(profile, physician_id=physician_id, all_current=all_current)[0]


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


def _all_read_key(profile: str) -> str:
    """Where "every standing episode is read" is remembered: until a new episode (the newest
    id moves on), a new engine version, or ALL_READ_SECONDS, whichever comes first."""
    newest = Episode.objects.aggregate(newest=Max("pk"))["newest"]
    return f"worklist-all-read:{profile}:{ENGINE_VERSION}:{newest}"


def every_episode_read(profile: str) -> bool:
    """Every standing episode has its suggestions stored by this engine under this profile:
    the cheap question refresh_unread asks first, its "yes" kept the same way."""
    key = _all_read_key(profile)
    if cache.get(key):
        return True
    if _unread_episodes(profile).exists():
        return False
    cache.set(key, True, ALL_READ_SECONDS)
    return True


def refresh_unread(profile: str) -> int:
    """Store the missing suggestions of a few patients now; return how many episodes are left
    unread (0 when all could be read in this request).

    The write path stores every episode's suggestions (an empty episode's too), so the first,
    cheap question is nearly always answered "none". A new engine version leaves every
    episode unread: those are not read here (one request would take minutes) but counted, so
    the page says what it cannot show yet.

    Asking costs a pass over every episode (30 ms at 100,000 procedures), and the answer
    changes only with a new episode or engine version, which the write path reads at once
    anyway: a "none" is kept (see _all_read_key), bounded to ALL_READ_SECONDS for rows
    written around the services into episodes that already existed.
    """
    if every_episode_read(profile):
        return 0
    key = _all_read_key(profile)
    patients = unread_patients(profile, LAZY_REFRESH_PATIENTS)
    if len(patients) <= LAZY_REFRESH_PATIENTS:
        if patients:
            store_for_patients(patients)
        cache.set(key, True, ALL_READ_SECONDS)
        return 0
    standing = Procedure.objects.active().filter(episode_id=OuterRef("pk"))
    return _unread_episodes(profile).filter(Exists(standing)).count()
