"""The one way in to a tracing request, with the same need-to-know rules as cases:
case roles only; scope `all`, `agency` (the filing agency) or `self` (filed by me)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from homeward.accounts.models import Scope
from homeward.cases.access import can_change_cases, opens_case_records, profile_of, refuse
from homeward.tracing.models import TracingRequest


def requests_visible_to(user: Any) -> QuerySet[TracingRequest]:
    requests = TracingRequest.objects.all()
    profile = profile_of(user)
    if profile is None or not opens_case_records(user):
        return requests.none()
    if profile.scope == Scope.ALL:
        return requests
    if profile.scope == Scope.SELF:
        return requests.filter(filed_by=user)
    return requests.filter(agency=profile.agency)


def get_request_for(user: Any, pk: int, *, write: bool = False) -> TracingRequest:
    request = requests_visible_to(user).filter(pk=pk).select_related("enquirer").first()
    if request is None or (write and not can_change_cases(user)):
        refuse(user, "tracing.tracingrequest", pk, "No such tracing request.")
    return request
