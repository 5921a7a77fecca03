"""The one way in to a tracing request, with the same need-to-know rules as cases:
case roles only; scope `all`, `agency` (the filing agency) or `self` (filed by me)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from homeward.accounts.models import Scope
from homeward.cases.access import can_change_cases, opens_case_records, profile_of, refuse
from homeward.tracing.models import TracingRequest


def requests_visible_to(user: Any) -> QuerySet[TracingRequest]:
    requests = TracingRequest.objects.all()
    if not opens_case_records(user):
        return requests.none()
    return requests.filter(visible_requests(user))


def visible_requests(user: Any, through: str = "") -> Q:
    """The rule as a condition on requests, or on rows that reach a request through
    `through` (see `cases.access.visible_cases`), for a user of a case role."""
    profile = profile_of(user)
    if profile is None or not opens_case_records(user):
        return Q(pk__in=[])
    path = f"{through}__" if through else ""
    if profile.scope == Scope.ALL:
        return Q()
    if profile.scope == Scope.SELF:
        return Q(**{f"{path}filed_by": user})
    return Q(**{f"{path}agency": profile.agency})


def get_request_for(user: Any, pk: int, *, write: bool = False) -> TracingRequest:
    request = requests_visible_to(user).filter(pk=pk).select_related("enquirer").first()
    if request is None or (write and not can_change_cases(user)):
        refuse(user, "tracing.tracingrequest", pk, "No such tracing request.")
    return request
