"""A case's history as one list: status changes, placements, notes and decisions on
relatives' tracing requests, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from homeward.cases.models import ChildCase, StatusTransition
from homeward.cases.status import CaseStatus


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    recorded_at: datetime
    kind: str  # "status", "placement", "note" or "tracing"
    title: str
    text: str
    by: str


def history(case: ChildCase) -> Prefetch:
    """The case's status moves with who recorded them: the case page reads them once for
    its panels (`prefetch_related_objects`), and the timeline reuses them."""
    return Prefetch("transitions", queryset=StatusTransition.objects.select_related("recorded_by"))


def timeline_for(case: ChildCase) -> list[TimelineEntry]:
    prefetch_related_objects([case], history(case))  # nothing to do when already read
    entries = [
        TimelineEntry(
            t.effective_on,
            t.recorded_at,
            "status",
            f"{CaseStatus(t.from_status).label} → {CaseStatus(t.to_status).label}"
            if t.from_status
            else str(CaseStatus(t.to_status).label),
            # A reason Homeward wrote itself ("Registered") reads in the reader's language;
            # what a person wrote stays as written.
            _(t.reason) if t.reason else "",
            _who(t.recorded_by),
        )
        for t in case.transitions.all()
    ]
    entries += [
        TimelineEntry(
            p.since,
            p.recorded_at,
            "placement",
            _("Placement: %(kind)s, %(country)s")
            % {
                "kind": p.get_facility_kind_display(),
                "country": p.country_name,
            },
            p.facility_name,
            _who(p.recorded_by),
        )
        for p in case.placements.select_related("recorded_by")
    ]
    entries += [
        TimelineEntry(n.noted_on, n.written_at, "note", _("Note"), n.text, _who(n.author))
        for n in case.notes.select_related("author")
    ]
    entries += _tracing_decisions(case)
    return sorted(entries, key=lambda e: (e.day, e.recorded_at), reverse=True)


def _tracing_decisions(case: ChildCase) -> list[TimelineEntry]:
    """A caseworker's word on a relative's tracing request about this child, as the
    request's own history says it."""
    from homeward.tracing.history import decision_title  # tracing builds on cases

    decisions = case.tracing_decisions.select_related("sought__request", "decided_by")
    return [
        TimelineEntry(
            d.decided_at.date(),
            d.decided_at,
            "tracing",
            decision_title(d, _("Tracing request %(ref)s") % {"ref": d.sought.request.reference}),
            d.reason,
            _who(d.decided_by),
        )
        for d in decisions
    ]


def _who(user: object) -> str:
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user)
