"""Who is acting: the signed-in member of staff a change is recorded against."""

from __future__ import annotations

from typing import Any


def acting_user(by: Any) -> Any:
    """`by` as the author a row records: the signed-in user, or None for the console, a
    demo loader or anyone not signed in."""
    return by if getattr(by, "is_authenticated", False) else None
