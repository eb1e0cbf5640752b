"""Follow-up after treatment: the staff grid and the patient's link page (section 10).

`/procedures/<pk>/follow-ups/` is the phone-call grid: the scheduled points with their state,
every follow-up recorded so far (correctable with its version, or marked entered in error),
and a row for an unscheduled day when the pain returns; everything is saved in one submit or
nothing is. `/follow-up/<token>/` is the patient's page: no login, no name, MRN or birth date;
the token moves into a cookie and the page redirects to `/follow-up/`, so it leaves the
address bar and the history. Both answers are `no-store`; the token URL sends no Referer, the
form page `same-origin` (Chromium sends `Origin: null` under no-referrer and CSRF refuses it).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from blocks import selectors
from blocks.forms.labels import label
from blocks.models import FollowUp, FollowUpLink, Procedure
from blocks.rules import followup as rules
from blocks.services import followup as service
from blocks.services.diary import LinkGone
from blocks.services.records import MarkedEnteredInError
from blocks.services.updates import StaleVersion
from blocks.views.access import active_profile, clinical_page
from tracker.auth.authentication import TokenAttempts

COOKIE = "tracker_follow_up"
STATE_WORDS = {
    rules.ANSWERED: "Answered",
    rules.UPCOMING: "Not due yet",
    rules.DUE: "Due: call or send the link",
    rules.OVERDUE: "Overdue",
}


def treatment_words(procedure: Procedure) -> str:
    """'Right radiofrequency ablation at L4-L5, L5-S1, 2 March 2026'."""
    at = timezone.localtime(procedure.performed_at)
    levels = ", ".join(procedure.levels or ())
    kind = label(procedure.kind)
    return (
        f"{label(procedure.side)} {kind[:1].lower() + kind[1:]}"
        f"{' at ' + levels if levels else ''}, {at.day} {at:%B %Y}"
    )


def _int(value: str | None, field: str, errors: dict):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        errors[field] = "Enter a whole number."
        return None


@dataclass
class Row:
    key: str
    days_after: int | None
    words: str
    state: str = ""
    follow_up: FollowUp | None = None
    error: str = ""
    opens_on: object = None  # an upcoming point: the day it can first be entered

    @property
    def state_words(self) -> str:
        return STATE_WORDS.get(self.state, "")

    @property
    def source(self) -> str:
        f = self.follow_up
        if f is None:
            return ""
        if f.source == "patient":
            return "patient (follow-up link)"
        user = f.recorded_by
        return f"staff: {(user.get_full_name() or user.get_username()) if user else 'unknown'}"


def _rows(procedure: Procedure, follow_ups: list[FollowUp]) -> list[Row]:
    today = timezone.localdate()
    on = service.treated_on(procedure)
    rows = [Row(f"f{f.pk}", f.days_after, f"Day {f.days_after}", follow_up=f) for f in follow_ups]
    for point, state in service.schedule_of(procedure, today, follow_ups):
        if state == rules.ANSWERED:
            continue
        due = rules.due_on(on, point)
        opens = rules.due_on(on, rules.window(point)[0])
        rows.append(
            Row(f"p{point}", point, f"Day {point} ({due:%d %b %Y})", state=state, opens_on=opens)
        )
    rows.sort(key=lambda r: (r.days_after or 0, r.follow_up is None))
    rows.append(Row("new", None, "Another day (unscheduled)"))
    return rows


def _grid_page(request, procedure, *, status=200, **extra):
    follow_ups = list(
        procedure.follow_ups.active().select_related("recorded_by").order_by("days_after")
    )
    patient = procedure.episode.patient
    outcome = selectors.treatment_outcome(procedure, profile=active_profile(request))
    return render(
        request,
        "blocks/follow_ups.html",
        {
            "procedure": procedure,
            "episode": procedure.episode,
            "patient": patient,
            "words": treatment_words(procedure),
            "rows": extra.pop("rows", None) or _rows(procedure, follow_ups),
            "outcome": outcome,
            "pgic_choices": sorted(rules.PGIC_WORDS.items()),
            "medication_choices": rules.MEDICATION_CHANGES,
            "state_words": STATE_WORDS,
            "episode_url": f"{reverse('episode-detail', args=[procedure.episode_id])}"
            f"#procedure-{procedure.pk}",
            **extra,
        },
        status=status,
    )


@clinical_page(write=True)
def procedure_follow_ups(request, pk: int):
    procedure = get_object_or_404(Procedure.objects.select_related("episode__patient"), pk=pk)
    if not procedure.is_treatment():
        return _grid_page(request, procedure, status=404, not_treatment=True, rows=[Row("", 0, "")])
    if request.method != "POST":
        return _grid_page(request, procedure)
    if request.POST.get("action") == "link":
        return _make_link(request, procedure)
    follow_ups = list(procedure.follow_ups.active().select_related("recorded_by"))
    rows = _rows(procedure, follow_ups)
    try:
        with transaction.atomic():
            refused = _save_rows(request, procedure, rows)
            if refused:
                raise _Refused
    except _Refused:
        return _grid_page(request, procedure, status=400, rows=rows, refused=True)
    except StaleVersion:
        return _grid_page(request, procedure, status=409, changed=True)
    except MarkedEnteredInError:
        return _grid_page(request, procedure, status=409, marked=True)
    return redirect(reverse("procedure-follow-ups", args=[procedure.pk]))


class _Refused(Exception):
    pass


def _save_rows(request, procedure, rows: list[Row]) -> bool:
    """Apply every row of the submit; True when any was refused (the caller rolls back)."""
    refused = False
    post = request.POST
    for row in rows:
        prefix = row.key
        errors: dict = {}
        pain = _int(post.get(f"{prefix}-pain"), "pain", errors)
        pgic = _int(post.get(f"{prefix}-pgic"), "pgic", errors)
        medication = post.get(f"{prefix}-medication_change", "")
        days = (
            row.days_after if row.key != "new" else _int(post.get("new-days_after"), "days", errors)
        )
        reason = (post.get(f"{prefix}-error_reason") or "").strip()
        try:
            if errors:
                raise ValidationError(errors)
            if row.follow_up is not None:
                f = row.follow_up
                version = _int(post.get(f"{prefix}-version"), "version", errors) or f.version
                if reason:
                    service.follow_up_mark_entered_in_error(
                        follow_up=f, reason=reason, user=request.user, expected_version=version
                    )
                elif (pain, pgic, medication) != (f.pain, f.pgic, f.medication_change):
                    if pain is None:
                        raise ValidationError({"pain": "Index pain is needed."})
                    service.follow_up_correct(
                        follow_up=f,
                        expected_version=version,
                        corrected_by=request.user,
                        pain=pain,
                        pgic=pgic,
                        medication_change=medication,
                    )
            elif pain is not None:
                if days is None:
                    raise ValidationError({"days_after": "Say which day after the treatment."})
                service.follow_up_add(
                    procedure=procedure,
                    days_after=days,
                    pain=pain,
                    pgic=pgic,
                    medication_change=medication,
                    recorded_by=request.user,
                )
        except ValidationError as error:
            row.error = " ".join(error.messages)
            refused = True
        except service.FollowUpConflict as error:
            row.error = str(error)
            refused = True
    return refused


def _make_link(request, procedure):
    try:
        link, token = service.follow_up_link_create(procedure=procedure, created_by=request.user)
    except service.FollowUpConflict as error:
        return _grid_page(request, procedure, status=409, link_refused=str(error))
    except MarkedEnteredInError:
        return _grid_page(request, procedure, status=409, marked=True)
    url = request.build_absolute_uri(reverse("follow-up-patient", args=[token]))
    response = _grid_page(request, procedure, new_link=url, link=link)
    add_never_cache_headers(response)
    return response


# --- the patient's page ----------------------------------------------------------------


def _private(response, referrer: str):
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    return response


@require_http_methods(["GET"])
def patient_follow_up_token(request, token: str):
    """The link the patient received: keep the token in a cookie and leave the URL."""
    response = redirect(reverse("follow-up-form"))
    response.set_cookie(
        COOKIE,
        token,
        max_age=60 * 60 * 24 * 400,
        path="/follow-up/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return _private(response, "no-referrer")


def _link_of(request):
    token = request.COOKIES.get(COOKIE, "")
    attempts = TokenAttempts(request)
    if attempts_blocked(attempts):
        return None, "throttled"
    try:
        return service.link_for_token(token), ""
    except FollowUpLink.DoesNotExist:
        attempts.record_failure()
        return None, "unknown"
    except LinkGone:
        return None, "gone"


def attempts_blocked(attempts: TokenAttempts) -> bool:
    try:
        attempts.refuse_if_blocked()
    except Exception:  # DRF's Throttled: the page answers in words, not JSON
        return True
    return False


@require_http_methods(["GET", "POST"])
def patient_follow_up_form(request):
    link, problem = _link_of(request)
    if link is None:
        status = {"throttled": 429, "unknown": 404, "gone": 410}[problem]
        response = render(
            request, "blocks/follow_up_patient.html", {"problem": problem}, status=status
        )
        return _private(response, "same-origin")
    context = {"link": link, "saved": request.GET.get("saved") == "1"}
    status = 200
    if request.method == "POST":
        errors: dict = {}
        days = _int(request.POST.get("days_after"), "days_after", errors)
        pain = _int(request.POST.get("pain"), "pain", errors)
        pgic = _int(request.POST.get("pgic"), "pgic", errors)
        try:
            if errors or days is None or pain is None:
                raise ValidationError({"pain": "Choose a number from 0 to 10 for your pain."})
            service.patient_answer_add(
                link=link,
                days_after=days,
                pain=pain,
                pgic=pgic,
                medication_change=request.POST.get("medication_change", ""),
            )
            return _private(redirect(reverse("follow-up-form") + "?saved=1"), "same-origin")
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            status = 400
        except service.FollowUpConflict as error:
            context["error"] = str(error)
            status = 409
        except LinkGone:
            context = {"problem": "gone"}
            status = 410
    if "link" in context:
        points = service.link_points(link)
        context["points"] = points
        context["open_points"] = [p for p in points if not p["answered"]]
        context["treatment"] = label(link.procedure.kind)
        context["treated_on"] = timezone.localtime(link.procedure.performed_at)
        context["pgic_choices"] = sorted(rules.PGIC_WORDS.items(), reverse=True)
        context["pains"] = range(11)
    response = render(request, "blocks/follow_up_patient.html", context, status=status)
    return _private(response, "same-origin")
