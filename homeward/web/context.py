from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from homeward.cases.access import can_change_cases, opens_case_records


def navigation(request: HttpRequest) -> dict[str, bool]:
    """What the header offers: case pages only to the roles that open case records."""
    return {
        "demo_mode": settings.HOMEWARD_DEMO_MODE,
        "opens_cases": opens_case_records(request.user),
        "changes_cases": can_change_cases(request.user),
    }
