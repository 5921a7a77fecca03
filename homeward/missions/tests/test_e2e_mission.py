"""End to end, in a real headless Chromium: a mission from manifest to arrival, by the
coordinator and a supervisor, with one child who did not travel after all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput
from homeward.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/**")


def test_a_mission_from_manifest_to_arrival(
    page: Any,
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
) -> None:
    amina = make_ready_case(names=[NameInput("Амина Исаева", "civil_registry")])
    zara = make_ready_case(names=[NameInput("Зара Исаева", "civil_registry")])
    today = timezone.localdate()
    mission = make_mission(capacity=2, departs_on=today, arrives_on=today)

    sign_in(page, "coordinator")
    missions = page.get_by_test_id("missions")
    assert "0 of 2 seats" in missions.inner_text()
    missions.get_by_role("link", name=mission.code).click()
    for seat in ("1", "2"):
        row = page.get_by_test_id("candidate-row").first
        row.get_by_placeholder("Seat").fill(seat)
        row.get_by_role("button", name="Add").click()
        expect(page.get_by_text("is on the manifest.")).to_be_visible()
    assert page.get_by_test_id("manifest-row").count() == 2
    assert page.get_by_test_id("seats").inner_text() == "2 of 2 taken"
    page.get_by_role("button", name="Confirm the manifest").click()
    expect(page.get_by_text("Manifest confirmed; a supervisor approves it next.")).to_be_visible()
    sign_out(page)

    sign_in(page, "supervisor")
    page.goto(f"/missions/{mission.pk}/")
    page.get_by_role("button", name="Approve the manifest").click()
    expect(page.get_by_text("Manifest approved.")).to_be_visible()
    sign_out(page)

    sign_in(page, "coordinator")
    page.goto(f"/missions/{mission.pk}/")
    page.get_by_role("button", name="Record departure").click()  # its time: now, by default
    expect(page.get_by_text("Departure recorded:")).to_be_visible()
    page.get_by_role("link", name="Record arrival").click()
    page.get_by_label(f"{zara.reference} did not travel").check()
    page.get_by_role("button", name="Record arrival").click()
    expect(page.get_by_text("Say why each child did not travel.")).to_be_visible()  # refused
    page.get_by_label(f"{zara.reference} did not travel").check()
    page.locator("input[name^=reason_]").nth(1).fill("High fever at the airport")
    page.get_by_role("button", name="Record arrival").click()
    assert page.get_by_text(
        "Arrival recorded: 1 children repatriated, 1 did not travel."
    ).is_visible()
    expect(page.get_by_text("no: High fever at the airport")).to_be_visible()
    screenshot(page, "mission-arrived")
    amina.refresh_from_db()
    zara.refresh_from_db()
    assert (amina.status, zara.status) == ("repatriated", "cleared_to_leave")
