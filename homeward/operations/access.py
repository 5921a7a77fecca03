"""Who sees the operations pages: system administrators (they run the installation)."""

from __future__ import annotations

from typing import Any

from homeward.accounts.models import Role
from homeward.accounts.roles import has_role


def sees_operations(user: Any) -> bool:
    return has_role(user, (Role.SYSTEM_ADMIN,))
