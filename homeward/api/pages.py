"""The administrators' page for API keys: list them with their last use, make one (shown
once), revoke one. Agency administrators manage their agency's keys, system administrators
every agency's."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from homeward.accounts.models import Agency, Role
from homeward.api import keys
from homeward.api.forms import NewKeyForm, RevokeForm
from homeward.audit.services import record
from homeward.cases.access import profile_of, refuse


def _administrator(request: HttpRequest) -> None:
    if not keys.manages_keys(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Only administrators manage API keys."))


def _agencies(request: HttpRequest) -> object:
    profile = profile_of(request.user)
    if profile is not None and profile.role == Role.SYSTEM_ADMIN:
        return Agency.objects.all()
    if profile is None:
        return Agency.objects.none()
    return Agency.objects.filter(pk=profile.agency_id)


@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    form = NewKeyForm(request.POST or None, agencies=_agencies(request))
    new_secret = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        expires = timezone.make_aware(datetime.combine(d["expires_on"], time(23, 59, 59)))
        try:
            made = keys.create_key(
                name=d["name"],
                agency=d["agency"],
                role=d["role"],
                scope=d["scope"],
                expires_at=expires,
                by=request.user,
                rate_per_minute=d["rate_per_minute"],
            )
        except keys.ApiKeyError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            new_secret = made.secret
            form = NewKeyForm(agencies=_agencies(request))
    listed = keys.keys_managed_by(request.user)
    response = render(
        request,
        "api/keys.html",
        {"form": form, "keys": listed, "new_secret": new_secret, "revoke_form": RevokeForm()},
        status=400 if request.method == "POST" and new_secret is None else 200,
    )
    return response


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _administrator(request)
    key = keys.keys_managed_by(request.user).filter(pk=pk).first()
    if key is None:
        refuse(request.user, "api.apikey", pk, "No such key.")
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        keys.revoke_key(key, by=request.user, reason=reason)
    except keys.ApiKeyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Key %(prefix)s revoked.") % {"prefix": key.prefix})
    return redirect("api_keys:list")
