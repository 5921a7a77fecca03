"""The second step of signing in: a one-time code from an authenticator app (TOTP)."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.audit.services import record

CODE_FIELD = forms.CharField(
    label=gettext_lazy("Code from your authenticator app"),
    min_length=6,
    max_length=6,
    widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
    ),
)


WRONG_CODE = gettext_lazy("That code is wrong or already used; wait for the next one.")
# django-otp doubles the wait after each wrong code, so guessing six digits is hopeless.
TOO_SOON = gettext_lazy(
    "Too many wrong codes in a row: wait a few seconds, then enter the newest code."
)


class CodeForm(forms.Form):
    code = CODE_FIELD


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/"


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('set_up_second_factor')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if device.verify_token(form.cleaned_data["code"]):
            django_otp.login(request, device)
            record("auth.second_factor_passed", actor=request.user)
            return redirect(_next_url(request))
        record("auth.second_factor_failed", actor=request.user)
        form.add_error("code", WRONG_CODE if allowed else TOO_SOON)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_up_second_factor(request: HttpRequest) -> HttpResponse:
    """First sign-in: link an authenticator app by its QR code, then prove it with a code."""
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(f"{reverse('second_factor')}?next={_next_url(request)}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            record("auth.second_factor_set_up", actor=request.user)
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code does not match; check the app's clock and try the next code.")
        )
    svg = BytesIO()
    segno.make(device.config_url).save(svg, kind="svg", scale=4, border=2, xmldecl=False)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": svg.getvalue().decode(),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(
        request,
        "accounts/set_up_second_factor.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def locked_out(request: HttpRequest, response: object, credentials: object) -> HttpResponse:
    """What django-axes shows once an account has failed too often (its lockout callable)."""
    context = {"cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "accounts/locked_out.html", context, status=429)
