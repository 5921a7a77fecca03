"""End to end, in a real headless Chromium (issue 15): the request page refreshes itself
when matching is done; a proposal is reviewed with the request and the child's record side
by side, in words; a rejection is asked again; confirming closes the request and is on the
child's timeline. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from homeward.accounts.models import Agency
from homeward.cases.models import ChildCase
from homeward.conftest import screenshot, sign_in
from homeward.tracing.models import MatchCandidate
from homeward.tracing.tests.test_matching_registry import (
    AMINA_SOUGHT,
    amina_case,
    match,
    request_for,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_tracing_review_side_by_side(
    page: Any, make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    amina, twin = amina_case(make_case), amina_case(make_case)  # one child registered twice
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    sign_in(page, "caseworker")
    page.goto(f"/tracing/{request.pk}/")
    assert page.get_by_text("matching is running, and this page refreshes").is_visible()
    # The background worker finishes; the open page reloads itself, with no click.
    match()
    page.get_by_test_id("candidate").first.wait_for(timeout=15_000)
    assert page.get_by_test_id("candidate").count() == 2
    assert page.get_by_text("No candidate yet").count() == 0

    first = MatchCandidate.objects.get(case=amina)
    page.goto(f"/tracing/candidates/{first.pk}/review/")
    table = page.get_by_test_id("side-by-side")
    expect(table).to_be_visible()
    text = table.inner_text()
    assert "the request says" in text.lower() and "the child's record" in text.lower()
    assert "Amina Isaeva" in text and "Амина Исаева" in text
    assert "Khadizhat Isaeva" in text and "Хадижат Исаева" in text
    assert "evidence they are one person" in text
    expect(page.get_by_test_id("likelihood")).to_be_visible()
    screenshot(page, "tracing-review-side-by-side")

    # Rejecting the other registration is asked again before it is recorded.
    second = MatchCandidate.objects.get(case=twin)
    page.goto(f"/tracing/candidates/{second.pk}/review/")
    page.get_by_role("button", name="Not this child").click()
    expect(page.get_by_test_id("reject-warning")).to_be_visible()
    screenshot(page, "tracing-reject-asked-again")
    page.get_by_role("button", name="Yes, reject").click()
    expect(page.get_by_text("Rejected: this child will not be proposed again.")).to_be_visible()

    page.goto(f"/tracing/candidates/{first.pk}/review/")
    page.get_by_label("Why").fill("The mother's name and the birth year agree")
    page.get_by_role("button", name="Same child").click()
    expect(page.get_by_text("it is closed")).to_be_visible()
    history = page.get_by_test_id("history").inner_text()
    assert f"{amina.reference}: confirmed as the child sought" in history
    assert f"{twin.reference}: rejected, not the child sought" in history
    page.goto(f"/cases/{amina.pk}/")
    assert page.get_by_text(
        f"Tracing request {request.reference}: confirmed as the child sought"
    ).is_visible()
