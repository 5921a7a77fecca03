"""The one way in to a case: every view, command and API gets cases through these functions.

For now the scope is by agency: the coordinating authority sees every case, other staff see
their own agency's cases, analysts see none (figures only). Roles, assignment and referrals
refine this with the access-control work.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from homeward.accounts.models import AgencyKind, Role
from homeward.audit.services import record
from homeward.cases.models import ChildCase


def cases_visible_to(user: Any) -> QuerySet[ChildCase]:
    cases = ChildCase.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.is_superuser:
        return cases
    profile = getattr(user, "staff_profile", None)
    if profile is None or profile.role == Role.ANALYST:
        return cases.none()
    if profile.agency.kind == AgencyKind.COORDINATING_AUTHORITY:
        return cases
    return cases.filter(agency=profile.agency)


def can_change_cases(user: Any) -> bool:
    profile = getattr(user, "staff_profile", None)
    return bool(user.is_superuser or (profile and profile.role != Role.ANALYST))


def get_case_for(user: Any, pk: int, *, write: bool = False) -> ChildCase:
    """The case if this user may see it (and change it, with `write`); otherwise 404,
    so that a refusal does not even confirm the case exists. Each refusal is audited."""
    case = cases_visible_to(user).select_related("child", "agency").filter(pk=pk).first()
    if case is None or (write and not can_change_cases(user)):
        record("access.denied", actor=user, target_ref=("cases.childcase", str(pk)))
        raise Http404("No such case.")
    return case
