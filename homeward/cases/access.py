"""The one way in to a case: every view, command and API gets cases through these functions.

Who reaches a case (need to know):
1. Only the case roles (caseworker, supervisor, mission coordinator, medical officer) open
   case records; analysts see figures, administrators manage accounts.
2. Within those roles, the profile's scope decides: `self` reaches the cases assigned to
   the user, `agency` the cases of their agency, `all` every case.
3. Another agency gets in only through a referral it has accepted (a transfer, once
   accepted, makes it the owner).
4. Changing a case takes a writing role; supervisors also see who opened the case.
5. Only the owning agency offers, transfers or revokes: a referral gives access, never
   ownership (`may_share`, `owns_case`).
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from homeward.accounts.models import CASE_ROLES, CASE_WRITING_ROLES, Role, Scope
from homeward.accounts.roles import profile_of
from homeward.audit.services import record
from homeward.cases.models import CaseShare, ChildCase, ShareKind, ShareStatus


def opens_case_records(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in CASE_ROLES


def can_change_cases(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in CASE_WRITING_ROLES


def can_see_access_log(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role == Role.SUPERVISOR


def owns_case(user: Any, case: ChildCase) -> bool:
    """A case writer of the agency the case belongs to."""
    profile = profile_of(user)
    return (
        profile is not None
        and profile.role in CASE_WRITING_ROLES
        and profile.agency_id == case.agency_id
    )


def may_share(user: Any, case: ChildCase, kind: str) -> bool:
    """Whether the user may offer the case to another agency as `kind`:
    1. the owning agency's case writers refer and transfer;
    2. a supervisor with all-agency scope may refer (never transfer): they are who a
       tracing match across agencies is routed to (tracing.views.request_detail);
    3. nobody else, least of all an agency the case was referred to."""
    if owns_case(user, case):
        return True
    profile = profile_of(user)
    return (
        kind == ShareKind.REFERRAL
        and profile is not None
        and profile.role == Role.SUPERVISOR
        and profile.scope == Scope.ALL
    )


def cases_visible_to(user: Any) -> QuerySet[ChildCase]:
    cases = ChildCase.objects.all()
    if not opens_case_records(user):
        return cases.none()
    return cases.filter(visible_cases(user))


def visible_cases(user: Any, through: str = "") -> Q:
    """The need-to-know rule as a condition on cases, or on rows that point at a case
    through the relation `through` ("case", "sought__..."), for a user of a case role.
    Lists of such rows (alerts, visits, matches) filter with it, joined to the case, rather
    than by `case IN (every case the user may see)`: for a user who sees every case that
    is no condition at all, and SQLite would otherwise try each visible case in turn."""
    profile = profile_of(user)
    if profile is None or profile.role not in CASE_ROLES:
        return Q(pk__in=[])
    path = f"{through}__" if through else ""
    if profile.scope == Scope.ALL:
        return Q()
    if profile.scope == Scope.SELF:
        return Q(**{f"{path}assigned_to": user})
    referred = CaseShare.objects.filter(
        case=OuterRef(f"{path}pk"),
        to_agency=profile.agency,
        kind=ShareKind.REFERRAL,
        status=ShareStatus.ACCEPTED,
    )
    return Q(**{f"{path}agency": profile.agency}) | Q(Exists(referred))


def cases_open_to_agency(agency_id: int) -> QuerySet[ChildCase]:
    """The cases an agency's staff with agency scope reach: its own and those referred to
    it and accepted (for telling a supervisor which tracing matches an enquirer's agency
    cannot see)."""
    referred = Q(
        shares__to_agency_id=agency_id,
        shares__kind=ShareKind.REFERRAL,
        shares__status=ShareStatus.ACCEPTED,
    )
    return ChildCase.objects.filter(Q(agency_id=agency_id) | referred).distinct()


def refuse(user: Any, object_type: str, object_id: object, message: str) -> NoReturn:
    """Audit a refused request and answer 404, which does not even confirm the record
    exists (a 403 would)."""
    record("access.denied", actor=user, target_ref=(object_type, str(object_id)))
    raise Http404(message)


def get_case_for(user: Any, pk: int, *, write: bool = False) -> ChildCase:
    """The case if this user may see it (and change it, with `write`); otherwise 404,
    so that a refusal does not even confirm the case exists. Each refusal is audited."""
    case = cases_visible_to(user).select_related("child", "agency").filter(pk=pk).first()
    if case is None or (write and not can_change_cases(user)):
        refuse(user, "cases.childcase", pk, "No such case.")
    return case


Part = TypeVar("Part", bound=Model)


def part_of_case(user: Any, parts: QuerySet[Part], case: ChildCase, pk: int) -> Part:
    """A part of a case the user reached (a family member, a file, a sharing) by its id,
    or 404: asking for another case's part by id is a refusal, audited as one."""
    part = parts.filter(pk=pk, case=case).first()
    if part is None:
        refuse(user, parts.model._meta.label_lower, pk, "No such record.")
    return part
