"""A tracing request's history, newest first: filed, each decision on a proposed child (as
the child's own timeline records it too), closed. Decisions on children the reader may not
see are counted, not named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeward.cases.models import ChildCase
from homeward.tracing.models import Decision, MatchDecision, TracingRequest


@dataclass(frozen=True)
class HistoryEntry:
    day: date
    title: str
    text: str = ""
    by: str = ""


def request_history(request: TracingRequest, visible: QuerySet[ChildCase]) -> list[HistoryEntry]:
    entries = [HistoryEntry(request.filed_on, _("Filed"), by=_who(request.filed_by))]
    decisions = MatchDecision.objects.filter(sought__request=request).select_related(
        "case", "decided_by", "sought"
    )
    visible_ids = set(
        visible.filter(tracing_decisions__sought__request=request).values_list("pk", flat=True)
    )
    hidden = 0
    for decision in decisions:
        if decision.case_id not in visible_ids:
            hidden += 1
            continue
        entries.append(
            HistoryEntry(
                decision.decided_at.date(),
                decision_title(decision, decision.case.reference),
                decision.reason,
                _who(decision.decided_by),
            )
        )
    if hidden:
        entries.append(
            HistoryEntry(
                request.filed_on,
                _("%(count)d decisions on children of other agencies") % {"count": hidden},
            )
        )
    if request.closed_on:
        entries.append(HistoryEntry(request.closed_on, _("Closed"), request.closed_reason))
    return sorted(entries, key=lambda e: e.day, reverse=True)


def decision_title(decision: MatchDecision, subject: str) -> str:
    """One decision as both timelines say it: the request's names the case, the child's
    names the request."""
    values = {"subject": subject, "kind": decision.sought.get_kind_display().lower()}
    if decision.decision == Decision.CONFIRMED:
        return _("%(subject)s: confirmed as the %(kind)s sought") % values
    return _("%(subject)s: rejected, not the %(kind)s sought") % values


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())
