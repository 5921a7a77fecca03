"""Sign-in rules beyond the password: a second factor for every account, sessions that
end when idle or too old, and sessions that end when an account is deactivated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from homeward.audit.services import record

SIGNED_IN_AT = "homeward_signed_in_at"


def second_factor_required(user: Any) -> bool:
    """Every account needs a second factor, unless this is the demo (see settings)."""
    return user.is_authenticated and not settings.HOMEWARD_DEMO_MODE


class RequireSecondFactorMiddleware:
    """A signed-in user who has not yet given a one-time code reaches only the pages that
    take one (or set one up), and signing out."""

    OPEN_PATHS = ("second_factor", "set_up_second_factor", "logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if second_factor_required(user) and not user.is_verified():  # type: ignore[union-attr]
            open_urls = {reverse(name) for name in self.OPEN_PATHS}
            if request.path not in open_urls and not request.path.startswith(settings.STATIC_URL):
                return redirect(f"{reverse('second_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Idle sessions end by age (SESSION_COOKIE_AGE after they were last renewed); this
    renews a signed-in session at most once a minute, and ends sessions older than the
    absolute lifetime however busy they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = request.session.get(SIGNED_IN_AT)
        limit = timedelta(hours=settings.HOMEWARD_SESSION_MAX_HOURS)
        if started is not None and timezone.now().timestamp() - started > limit.total_seconds():
            record("auth.session_expired", actor=request.user)
            logout(request)
            return redirect(f"{reverse('login')}?next={request.get_full_path()}")
        response = self.get_response(request)
        _keep_alive(request)
        return response


RENEWED_AT = "homeward_renewed_at"
RENEW_EVERY_SECONDS = 60


def _keep_alive(request: HttpRequest) -> None:
    """Renew a signed-in session's idle timeout, at most once a minute (so a session ends
    29 to 30 minutes after its last request). Saving it on every request made every page
    a database write, and on SQLite writes wait for each other."""
    if not request.user.is_authenticated:
        return
    now = timezone.now().timestamp()
    if now - request.session.get(RENEWED_AT, 0) >= RENEW_EVERY_SECONDS:
        request.session[RENEWED_AT] = now  # saved, with a new expiry, as the response leaves


@receiver(user_logged_in)
def _remember_sign_in_time(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


@receiver(post_save, sender=get_user_model())
def _end_sessions_of_deactivated_users(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.is_active:
        end_sessions_of(instance)


def end_sessions_of(user: Any) -> int:
    """Delete every live session of `user`; returns how many there were."""
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
