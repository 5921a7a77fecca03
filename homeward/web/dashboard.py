"""What needs me today: the start page of everyone who works on cases.

Each list is limited to the cases the user may open. With a past day (`?on=2019-01-10`),
alerts and overdue visits are shown as they stood that day, to look back at a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef

from homeward.care.services import overdue_visits
from homeward.cases.access import cases_visible_to
from homeward.cases.status import CaseStatus
from homeward.missions import readiness
from homeward.missions.models import Mission, MissionStatus
from homeward.missions.services import ready_children
from homeward.rules.services import alerts_open_on
from homeward.tracing.access import requests_visible_to
from homeward.tracing.models import MatchCandidate, MatchDecision

LIST_LIMIT = 50


@dataclass(frozen=True)
class MissionReadiness:
    mission: Mission
    on_board: int
    ready: int

    @property
    def not_ready(self) -> int:
        return self.on_board - self.ready


def missions_in_preparation() -> list[MissionReadiness]:
    """Missions still being prepared, with how many of their children pass the checklist
    (a child on a manifest has left "cleared to leave", so only the items are counted)."""
    found = []
    preparing = (MissionStatus.PLANNED, MissionStatus.MANIFEST_CONFIRMED)
    for mission in Mission.objects.filter(status__in=preparing).order_by("departs_on"):
        entries = (
            mission.on_board()
            .select_related("case")
            .prefetch_related("case__readiness", "case__family")
        )
        cases = [entry.case for entry in entries]
        ready = sum(1 for case in cases if not readiness.missing(case))
        found.append(MissionReadiness(mission, len(cases), ready))
    return found


def matches_to_review(user: Any) -> Any:
    decided = MatchDecision.objects.filter(sought=OuterRef("sought"), case=OuterRef("case"))
    return (
        MatchCandidate.objects.filter(sought__request__in=requests_visible_to(user))
        .filter(sought__request__status="open", case__in=cases_visible_to(user))
        .exclude(Exists(decided))
        .select_related("sought__request", "case__child")
        .order_by("-score")
    )


def dashboard(user: Any, on: date, today: date) -> dict[str, Any]:
    visible = cases_visible_to(user)
    alerts = (
        alerts_open_on(on)
        .filter(case__in=visible)
        .select_related("case__child", "rule")
        .prefetch_related("case__child__names")
        .order_by("limit_earliest", "id")
    )
    overdue = overdue_visits(visible, on).prefetch_related("case__child__names")
    ready = ready_children(user) if on == today else []
    # Home, but not yet examined: the medical officers' list.
    to_examine = (
        visible.filter(status=CaseStatus.REPATRIATED, merged_into=None)
        .select_related("child")
        .prefetch_related("child__names")
        .order_by("status_since", "reference")
    )
    matches = matches_to_review(user)
    return {
        "on": on,
        "is_today": on == today,
        "alerts": list(alerts[:LIST_LIMIT]),
        "alert_count": alerts.count(),
        "overdue": list(overdue[:LIST_LIMIT]),
        "overdue_count": overdue.count(),
        "ready": ready[:LIST_LIMIT],
        "ready_count": len(ready),
        "to_examine": list(to_examine[:LIST_LIMIT]) if on == today else [],
        "missions": missions_in_preparation(),
        "matches": list(matches[:10]),
        "match_count": matches.count(),
    }
