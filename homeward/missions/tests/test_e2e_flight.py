"""End to end, in a real headless Chromium (issue 15): a coordinator cannot record the
departure with an unready child on board; departure and arrival are recorded with their
dates and times; a repatriated child's page shows the reception, not the orphanage abroad.
Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput
from homeward.conftest import screenshot, sign_in
from homeward.missions import services
from homeward.missions.models import Mission, ReadinessItem

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
) -> tuple[Mission, ChildCase, ChildCase]:
    """A mission flying today, its two children on board, confirmed and approved."""
    today = timezone.localdate()
    mission = make_mission(capacity=2, departs_on=today, arrives_on=today)
    amina = make_ready_case(names=[NameInput("Амина Исаева", "civil_registry")])
    zara = make_ready_case(names=[NameInput("Зара Исаева", "civil_registry")])
    for seat, case in enumerate((amina, zara), start=1):
        services.add_to_manifest(mission, case, by=coordinator, seat=str(seat))
    services.confirm_manifest(mission, by=coordinator)
    services.approve_manifest(mission, by=supervisor)
    return mission, amina, zara


def this_minute() -> datetime:
    """A departure time: after the approval (made just now), not in the future."""
    return timezone.localtime().replace(second=0, microsecond=0)


def test_a_coordinator_cannot_depart_with_an_unready_child(
    page: Any, approved: tuple[Mission, ChildCase, ChildCase], caseworker: User
) -> None:
    mission, amina, _zara = approved
    sign_in(page, "coordinator")
    page.goto(f"/missions/{mission.pk}/")
    departure = page.get_by_test_id("departure-form")
    expect(departure).to_be_visible()
    # While the page is open, the child's travel document is found to have expired.
    services.withdraw_readiness(
        amina, ReadinessItem.TRAVEL_DOCUMENT, reason="The travel document expired.", by=caseworker
    )
    departure.get_by_role("button", name="Record departure").click()
    refusal = page.get_by_test_id("refusal-steps")
    expect(refusal).to_be_visible()
    said = refusal.inner_text()
    assert "Recording the departure is refused" in said
    assert f"{amina.reference} (not yet done: Travel document)" in said
    # The step is no longer offered; the child's row says it blocks the flight.
    assert page.get_by_test_id("departure-form").count() == 0
    expect(page.get_by_test_id("blocking")).to_be_visible()
    assert page.get_by_test_id("blocking-tag").count() == 1
    assert page.get_by_test_id("mission-status").inner_text() == "Manifest confirmed"
    assert page.get_by_test_id("departed").inner_text() == "not recorded"
    screenshot(page, "flight-refused-unready-child")
    mission.refresh_from_db()
    assert mission.status == "manifest_confirmed" and mission.departed_at is None


def test_departure_and_arrival_are_recorded_with_their_dates(
    page: Any, approved: tuple[Mission, ChildCase, ChildCase]
) -> None:
    mission, *_children = approved
    departed = this_minute()
    sign_in(page, "coordinator")
    page.goto(f"/missions/{mission.pk}/")
    page.get_by_label("Took off at").fill(departed.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Record departure").click()
    expect(page.get_by_text(f"Departure recorded: {departed:%Y-%m-%d %H:%M}.")).to_be_visible()
    assert page.get_by_test_id("departed").inner_text().startswith(f"{departed:%Y-%m-%d %H:%M}")

    page.get_by_role("link", name="Record arrival").click()
    arrival_field = page.get_by_label("Landed at")
    assert arrival_field.input_value()  # the default: now
    # An arrival before the take-off is refused next to the field, and nothing is saved.
    arrival_field.fill("2000-01-01T10:00")
    page.get_by_role("button", name="Record arrival").click()
    expect(page.get_by_text("it cannot land before")).to_be_visible()
    landed = timezone.localtime().replace(second=0, microsecond=0)
    page.get_by_label("Landed at").fill(landed.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Children taken to").fill("Children's Clinical Hospital, Moscow")
    page.get_by_role("button", name="Record arrival").click()
    assert page.get_by_text(
        "Arrival recorded: 2 children repatriated, 0 did not travel."
    ).is_visible()
    assert page.get_by_test_id("arrived").inner_text().startswith(f"{landed:%Y-%m-%d %H:%M}")
    # The plan is kept apart from what happened.
    flight = page.locator(
        "section.card", has=page.get_by_role("heading", name="Flight")
    ).inner_text()
    assert "Planned departure" in flight and f"{mission.departs_on:%Y-%m-%d}" in flight
    screenshot(page, "flight-departed-and-arrived")
    mission.refresh_from_db()
    assert (mission.departed_at, mission.arrived_at) == (departed, landed)
    assert mission.departs_on == mission.arrives_on == timezone.localdate()


def test_a_repatriated_childs_page_shows_the_reception(
    page: Any, approved: tuple[Mission, ChildCase, ChildCase], coordinator: User
) -> None:
    mission, amina, _zara = approved
    services.record_departure(mission, departed_at=this_minute(), by=coordinator)
    services.record_arrival(
        mission,
        arrived_at=timezone.localtime().replace(second=0, microsecond=0),
        by=coordinator,
        reception="Children's Clinical Hospital, Moscow",
    )
    sign_in(page, "caseworker")
    page.goto(f"/cases/{amina.pk}/")
    placement = page.locator("section.card", has=page.get_by_role("heading", name="Placement"))
    said = placement.inner_text()
    assert "Reception on arrival, Russia" in said
    assert "Children's Clinical Hospital, Moscow" in said
    assert "Orphanage (test)" not in said
    assert page.get_by_text("Ready to travel?").count() == 0  # the readiness panel gave way
    steps = page.get_by_test_id("next-steps").inner_text()
    assert "A medical officer records the arrival examination" in steps
    expect(page.get_by_test_id("missions-flown")).to_be_visible()
    screenshot(page, "repatriated-child-reception")
