"""The flight itself (issue 15): readiness at every step that commits it, a supervisor's
recorded override, departure and arrival with their date and time apart from the plan,
the children's placement on arrival, and an admin that cannot move a mission."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import NameInput
from homeward.cases.status import CaseStatus
from homeward.conftest import at, signed_in
from homeward.missions import documents, services
from homeward.missions.models import ManifestEntry, Mission, MissionStatus, ReadinessItem
from homeward.missions.services import MissionError

pytestmark = pytest.mark.django_db

BOOKED_ON = date(2018, 12, 20)
FLIGHT_DAY = date(2018, 12, 30)


@pytest.fixture
def two_on_board(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> tuple[Mission, ChildCase, ChildCase]:
    mission = make_mission()
    amina = make_ready_case(names=[NameInput("Амина Исаева", "civil_registry")])
    zara = make_ready_case(names=[NameInput("Зара Исаева", "civil_registry")])
    for case in (amina, zara):
        services.add_to_manifest(mission, case, by=coordinator, today=BOOKED_ON)
    return mission, amina, zara


def approve(mission: Mission, supervisor: User) -> None:
    """The supervisor approves the manifest; the story of these tests has it on 21 December
    2018, before the flight."""
    services.approve_manifest(mission, by=supervisor)
    Mission.objects.filter(pk=mission.pk).update(approved_at=at(BOOKED_ON + timedelta(days=1), 9))
    mission.refresh_from_db()


def expire_document(case: ChildCase, by: User) -> None:
    services.withdraw_readiness(
        case, ReadinessItem.TRAVEL_DOCUMENT, reason="The travel document expired.", by=by
    )


def test_a_child_whose_item_was_withdrawn_blocks_the_confirmation(
    two_on_board: tuple[Mission, ChildCase, ChildCase], coordinator: User, caseworker: User
) -> None:
    mission, amina, _zara = two_on_board
    expire_document(amina, caseworker)
    with pytest.raises(MissionError) as refused:
        services.confirm_manifest(mission, by=coordinator)
    assert f"{amina.reference} (not yet done: Travel document)" in refused.value.message
    assert "Confirming the manifest is refused" in refused.value.message
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PLANNED  # nothing half-saved


def test_approval_and_departure_are_refused_while_a_child_is_not_ready(
    two_on_board: tuple[Mission, ChildCase, ChildCase],
    coordinator: User,
    supervisor: User,
    caseworker: User,
) -> None:
    mission, amina, _zara = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    expire_document(amina, caseworker)
    with pytest.raises(MissionError, match="Approving the manifest is refused"):
        services.approve_manifest(mission, by=supervisor)
    services.record_readiness(
        amina, ReadinessItem.TRAVEL_DOCUMENT, done_on=date(2018, 12, 21), by=caseworker
    )
    approve(mission, supervisor)
    expire_document(amina, caseworker)  # withdrawn again, after the approval
    with pytest.raises(MissionError, match="Recording the departure is refused") as refused:
        services.record_departure(mission, departed_at=at(FLIGHT_DAY, 6), by=coordinator)
    assert amina.reference in refused.value.message
    mission.refresh_from_db()
    assert (mission.status, mission.departed_at) == (MissionStatus.MANIFEST_CONFIRMED, None)


def test_an_arrival_without_a_recorded_departure_is_refused_for_an_unready_child(
    two_on_board: tuple[Mission, ChildCase, ChildCase],
    coordinator: User,
    supervisor: User,
    caseworker: User,
) -> None:
    mission, amina, _zara = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    approve(mission, supervisor)
    expire_document(amina, caseworker)
    with pytest.raises(MissionError, match="Recording the arrival is refused"):
        services.record_arrival(mission, arrived_at=at(FLIGHT_DAY, 14), by=coordinator)
    entry = ManifestEntry.objects.get(mission=mission, case=amina)
    # The child who did not board after all does not hold the others back.
    flew, stayed = services.record_arrival(
        mission,
        arrived_at=at(FLIGHT_DAY, 14),
        by=coordinator,
        not_travelled={entry.pk: "No valid travel document on the day"},
    )
    assert (flew, stayed) == (1, 1)


def test_a_supervisor_lets_a_child_fly_without_an_item_with_a_reason_the_manifest_shows(
    two_on_board: tuple[Mission, ChildCase, ChildCase],
    coordinator: User,
    supervisor: User,
    caseworker: User,
) -> None:
    mission, amina, _zara = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    approve(mission, supervisor)
    expire_document(amina, caseworker)
    entry = ManifestEntry.objects.get(mission=mission, case=amina)
    with pytest.raises(MissionError, match="Only a supervisor may"):
        services.override_readiness(entry, reason="Reissued at the airport", by=coordinator)
    with pytest.raises(MissionError, match="Say why"):
        services.override_readiness(entry, reason=" ", by=supervisor)
    services.override_readiness(
        entry, reason="A new document is handed over at the airport", by=supervisor
    )
    assert services.blockers(mission) == []
    csv = documents.manifest_csv(mission).decode("utf-8-sig")
    assert "flies without Travel document, allowed by Supervisor" in csv
    assert "A new document is handed over at the airport" in csv
    assert amina.notes.filter(text__startswith="Allowed to fly on").exists()  # on the timeline
    services.record_departure(mission, departed_at=at(FLIGHT_DAY, 6), by=coordinator)


def test_an_item_missing_after_the_override_blocks_again(
    two_on_board: tuple[Mission, ChildCase, ChildCase],
    coordinator: User,
    supervisor: User,
    caseworker: User,
    medic: User,
) -> None:
    mission, amina, _zara = two_on_board
    expire_document(amina, caseworker)
    entry = ManifestEntry.objects.get(mission=mission, case=amina)
    services.override_readiness(entry, reason="Reissued at the airport", by=supervisor)
    services.withdraw_readiness(
        amina, ReadinessItem.FIT_TO_FLY, reason="Fever on the eve of the flight", by=medic
    )
    with pytest.raises(MissionError, match=r"not yet done: Fit-to-fly medical\)"):
        services.confirm_manifest(mission, by=coordinator)
    assert "NOT READY: not yet done: Fit-to-fly medical" in documents.manifest_csv(mission).decode(
        "utf-8-sig"
    )


def test_departure_and_arrival_are_recorded_with_their_time_apart_from_the_plan(
    two_on_board: tuple[Mission, ChildCase, ChildCase], coordinator: User, supervisor: User
) -> None:
    mission, amina, _zara = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    approve(mission, supervisor)
    with pytest.raises(MissionError, match="in the future") as refused:
        services.record_departure(
            mission, departed_at=timezone.now() + timedelta(hours=2), by=coordinator
        )
    assert refused.value.field == "departed_at"
    with pytest.raises(MissionError, match="approved at 2018-12-21 09:00") as refused:
        services.record_departure(mission, departed_at=at(BOOKED_ON, 6), by=coordinator)
    assert refused.value.field == "departed_at"
    # A day late: the planned day stays, the recorded one is kept apart.
    departed = at(FLIGHT_DAY + timedelta(days=1), 6, 30)
    services.record_departure(mission, departed_at=departed, by=coordinator)
    with pytest.raises(MissionError, match="cannot land before") as refused:
        services.record_arrival(mission, arrived_at=departed - timedelta(hours=1), by=coordinator)
    assert refused.value.field == "arrived_at"
    landed = departed + timedelta(hours=5)
    services.record_arrival(mission, arrived_at=landed, by=coordinator)
    mission.refresh_from_db()
    assert (mission.departs_on, mission.arrives_on) == (FLIGHT_DAY, FLIGHT_DAY)
    assert (mission.departed_at, mission.arrived_at) == (departed, landed)
    assert (mission.departure_recorded_by, mission.arrival_recorded_by) == (
        coordinator,
        coordinator,
    )
    amina.refresh_from_db()
    assert (amina.status, amina.status_since) == (CaseStatus.REPATRIATED, landed.date())


def test_arrival_places_each_child_at_the_reception_or_in_transit(
    two_on_board: tuple[Mission, ChildCase, ChildCase], coordinator: User, supervisor: User
) -> None:
    mission, amina, _zara = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    approve(mission, supervisor)
    services.record_arrival(
        mission,
        arrived_at=at(FLIGHT_DAY, 14),
        by=coordinator,
        reception="Children's Clinical Hospital, Moscow",
    )
    placement = amina.current_placement()
    assert placement is not None
    assert (placement.country, placement.facility_kind, placement.since) == (
        "RU",
        FacilityKind.RECEPTION,
        FLIGHT_DAY,
    )
    assert placement.facility_name == "Children's Clinical Hospital, Moscow"


def test_without_a_reception_the_child_is_in_transit_to_the_receiving_region(
    arrived_case: ChildCase,
) -> None:
    placement = arrived_case.current_placement()
    assert placement is not None
    assert placement.facility_kind == FacilityKind.IN_TRANSIT
    assert placement.facility_name == "In transit to Dagestan, Respublika"


def test_the_case_page_of_a_repatriated_child_shows_where_they_are_and_what_comes_next(
    arrived_case: ChildCase, caseworker_client: Client
) -> None:
    page = caseworker_client.get(reverse("cases:detail", args=[arrived_case.pk])).content.decode()
    assert "In transit home, Russia" in page and "Orphanage (test)" not in page.split("Family")[0]
    assert "Ready to travel?" not in page  # the readiness panel has given way
    assert "A medical officer records the arrival examination" in page


# --- the mission page ----------------------------------------------------------------------


def test_the_mission_page_shows_a_blocking_child_and_offers_no_step_past_it(
    two_on_board: tuple[Mission, ChildCase, ChildCase],
    coordinator: User,
    supervisor: User,
    caseworker: User,
) -> None:
    mission, amina, _zara = two_on_board
    expire_document(amina, caseworker)
    url = reverse("missions:detail", args=[mission.pk])
    page = signed_in(coordinator).get(url).content.decode()
    assert 'data-testid="blocking"' in page and "blocks the flight" in page
    assert "Confirm the manifest" not in page
    # A supervisor is offered the override, next to the child.
    page = signed_in(supervisor).get(url).content.decode()
    assert "Let fly without it" in page


def test_a_refused_step_explains_itself_next_to_the_control(
    two_on_board: tuple[Mission, ChildCase, ChildCase], coordinator: User, caseworker: User
) -> None:
    mission, amina, _zara = two_on_board
    expire_document(amina, caseworker)
    client = signed_in(coordinator)
    response = client.post(reverse("missions:confirm", args=[mission.pk]), follow=True)
    page = response.content.decode()
    assert 'class="refusal" role="alert" data-testid="refusal-steps"' in page
    assert "Confirming the manifest is refused" in page
    assert response.redirect_chain[-1][0].endswith("#steps")


def test_the_departure_form_asks_the_time_and_records_it(
    two_on_board: tuple[Mission, ChildCase, ChildCase], coordinator: User, supervisor: User
) -> None:
    mission, *_ = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    approve(mission, supervisor)
    client = signed_in(coordinator)
    page = client.get(reverse("missions:detail", args=[mission.pk])).content.decode()
    assert 'type="datetime-local" name="departed_at"' in page
    url = reverse("missions:depart", args=[mission.pk])
    response = client.post(url, {"departed_at": "2018-12-30T06:15"}, follow=True)
    assert "Departure recorded: 2018-12-30 06:15." in response.content.decode()
    mission.refresh_from_db()
    assert mission.departed_at == at(FLIGHT_DAY, 6, 15)
    response = client.post(url, {"departed_at": ""}, follow=True)  # already departed
    assert 'data-testid="refusal-steps"' in response.content.decode()


# --- the admin -----------------------------------------------------------------------------


def test_the_admin_shows_a_mission_but_never_moves_it(
    two_on_board: tuple[Mission, ChildCase, ChildCase],
) -> None:
    mission, *_ = two_on_board
    admin = User.objects.create_superuser("root", password="a long test passphrase")
    client = signed_in(admin)
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    page = client.get(url).content.decode()
    assert mission.code in page and 'name="status"' not in page
    response = client.post(url, {"status": "closed", "code": mission.code})
    assert response.status_code == 403
    mission.refresh_from_db()
    assert mission.status == MissionStatus.PLANNED
    assert client.get(reverse("admin:missions_mission_add")).status_code == 403


def test_a_late_mission_is_counted_on_the_day_it_landed(
    two_on_board: tuple[Mission, ChildCase, ChildCase], coordinator: User, supervisor: User
) -> None:
    from homeward.statistics.activity import count_missions

    mission, *_ = two_on_board
    services.confirm_manifest(mission, by=coordinator)
    approve(mission, supervisor)
    services.record_arrival(mission, arrived_at=at(date(2019, 1, 2), 9), by=coordinator)
    assert count_missions(date(2018, 12, 1), date(2018, 12, 31)) == []  # planned: 30 December
    counted = count_missions(date(2019, 1, 1), date(2019, 1, 31))
    assert [(m["mission"], m["arrives_on"], m["count"]) for m in counted] == [
        (mission.code, date(2019, 1, 2), 2)
    ]
