"""Rate limits per API key (or per signed-in person): a sliding minute, 429 with
`Retry-After` beyond it. A key may have its own rate; otherwise HOMEWARD_API_RATE_PER_MINUTE.

Counts live in the "api-rates" cache, a folder of the data directory that every worker
process of `homeward serve --workers N` shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from homeward.api.authentication import key_of


class PerKeyRateThrottle(SimpleRateThrottle):
    cache = caches["api-rates"]

    def __init__(self) -> None:
        # The rate is the caller's, read for each request (SimpleRateThrottle reads a
        # fixed one from the settings here).
        self.rate: str | None = None
        self.num_requests: int | None = None
        self.duration: int | None = None

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = key_of(request)
        if key is not None:
            return f"homeward-api-rate:key-{key.pk}"
        if request.user is not None and request.user.is_authenticated:
            return f"homeward-api-rate:user-{request.user.pk}"
        return None

    def allow_request(self, request: Request, view: Any) -> bool:
        key = key_of(request)
        per_minute = (key.rate_per_minute if key else None) or settings.HOMEWARD_API_RATE_PER_MINUTE
        self.rate = f"{per_minute}/min"
        self.num_requests, self.duration = per_minute, 60
        return super().allow_request(request, view)
