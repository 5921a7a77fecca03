"""The interface language: the browser's by default (Django's LocaleMiddleware), the one a
user chose with the header's switch once they have chosen (kept on their profile)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from homeward.accounts.models import StaffProfile


def preferred_language(user: Any) -> str:
    """The language a user chose, or "" when they left it to their browser."""
    if not getattr(user, "is_authenticated", False):
        return ""
    try:
        # The profile is cached on the user: the header and the access checks read it too.
        return str(user.staff_profile.language)
    except ObjectDoesNotExist:
        return ""


def language_for(user: Any) -> str:
    """What to write to this user in when no request says (the daily digest)."""
    return preferred_language(user) or settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    """A signed-in user's own choice beats the browser's Accept-Language and the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = preferred_language(request.user)
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


@login_not_required
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch (a POST with the CSRF token, no script): Django's
    set_language keeps it in a cookie, even before signing in; a signed-in user's profile
    keeps it too, so it follows them to every browser."""
    response = set_language(request)
    chosen = request.POST.get("language", "")
    if chosen in dict(settings.LANGUAGES) and request.user.is_authenticated:
        StaffProfile.objects.filter(user=request.user).update(language=chosen)
    return response
