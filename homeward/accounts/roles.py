"""Who a user acts as: the one role check every service, view and command asks.

A user acts as a member of staff only when all three hold:
1. they are signed in (not the anonymous visitor);
2. their account is active (a deactivated account keeps its rows and its history, and
   acts no more, whatever session or key it still holds);
3. they have a staff profile (an agency and a role); a superuser made at the console
   without one manages the site through the admin and acts in no case.

Anyone else has no role: each service that checks a role refuses them with its own words,
as it refuses a role that may not do the thing ("Only a supervisor merges cases."); the
services that only record who acted (a status move, a note) refuse them with
`check_acting`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from homeward.accounts.models import StaffProfile
from homeward.refusals import CaseError


def profile_of(user: Any) -> StaffProfile | None:
    """The staff profile `user` acts under, or None (anonymous, deactivated, no profile)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "staff_profile", None)


def role_of(user: Any) -> str | None:
    profile = profile_of(user)
    return profile.role if profile is not None else None


def has_role(user: Any, roles: Collection[str]) -> bool:
    return role_of(user) in roles


class NotStaff(CaseError):
    """A change refused to a user who no longer acts as staff."""


def check_acting(by: Any) -> None:
    """Refuse `by` when it is a user who no longer acts as staff (deactivated, or without a
    profile). None and the anonymous visitor stand for the console, a demo loader or a
    job: they record no author, and the services let them act."""
    if getattr(by, "is_authenticated", False) and profile_of(by) is None:
        raise NotStaff(_("Not for your role."))
