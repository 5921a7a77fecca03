"""The client address of the request being served, for audit entries written deep inside
services that know nothing of HTTP."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
# The API key a request came with ("API key hwk_3f9a..."), named in each entry it writes.
acting_through: ContextVar[str | None] = ContextVar("acting_through", default=None)


def actor_name_of(user: object) -> str:
    """The name an entry gives its actor: the username, and the API key it came through."""
    if user is None:
        return ""
    name = user.get_username()  # type: ignore[attr-defined]
    key = acting_through.get()
    if not key:
        return name
    suffix = f" ({key})"
    return name[: 150 - len(suffix)] + suffix  # the column holds 150; the key is kept whole


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only: a forwarded header is trusted once a deployment names its proxy.
        token = client_ip.set(request.META.get("REMOTE_ADDR") or None)
        key_token = acting_through.set(None)  # set by the API's key authentication
        try:
            return self.get_response(request)
        finally:
            acting_through.reset(key_token)
            client_ip.reset(token)
