"""Who sees the operations pages: system administrators (they run the installation)."""

from __future__ import annotations

from typing import Any

from homeward.accounts.models import Role
from homeward.cases.access import profile_of


def sees_operations(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role == Role.SYSTEM_ADMIN
