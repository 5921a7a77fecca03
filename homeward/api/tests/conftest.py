"""API fixtures: a key per role, and clients that send it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.api import keys


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def make_key(agency: Agency, role: str, scope: str = "agency", **kwargs: Any) -> str:
    """A new key's secret, made at the console."""
    made = keys.create_key(
        name=f"{role} key", agency=agency, role=role, scope=scope,
        expires_at=timezone.now() + timedelta(days=30), by=None, **kwargs,
    )  # fmt: skip
    return made.secret


class KeyClient(Client):
    """A test client that sends an API key on every request, and JSON bodies."""

    def __init__(self, secret: str, **kwargs: Any) -> None:
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)

    def send(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        return getattr(self, method.lower())(path, data, content_type="application/json", **extra)


@pytest.fixture
def key_client(agency: Agency) -> Callable[..., KeyClient]:
    def make(role: str = "caseworker", scope: str = "agency", owner: Agency | None = None,
             **kwargs: Any) -> KeyClient:  # fmt: skip
        return KeyClient(make_key(owner or agency, role, scope, **kwargs))

    return make
