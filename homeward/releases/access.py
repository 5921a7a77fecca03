"""Who does what with releases: analysts prepare, supervisors approve, everyone signed in
reads them (they are aggregate figures, as on the statistics page)."""

from __future__ import annotations

from homeward.accounts.models import Role, StaffProfile


def can_prepare_releases(profile: StaffProfile | None) -> bool:
    return profile is not None and profile.role == Role.ANALYST


def can_approve_releases(profile: StaffProfile | None) -> bool:
    return profile is not None and profile.role == Role.SUPERVISOR
