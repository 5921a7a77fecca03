from __future__ import annotations

from typing import Any

from homeward.disclosure import DisclosureRules
from homeward.releases.models import Release
from homeward.releases.services import approve_release, prepare_release
from homeward.statistics.services import StatsQuery


def a_release(
    analyst: Any, *, approved_by: Any = None, by: tuple[str, ...] = ("region",)
) -> Release:
    """A release of today's open cases, prepared by `analyst` (and approved, if asked)."""
    release = prepare_release("Test release", StatsQuery(by=by), DisclosureRules(), by=analyst)
    if approved_by is not None:
        approve_release(release, by=approved_by)
    return release
