"""What needs me today: the start page of everyone who works on cases.

Each list is limited to the cases the user may open. With a past day (`?on=2019-01-10`),
alerts and overdue visits are shown as they stood that day, to look back at a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count

from homeward.care.services import overdue_visits
from homeward.cases.access import cases_visible_to, visible_cases
from homeward.cases.status import CaseStatus
from homeward.missions.models import Mission, MissionStatus
from homeward.missions.services import blockers, ready_cases
from homeward.rules.services import alerts_open_on
from homeward.tracing import review

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
    """Missions still being prepared, with how many of their children may fly as things
    stand (the checklist done, or a supervisor let them fly without an item)."""
    found = []
    preparing = (MissionStatus.PLANNED, MissionStatus.MANIFEST_CONFIRMED)
    for mission in Mission.objects.filter(status__in=preparing).order_by("departs_on"):
        on_board = mission.on_board().count()
        found.append(MissionReadiness(mission, on_board, on_board - len(blockers(mission))))
    return found


def matches_to_review(user: Any) -> Any:
    """Proposals that are questions; those of a child already home with the enquirer's
    family are counted apart (they only wait to be recorded)."""
    return review.to_review(user).select_related("sought__request", "case__child")


def dashboard(user: Any, on: date, today: date) -> dict[str, Any]:
    visible = cases_visible_to(user)
    alerts = (
        alerts_open_on(on)
        .filter(visible_cases(user, "case"))
        .select_related("case__child", "rule")
        .prefetch_related("case__child__names")
        .order_by("limit_earliest", "id")
    )
    overdue = overdue_visits(visible_cases(user, "case"), on).prefetch_related("case__child__names")
    ready = ready_cases(user).prefetch_related("child__names") if on == today else None
    # Home, but not yet examined: the medical officers' list.
    to_examine = (
        visible.filter(status=CaseStatus.REPATRIATED, merged_into=None)
        .select_related("child")
        .prefetch_related("child__names")
        .order_by("status_since", "reference")
    )
    matches = matches_to_review(user)
    # Both counts of the proposals (to review, already home) in one reading of them.
    match_counts = {
        row["already_home"]: row["n"]
        for row in review.open_candidates(user)
        .values("already_home")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return {
        "on": on,
        "is_today": on == today,
        "alerts": list(alerts[:LIST_LIMIT]),
        "alert_count": alerts.count(),
        "overdue": list(overdue[:LIST_LIMIT]),
        "overdue_count": overdue.count(),
        "ready": list(ready[:LIST_LIMIT]) if ready is not None else [],
        "ready_count": ready.count() if ready is not None else 0,
        "to_examine": list(to_examine[:LIST_LIMIT]) if on == today else [],
        "to_examine_count": to_examine.count() if on == today else 0,
        "missions": missions_in_preparation(),
        "matches": list(matches[:10]),
        "match_count": match_counts.get(False, 0),
        "already_home_count": match_counts.get(True, 0),
    }
