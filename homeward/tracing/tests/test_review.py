"""Reviewing a proposed match (issue 15): the two records side by side in words, a page
that refreshes when matching is done, a rejection asked twice, a confirmation that closes
the request and is on both timelines, and proposals of children already home with the
enquirer's family no longer "to review"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.audit.models import AuditEntry
from homeward.care.services import HandOverInput, hand_over
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, transition
from homeward.conftest import signed_in
from homeward.health.services import ExaminationInput, record_examination
from homeward.tracing import review
from homeward.tracing.models import MatchCandidate, MatchDecision
from homeward.tracing.services import RequestInput, SoughtInput, confirm_match, file_request
from homeward.tracing.tests.test_matching_registry import (
    AMINA_SOUGHT,
    amina_case,
    match,
    request_for,
)
from homeward.web.dashboard import dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> MatchCandidate:
    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    return MatchCandidate.objects.get(sought__request=request, case=amina)


def test_the_review_shows_both_records_field_by_field_in_words(
    proposed: MatchCandidate, caseworker: User
) -> None:
    rows = {row.label: row for row in review.compared(proposed)}
    assert rows["Names"].sought == ["Amina Isaeva"] and rows["Names"].record == ["Амина Исаева"]
    assert rows["Mother"].sought == ["Khadizhat Isaeva"]
    assert rows["Mother"].record == ["Хадижат Исаева"]
    assert (
        rows["Names"].verdict == "for" and "evidence they are one person" in rows["Names"].agreement
    )
    page = signed_in(caseworker).get(reverse("tracing:review", args=[proposed.pk])).content.decode()
    assert 'data-testid="side-by-side"' in page and "The child's record" in page
    assert "Хадижат Исаева" in page and "Khadizhat Isaeva" in page
    assert "(+" not in page  # no engine weights
    # Reading the child's record through the review is audited as a read of the case.
    assert AuditEntry.objects.filter(action="case.viewed", object_id=str(proposed.case_id)).exists()


def test_the_request_page_refreshes_itself_until_matching_is_done(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    client = signed_in(caseworker)
    state = reverse("tracing:matching_state", args=[request.pk])
    page = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert f'data-matching-url="{state}"' in page and "homeward/matching.js" in page
    assert "matching is running, and this page refreshes when it is done" in page
    assert client.get(state).json() == {"pending": True}
    match()
    assert client.get(state).json() == {"pending": False}
    page = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert "homeward/matching.js" not in page  # nothing left to wait for


def test_confirming_the_last_person_sought_closes_the_request_and_is_on_both_timelines(
    proposed: MatchCandidate, caseworker: User
) -> None:
    client = signed_in(caseworker)
    url = reverse("tracing:decide_match", args=[proposed.pk])
    response = client.post(url, {"decision": "confirm", "reason": "The mother's name agrees"})
    assert response.status_code == 302
    request = proposed.sought.request
    request.refresh_from_db()
    assert request.status == "closed"
    case_page = client.get(reverse("cases:detail", args=[proposed.case_id])).content.decode()
    assert f"Tracing request {request.reference}: confirmed as the child sought" in case_page
    request_page = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert f"{proposed.case.reference}: confirmed as the child sought" in request_page
    assert "The mother&#x27;s name agrees" in request_page


def test_a_rejection_is_recorded_only_once_confirmed_and_is_on_both_timelines(
    proposed: MatchCandidate, caseworker: User
) -> None:
    client = signed_in(caseworker)
    url = reverse("tracing:decide_match", args=[proposed.pk])
    asked = client.post(url, {"decision": "reject", "reason": "Another mother"})
    assert 'data-testid="reject-warning"' in asked.content.decode()
    assert not MatchDecision.objects.exists()
    client.post(url, {"decision": "reject", "sure": "yes", "reason": "Another mother"})
    case_page = client.get(reverse("cases:detail", args=[proposed.case_id])).content.decode()
    assert "rejected, not the child sought" in case_page


def test_mark_the_family_traced_is_offered_only_when_the_case_can_move_there(
    proposed: MatchCandidate, caseworker: User
) -> None:
    client = signed_in(caseworker)
    detail = reverse("tracing:detail", args=[proposed.sought.request_id])
    assert 'name="mark_traced"' not in client.get(detail).content.decode()  # identified
    transition(proposed.case, "verified", by=caseworker)
    assert 'name="mark_traced"' in client.get(detail).content.decode()


def test_a_child_already_home_with_the_enquirers_family_is_no_longer_to_review(
    arrived_case: ChildCase, agency: Agency, caseworker: User, medic: User
) -> None:
    # The grandmother who asked received the child at the hand-over.
    record_examination(
        arrived_case, ExaminationInput("Hospital (test)", date(2019, 1, 2)), by=medic
    )
    grandmother = arrived_case.family.get(relationship="grandmother")
    hand_over(
        arrived_case,
        HandOverInput(date(2019, 1, 20), "RU-DA", receiving_relative=grandmother),
        by=caseworker,
    )
    data = RequestInput(
        enquirer_names=[NameInput("Патимат Исаева", "family")],
        enquirer_relationship="grandmother", filed_on=date(2019, 1, 10),
        sought=[SoughtInput("child", names=[NameInput("Амина Исаева", "family")], sex="f")],
    )  # fmt: skip
    request = file_request(data, agency=agency, by=caseworker)
    match()
    candidate = MatchCandidate.objects.get(sought__request=request, case=arrived_case)
    assert not review.to_review(caseworker).filter(pk=candidate.pk).exists()
    board = dashboard(caseworker, date.today(), date.today())
    assert board["match_count"] == 0 and board["already_home_count"] == 1
    page = signed_in(caseworker).get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert 'data-testid="already-home"' in page
    # Recording it closes the loop like any other confirmation.
    confirm_match(candidate, by=caseworker)
    request.refresh_from_db()
    assert request.status == "closed"


def test_a_different_family_asking_for_a_child_at_home_is_still_to_review(
    arrived_case: ChildCase, agency: Agency, caseworker: User
) -> None:
    data = RequestInput(
        enquirer_names=[NameInput("Марьям Алиева", "family")],
        enquirer_relationship="aunt", filed_on=date(2019, 1, 10),
        sought=[SoughtInput("child", names=[NameInput("Амина Исаева", "family")], sex="f")],
    )  # fmt: skip
    request = file_request(data, agency=agency, by=caseworker)
    match()
    assert review.to_review(caseworker).filter(sought__request=request).exists()


def test_every_proposal_is_listed_in_full_with_filters(
    proposed: MatchCandidate, caseworker: User
) -> None:
    client = signed_in(caseworker)
    page = client.get(reverse("tracing:matches")).content.decode()
    assert 'data-testid="match-row"' in page and proposed.case.reference in page
    page = client.get(reverse("tracing:matches"), {"at_least": "0.9", "kind": "mother"})
    assert 'data-testid="match-row"' not in page.content.decode()
    home = client.get(reverse("tracing:matches"), {"show": "home"}).content.decode()
    assert 'data-testid="match-row"' not in home
