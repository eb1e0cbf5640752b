"""The two-factor pages: confirm a sign-in with a code, and enrol an authenticator app.

Enrolment shows a QR code (an SVG drawn by `qrcode`, sent as a data: image, which the
Content-Security-Policy allows) and the secret key as text, asks for one code to prove the
app has it, then shows ten one-time recovery codes once: they are stored only as
django-otp static tokens and never shown again.
"""

import base64
import io
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from blocks.views.access import safe_next
from tracker.auth.forms import CodeForm, is_app_code
from tracker.auth.two_factor import is_enrolled

RECOVERY_CODES = 10
WRONG_CODE = "That code is not right (or was already used). Check the app's clock and try again."
WAIT = "Too many wrong codes: wait a few seconds, then enter the current code."


def _next(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), "/")


def _with_next(url_name: str, next_url: str) -> str:
    return reverse(url_name) + "?" + urlencode({"next": next_url})


def _sign_in_with(request, device) -> None:
    """Mark the session verified by this device, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _matching_device(user, code: str):
    """The confirmed device that accepts the code (and is used up by it), or None."""
    model = TOTPDevice if is_app_code(code) else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        accepted = django_otp.verify_token(user, device.persistent_id, code)
        if accepted is not None:
            return accepted
    return None


def _throttled(user) -> bool:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    return any(not device.verify_is_allowed()[0] for device in devices)


@never_cache
@login_required
def verify_page(request):
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not is_enrolled(request.user):
        # Nothing to verify with yet: enrolment is the way in.
        return redirect(_with_next("two-factor-enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request.user):
            form.refuse(WAIT)  # django-otp's back-off after wrong codes: 1 s, 2 s, 4 s ...
        else:
            device = _matching_device(request.user, form.cleaned_data["code"])
            if device is not None:
                _sign_in_with(request, device)
                return redirect(next_url)
            form.refuse(WRONG_CODE)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


def _pending_device(user) -> TOTPDevice:
    """The unconfirmed app being enrolled: the same one on every reload, so the QR holds."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_enrolment(user, device: TOTPDevice) -> list[str]:
    """The new app replaces any earlier one; a fresh set of recovery codes replaces the old."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@never_cache
@login_required
def enrol_page(request):
    next_url = _next(request)
    if is_enrolled(request.user) and not request.user.is_verified():
        # Replacing the app needs a code from the present one: a password alone is not enough.
        return redirect(_with_next("two-factor-verify", next_url))
    device = _pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if not device.verify_is_allowed()[0]:
            form.refuse(WAIT)
        elif is_app_code(code) and django_otp.verify_token(
            request.user, device.persistent_id, code
        ):
            codes = confirm_enrolment(request.user, device)
            device.refresh_from_db()
            _sign_in_with(request, device)
            return render(
                request,
                "registration/two_factor_recovery_codes.html",
                {"codes": codes, "next": next_url},
            )
        else:
            form.refuse(WRONG_CODE)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr": _qr_data_uri(device.config_url),
            "secret": _grouped(secret),
            "replacing": is_enrolled(request.user),
        },
    )
