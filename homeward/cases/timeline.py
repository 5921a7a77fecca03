"""A case's history as one list: status changes, placements and notes, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from homeward.cases.models import ChildCase
from homeward.cases.status import CaseStatus


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    recorded_at: datetime
    kind: str  # "status", "placement" or "note"
    title: str
    text: str
    by: str


def timeline_for(case: ChildCase) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            t.effective_on,
            t.recorded_at,
            "status",
            f"{CaseStatus(t.from_status).label} → {CaseStatus(t.to_status).label}"
            if t.from_status
            else CaseStatus(t.to_status).label,
            t.reason,
            _who(t.recorded_by),
        )
        for t in case.transitions.select_related("recorded_by")
    ]
    entries += [
        TimelineEntry(
            p.since,
            p.recorded_at,
            "placement",
            f"Placement: {p}",
            p.facility_name,
            _who(p.recorded_by),
        )
        for p in case.placements.select_related("recorded_by")
    ]
    entries += [
        TimelineEntry(n.noted_on, n.written_at, "note", "Note", n.text, _who(n.author))
        for n in case.notes.select_related("author")
    ]
    return sorted(entries, key=lambda e: (e.day, e.recorded_at), reverse=True)


def _who(user: object) -> str:
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user)
