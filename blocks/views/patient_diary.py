"""The patient's diary page: no sign-in, no identifiers, works with no script (CLINICAL_RULES 9).

The link staff hand out is `/diary/<token>/`. Its first visit puts the token in an HttpOnly,
SameSite=Strict cookie scoped to the diary's own path and answers 303 to a token-free address
(`/diary/my/<handle>/`, the handle a non-secret name of the link), so the token leaves the URL
bar, the history and any screenshot. The token URL answers with `Referrer-Policy: no-referrer`;
the form page keeps the project's `same-origin`, because Chromium sends `Origin: null` with a
POST from a no-referrer page and Django's CSRF check then refuses it. Both are `no-store`.

A link opened from a web mail is a cross-site navigation: the browser may hold the Strict
cookie back on the redirect that follows. The page without its cookie therefore reloads itself
once (a meta refresh, a same-site navigation that carries the cookie) before it says the link
must be opened again.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from blocks import patient_diary, services
from blocks.api.throttles import page_allowed
from blocks.models import DiaryLink
from blocks.rules import diary

COOKIE_PREFIX = "diary_"


class PatientScoreForm(forms.Form):
    minutes_after = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    score = forms.IntegerField(
        min_value=0, max_value=10, error_messages={"required": "Tap a score from 0 to 10."}
    )
    patient_reported_relief_percent = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label="How much better is the pain than before the injection? (per cent, optional)",
        error_messages={"invalid": "Type a whole number from 0 to 100, or leave it empty."},
    )


def _private(response, referrer: str):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request, template: str, context: dict, *, status: int = 200, referrer="same-origin"):
    return _private(
        render(request, f"blocks/{template}", context, status=status), referrer=referrer
    )


def _ended(request, *, status: int, referrer: str, handle: str | None = None):
    """The same plain page whether the link expired, was revoked or never existed."""
    response = _page(
        request,
        "patient_diary_ended.html",
        {"known": status == 410},
        status=status,
        referrer=referrer,
    )
    if handle:
        response.delete_cookie(COOKIE_PREFIX + handle, path=_path(handle))
    return response


def _throttled(request, wait: int, referrer: str):
    response = _page(request, "patient_diary_busy.html", {}, status=429, referrer=referrer)
    response["Retry-After"] = str(wait)
    return response


def _path(handle: str) -> str:
    return reverse("patient-diary-page", args=[handle])


@require_http_methods(["GET"])
def diary_entry(request, token: str):
    """The link itself: keep its token in a cookie, then move to the token-free address."""
    allowed, wait = page_allowed(request)
    if not allowed:
        return _throttled(request, wait, "no-referrer")
    try:
        link, _ = _readable(token)
    except DiaryLink.DoesNotExist:
        return _ended(request, status=404, referrer="no-referrer")
    except services.LinkGone:
        return _ended(request, status=410, referrer="no-referrer")
    handle = patient_diary.handle_of(link)
    response = redirect(_path(handle))
    response.status_code = 303
    seconds = max(int((link.expires_at - timezone.now()).total_seconds()), 1)
    response.set_cookie(
        COOKIE_PREFIX + handle,
        token,
        max_age=seconds,
        path=_path(handle),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return _private(response, referrer="no-referrer")


@require_http_methods(["GET", "POST"])
def diary_page(request, handle: str):
    """The diary: the next time point to answer, the 0-10 buttons, what was recorded."""
    allowed, wait = page_allowed(request)
    if not allowed:
        return _throttled(request, wait, "same-origin")
    token = request.COOKIES.get(COOKIE_PREFIX + handle)
    if not token:
        return _no_cookie(request, handle)
    try:
        link, finished = _readable(token)
    except DiaryLink.DoesNotExist:
        return _ended(request, status=404, referrer="same-origin", handle=handle)
    except services.LinkGone:
        return _ended(request, status=410, referrer="same-origin", handle=handle)
    if patient_diary.handle_of(link) != handle:
        return _no_cookie(request, handle)
    if request.method == "POST":
        if finished:
            problem = "Your diary is already complete: there is nothing more to give."
            return _diary(request, link, problem=problem, status=409, finished=True)
        return _answer(request, link, handle)
    saved = request.GET.get("saved")
    saved = int(saved) if saved and saved.isdigit() else None
    return _diary(request, link, saved=saved, finished=finished)


def _readable(token: str) -> tuple[DiaryLink, bool]:
    """The link and whether its diary is finished: a diary the patient has just completed
    stays readable (its thank-you and what was recorded) until it would have closed; a
    revoked link, or one past its time, is gone (LinkGone)."""
    try:
        return services.link_for_token(token), False
    except services.LinkGone as gone:
        link = gone.link
        if (
            link.revoked_at is None
            and timezone.now() < link.expires_at
            and link.procedure.diary_state() == diary.COMPLETE
        ):
            return link, True
        raise


def _no_cookie(request, handle: str):
    again = request.GET.get("again") == "1"
    return _page(
        request,
        "patient_diary_ended.html",
        {"no_cookie": True, "again": again, "retry_url": f"{_path(handle)}?again=1"},
        status=400 if again else 200,
    )


def _answer(request, link: DiaryLink, handle: str):
    form = PatientScoreForm(request.POST)
    if not form.is_valid():
        return _diary(request, link, form=form, status=400)
    try:
        score = services.patient_score_add(link=link, **form.cleaned_data)
    except services.LinkGone:
        return _ended(request, status=410, referrer="same-origin", handle=handle)
    except services.DiaryConflict as refusal:
        message = {
            "answered": "This time already has a score: the first one counts.",
            "too_early": str(refusal),
            "diary_not_open": "This diary has closed.",
        }.get(refusal.code, str(refusal))
        return _diary(request, link, problem=message, status=409)
    except ValidationError:
        return _diary(request, link, problem="This time is not one of your diary's times.")
    response = redirect(f"{_path(handle)}?saved={score.minutes_after}")
    response.status_code = 303  # the answer to a POST is read with a GET
    return _private(response, referrer="same-origin")


def _diary(
    request, link: DiaryLink, *, saved=None, form=None, problem="", status=200, finished=False
):
    procedure = link.procedure
    now = timezone.now()
    points = patient_diary.time_points(procedure)
    due = None if finished else patient_diary.next_due(procedure, points, now)
    saved_point = next((p for p in points if p.minutes_after == saved and p.answered), None)
    form = form or PatientScoreForm(initial={"minutes_after": due.minutes_after if due else 0})
    if problem or (form.is_bound and form.errors):
        status = status if status != 200 else 400
    return _page(
        request,
        "patient_diary.html",
        {
            "words": patient_diary.patient_words(procedure),
            "now": now,
            "points": points,
            "due": due,
            "due_open": due is not None and now >= patient_diary.opens_at(due),
            "opens": f"{timezone.localtime(patient_diary.opens_at(due)):%H:%M}" if due else "",
            "saved": saved_point,
            "form": form,
            "problem": problem,
            "scores": range(11),
            "instructions": patient_diary.INSTRUCTIONS,
            "until": timezone.localtime(link.expires_at),
            "self_url": _path(patient_diary.handle_of(link)),
        },
        status=status,
    )
