"""Keys and clients for tests of the API (and the access matrix)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.api import keys


def make_key(
    agency: Agency, role: str, scope: str = "agency", name: str = "", **kwargs: Any
) -> str:
    """A new key's secret, made at the console."""
    made = keys.create_key(
        name=name or f"{role} key",
        agency=agency,
        role=role,
        scope=scope,
        expires_at=timezone.now() + timedelta(days=30),
        by=None,
        **kwargs,
    )
    return made.secret


class KeyClient(Client):
    """A test client that sends an API key on every request, and JSON bodies with `send`."""

    def __init__(self, secret: str, **kwargs: Any) -> None:
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)

    def send(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        return getattr(self, method.lower())(path, data, content_type="application/json", **extra)
