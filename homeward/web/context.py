from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from homeward.accounts.security import second_factor_required
from homeward.api.keys import manages_keys
from homeward.cases.access import can_change_cases, can_see_access_log, opens_case_records
from homeward.operations.access import sees_operations


def navigation(request: HttpRequest) -> dict[str, bool]:
    """What the header offers: nothing before the second factor; case pages only to the
    roles that open case records."""
    user = request.user
    verified = bool(getattr(user, "is_verified", lambda: False)())
    signed_in = user.is_authenticated and (verified or not second_factor_required(user))
    return {
        "demo_mode": settings.HOMEWARD_DEMO_MODE,
        "fully_signed_in": signed_in,
        "opens_cases": signed_in and opens_case_records(user),
        "changes_cases": signed_in and can_change_cases(user),
        "is_supervisor_nav": signed_in and can_see_access_log(user),
        "manages_keys_nav": signed_in and manages_keys(user),
        "operations_nav": signed_in and sees_operations(user),
    }
