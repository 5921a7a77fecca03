"""What a request's page shows of a child another agency holds (tracing.queries.request_page):
nothing to the enquirer's agency, and to a supervisor who sees every agency, the child
with word that the enquirer's agency cannot see it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Agency, Scope
from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.tracing.models import MatchCandidate, TracingRequest
from homeward.tracing.queries import request_page
from homeward.tracing.services import file_request
from homeward.tracing.tests.test_requests import grandmother_asks

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_with_a_child_of_another_agency(
    agency: Agency,
    other_agency: Agency,
    caseworker: User,
    make_case: Callable[..., ChildCase],
) -> TracingRequest:
    request = file_request(grandmother_asks(), agency=agency, by=caseworker)
    MatchCandidate.objects.create(
        sought=request.sought.get(), case=make_case(owner=other_agency), score=0.9,
        match_weight=3, explanation={}, explanation_text="", computed_at=timezone.now(),
    )  # fmt: skip
    return request


def test_the_enquirers_agency_is_not_shown_a_child_it_cannot_see(
    request_with_a_child_of_another_agency: TracingRequest, caseworker: User
) -> None:
    page = request_page(request_with_a_child_of_another_agency, caseworker)
    assert [row.shown for row in page.sought] == [()]


def test_a_supervisor_of_every_agency_is_told_the_enquirers_agency_cannot_see_it(
    request_with_a_child_of_another_agency: TracingRequest, supervisor: User
) -> None:
    supervisor.staff_profile.scope = Scope.ALL
    supervisor.staff_profile.save(update_fields=["scope"])
    page = request_page(request_with_a_child_of_another_agency, supervisor)
    (row,) = page.sought
    (shown,) = row.shown
    assert shown.out_of_reach and shown.likelihood
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.out_of_reach = False  # type: ignore[misc]
    url = reverse("tracing:detail", args=[request_with_a_child_of_another_agency.pk])
    html = signed_in(supervisor).get(url).content.decode()
    assert 'data-testid="out-of-reach"' in html and "Other NGO (test) holds it" in html
