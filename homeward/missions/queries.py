"""Reading a mission for its page: the manifest as the user may see it, what blocks the
flight, and the children cleared to leave who could be added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase
from homeward.missions import documents, readiness
from homeward.missions.models import ManifestEntry, Mission, MissionChange, MissionEscort
from homeward.missions.services import Blocker, blockers, ready_candidates
from homeward.people.models import names_read

# Children cleared to leave shown at once on a mission's page.
CANDIDATES_PER_PAGE = 50
# Missions shown at once on the list (a flight every two weeks for years: thousands).
MISSIONS_PER_PAGE = 50


@dataclass(frozen=True)
class ManifestRow:
    """A child on board whom the user may see."""

    entry: ManifestEntry
    missing: tuple[str, ...]  # the checklist's items not done, in words
    age: str  # on the day of departure
    blocks: bool  # holds the whole flight


@dataclass(frozen=True)
class ReadyChild:
    """A child cleared to leave and on no mission, who could be added."""

    case: ChildCase
    missing: tuple[str, ...]


@dataclass(frozen=True)
class MissionPage:
    on_board: tuple[ManifestRow, ...]
    taken_off: tuple[ManifestEntry, ...]
    hidden: int  # children on board whose cases the user may not see: counted, not named
    seats_taken: int
    blocking: tuple[Blocker, ...]  # every child who blocks the flight, seen or not
    blocking_shown: tuple[Blocker, ...]
    blocking_hidden: int
    escorts: tuple[MissionEscort, ...]
    changes: tuple[MissionChange, ...]
    candidates: Page[ChildCase] | None  # a page of `ready`, when they are listed
    ready: tuple[ReadyChild, ...]


def mission_page(
    mission: Mission, user: Any, *, list_ready: bool, page_number: str | None = None
) -> MissionPage:
    """What a mission's page shows `user`; with `list_ready`, a page of the children
    cleared to leave (thousands at a registry's size)."""
    # The checklists are read apart, for the children on board alone, as plain values.
    entries = list(
        mission.manifest.select_related("case__child", "escort__user", "removed_by", "override_by")
        .prefetch_related(names_read("case__child__names"))
        .order_by("removed_at", "seat", "id")
    )
    visible = set(
        cases_visible_to(user)
        .filter(pk__in=[e.case_id for e in entries])
        .values_list("pk", flat=True)
    )
    shown = [e for e in entries if e.case_id in visible]
    candidates = (
        Paginator(ready_candidates(user), CANDIDATES_PER_PAGE).get_page(page_number)
        if list_ready
        else None
    )
    # Every child on board counts, seen or not: one unready child holds the whole flight.
    # The manifest just read, not a second reading of it with the same prefetches.
    aboard = [e for e in entries if e.removed_at is None]
    missing = readiness.missing_by_case(e.case for e in aboard)
    blocking = tuple(blockers(mission, aboard, missing)) if mission.is_active else ()
    blocked = {b.entry.pk for b in blocking}
    on_board = tuple(
        ManifestRow(
            entry=e,
            missing=tuple(str(item.label) for item in missing[e.case_id]),
            age=documents.birth_text(e.case.child, mission.departs_on),
            blocks=e.pk in blocked,
        )
        for e in shown
        if e.removed_at is None
    )
    seats_taken = len(aboard)
    ready = readiness.missing_by_case(candidates or [])
    return MissionPage(
        on_board=on_board,
        taken_off=tuple(e for e in shown if e.removed_at is not None),
        hidden=seats_taken - len(on_board),
        seats_taken=seats_taken,
        blocking=blocking,
        blocking_shown=tuple(b for b in blocking if b.entry.case_id in visible),
        blocking_hidden=len([b for b in blocking if b.entry.case_id not in visible]),
        escorts=tuple(mission.escorts.select_related("user")),
        changes=tuple(mission.changes.select_related("changed_by")),
        candidates=candidates,
        ready=tuple(
            ReadyChild(c, tuple(str(item.label) for item in ready[c.pk])) for c in candidates or []
        ),
    )


def missions_page(missions: QuerySet[Mission], number: str | None) -> Page[Mission]:
    """A page of `missions`, latest departure first, each with `on_board_count`: the
    children on board counted for the page's missions only, in one query (counted with
    the whole list, every manifest of the registry was read: 694k entries at 1M)."""
    page = Paginator(missions.order_by("-departs_on", "-id"), MISSIONS_PER_PAGE).get_page(number)
    on_board = (
        ManifestEntry.objects.filter(mission__in=[m.pk for m in page], removed_at=None)
        .values("mission")
        .annotate(n=Count("pk"))
        .values_list("mission", "n")
    )
    counts = dict(on_board.order_by())
    for mission in page:
        mission.on_board_count = counts.get(mission.pk, 0)  # type: ignore[attr-defined]
    return page
