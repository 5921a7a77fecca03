"""API fixtures: clients that send a key of a given role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches

from homeward.accounts.models import Agency
from homeward.api.tests.helpers import KeyClient, make_key


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> Iterator[None]:
    caches["api-rates"].clear()
    yield
    caches["api-rates"].clear()


@pytest.fixture
def key_client(agency: Agency) -> Callable[..., KeyClient]:
    def make(
        role: str = "caseworker", scope: str = "agency", owner: Agency | None = None, **kw: Any
    ) -> KeyClient:
        return KeyClient(make_key(owner or agency, role, scope, **kw))

    return make
