"""Who is calling: a partner's machine with an API key, or a person signed in to the pages.

- `Authorization: Bearer hwk_...`: the key's service account; each audit entry the request
  writes names the key (audit.context.acting_through). A bad, expired or revoked key is
  refused with 401 and the refusal is audited (api.keys.key_for).
- A signed-in session that passed the second factor, with Django's CSRF check on writes, so
  the pages' own scripts and a person trying the documentation page use the API as
  themselves.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from homeward.accounts.security import second_factor_required
from homeward.api.keys import ApiKeyError, key_for
from homeward.api.models import ApiKey
from homeward.audit.context import acting_through


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        try:
            key = key_for(secret.strip(), ip=request.META.get("REMOTE_ADDR"))
        except ApiKeyError as error:
            raise AuthenticationFailed(error.message) from None
        acting_through.set(key.label)
        return key.account, key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="homeward"'


class SignedInSessionAuthentication(SessionAuthentication):
    """The pages' session, only once the second factor is given (as every page asks)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active or not user.is_authenticated:
            return None
        if second_factor_required(user) and not user.is_verified():
            return None
        self.enforce_csrf(request)
        return user, None


def key_of(request: Request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None
