"""The manifest's rules: who may go on it, how many, once, and changes after confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput
from homeward.cases.status import CaseStatus
from homeward.conftest import at, signed_in
from homeward.missions import readiness, services
from homeward.missions.models import ManifestEntry, MissionStatus, ReadinessItem
from homeward.missions.services import MissionError, MissionInput
from homeward.statistics.activity import count_missions

pytestmark = pytest.mark.django_db


def test_a_ready_child_goes_on_the_manifest_and_the_case_moves_on(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    case = make_ready_case()
    mission = make_mission()
    entry = services.add_to_manifest(mission, case, by=coordinator, seat="1a")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED_TO_MISSION
    assert entry.seat == "1A"
    assert entry.receiving_region == "RU-DA"  # the child's home region by default
    assert AuditEntry.objects.filter(action="mission.child_added").count() == 1


def test_a_full_mission_refuses_the_next_child(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    mission = make_mission(capacity=1)
    services.add_to_manifest(mission, make_ready_case(), by=coordinator)
    second = make_ready_case(names=[NameInput("Зара Исаева", "family")])
    with pytest.raises(MissionError, match="is full: all 1 seats are taken"):
        services.add_to_manifest(mission, second, by=coordinator)
    second.refresh_from_db()
    assert second.status == CaseStatus.CLEARED_TO_LEAVE  # nothing half-saved
    assert not ManifestEntry.objects.filter(case=second).exists()


def test_a_child_is_not_booked_on_two_missions_still_to_fly(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    case = make_ready_case()
    first, second = make_mission(), make_mission()
    services.add_to_manifest(first, case, by=coordinator)
    with pytest.raises(MissionError, match=f"already on the manifest of {first.code}"):
        services.add_to_manifest(second, case, by=coordinator)


def test_an_unready_child_is_refused_with_what_is_missing(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    case = make_ready_case(skip=(ReadinessItem.TRAVEL_DOCUMENT, ReadinessItem.FIT_TO_FLY))
    with pytest.raises(MissionError) as refused:
        services.add_to_manifest(make_mission(), case, by=coordinator)
    assert "not yet done: Travel document, Fit-to-fly medical" in refused.value.message
    assert refused.value.field == "case"


def test_a_child_not_yet_cleared_to_leave_is_refused(
    make_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    case = make_case()
    with pytest.raises(MissionError, match="not “Cleared to leave”"):
        services.add_to_manifest(make_mission(), case, by=coordinator)


def test_relatives_assessed_is_read_from_the_family_records(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_ready_case()
    assert readiness.is_ready(case)
    case.family.update(home_assessment="unsuitable")
    assert readiness.missing(case) == ["Receiving relatives assessed"]


def test_after_confirmation_a_change_needs_a_reason_and_voids_the_approval(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
) -> None:
    mission = make_mission()
    entry = services.add_to_manifest(mission, make_ready_case(), by=coordinator)
    services.confirm_manifest(mission, by=coordinator)
    services.approve_manifest(mission, by=supervisor)
    mission.refresh_from_db()
    assert mission.approved_by == supervisor
    with pytest.raises(MissionError, match="is confirmed: say why it changes") as refused:
        services.remove_from_manifest(entry, by=coordinator, reason="")
    assert refused.value.field == "reason"
    services.remove_from_manifest(entry, by=coordinator, reason="Fever the day before")
    mission.refresh_from_db()
    entry.refresh_from_db()
    entry.case.refresh_from_db()
    assert entry.removed_reason == "Fever the day before"
    assert entry.case.status == CaseStatus.CLEARED_TO_LEAVE
    assert mission.approved_at is None  # the changed manifest must be approved again


def test_only_the_roles_of_each_step_may_take_it(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    caseworker: User,
    supervisor: User,
) -> None:
    mission = make_mission()
    case = make_ready_case()
    with pytest.raises(MissionError, match="Only a mission coordinator may change a manifest"):
        services.add_to_manifest(mission, case, by=caseworker)
    services.add_to_manifest(mission, case, by=coordinator)
    with pytest.raises(MissionError, match="Only a mission coordinator may confirm"):
        services.confirm_manifest(mission, by=supervisor)
    services.confirm_manifest(mission, by=coordinator)
    with pytest.raises(MissionError, match="Only a supervisor may approve"):
        services.approve_manifest(mission, by=coordinator)


def test_a_mission_without_approval_does_not_arrive(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    mission = make_mission()
    services.add_to_manifest(mission, make_ready_case(), by=coordinator)
    services.confirm_manifest(mission, by=coordinator)
    with pytest.raises(MissionError, match="confirmed and approved first"):
        services.record_arrival(mission, by=coordinator, arrived_at=at(date(2018, 12, 30), 14))


def test_arrival_in_one_step_with_a_child_who_did_not_travel(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
) -> None:
    mission = make_mission()
    cases = [
        make_ready_case(names=[NameInput(name, "family")])
        for name in ("Амина Исаева", "Зара Исаева", "Марьям Исаева")
    ]
    entries = [
        services.add_to_manifest(mission, case, by=coordinator, today=date(2018, 12, 20))
        for case in cases
    ]
    services.confirm_manifest(mission, by=coordinator)
    services.approve_manifest(mission, by=supervisor)
    with pytest.raises(MissionError, match="Say why each child did not travel"):
        services.record_arrival(
            mission,
            by=coordinator,
            arrived_at=at(date(2018, 12, 30), 14),
            not_travelled={entries[2].pk: ""},
        )
    flew, stayed = services.record_arrival(
        mission,
        by=coordinator,
        arrived_at=at(date(2018, 12, 30), 14),
        not_travelled={entries[2].pk: "Measles: not fit to fly on the day"},
    )
    assert (flew, stayed) == (2, 1)
    for case in cases:
        case.refresh_from_db()
    assert [c.status for c in cases] == ["repatriated", "repatriated", "cleared_to_leave"]
    assert cases[0].status_since == date(2018, 12, 30)
    entries[2].refresh_from_db()
    assert entries[2].travelled is False
    assert entries[2].not_travelled_reason == "Measles: not fit to fly on the day"
    mission.refresh_from_db()
    assert mission.status == MissionStatus.ARRIVED
    # The child who stayed is free for the next mission, and is not counted as flown.
    assert services.booked_elsewhere(cases[2]) is None
    counted = count_missions(date(2018, 12, 1), date(2018, 12, 31))
    assert [(m["mission"], m["count"]) for m in counted] == [(mission.code, 2)]


def test_cancelling_a_mission_frees_its_children(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    mission = make_mission()
    case = make_ready_case()
    services.add_to_manifest(mission, case, by=coordinator)
    with pytest.raises(MissionError, match="Say why the mission is cancelled"):
        services.cancel_mission(mission, by=coordinator, reason=" ")
    services.cancel_mission(mission, by=coordinator, reason="Airspace closed")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLEARED_TO_LEAVE
    services.add_to_manifest(make_mission(), case, by=coordinator)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"departure_airport": "bg"}, "departure_airport", "three-letter IATA"),
        ({"arrival_airport": "BGW"}, "arrival_airport", "arrive somewhere else"),
        ({"arrives_on": date(2018, 12, 1)}, "arrives_on", "cannot arrive before it departs"),
        ({"capacity": 0}, "capacity", "at least one seat"),
        ({"code": " "}, "code", "Give the mission a code"),
    ],
)
def test_a_mission_with_bad_facts_is_refused_naming_the_field(
    coordinator: User, change: dict[str, Any], field: str, message: str
) -> None:
    values: dict[str, Any] = {
        "code": "M-1", "name": "", "departure_airport": "BGW", "arrival_airport": "ZIA",
        "departs_on": date(2018, 12, 30), "arrives_on": date(2018, 12, 30), "capacity": 30,
    }  # fmt: skip
    with pytest.raises(MissionError, match=message) as refused:
        services.plan_mission(MissionInput(**(values | change)), by=coordinator)
    assert refused.value.field == field


def test_readiness_items_by_role(
    make_case: Callable[..., ChildCase], medic: User, caseworker: User
) -> None:
    case = make_case()
    services.record_readiness(case, "fit_to_fly", done_on=date(2018, 12, 1), by=medic)
    with pytest.raises(MissionError, match="fit-to-fly medical only"):
        services.record_readiness(case, "travel_document", done_on=date(2018, 12, 1), by=medic)
    with pytest.raises(MissionError, match="date is in the future"):
        services.record_readiness(
            case, "travel_document", done_on=date(2018, 12, 2), by=caseworker,
            today=date(2018, 12, 1),
        )  # fmt: skip
    with pytest.raises(MissionError, match="family tab"):
        services.record_readiness(
            case, "relatives_assessed", done_on=date(2018, 12, 1), by=caseworker
        )


def test_a_withdrawn_item_makes_the_child_unready_and_says_why_on_the_case(
    make_ready_case: Callable[..., ChildCase], caseworker: User, medic: User
) -> None:
    case = make_ready_case()
    with pytest.raises(MissionError, match="Say why"):
        services.withdraw_readiness(case, "travel_document", reason=" ", by=caseworker)
    with pytest.raises(MissionError, match="fit-to-fly medical only"):
        services.withdraw_readiness(case, "travel_document", reason="Expired", by=medic)
    services.withdraw_readiness(case, "travel_document", reason="Expired", by=caseworker)
    assert readiness.missing(case) == ["Travel document"]
    assert case.notes.filter(text__contains="Readiness withdrawn: Travel document").exists()


def test_changing_the_flight_after_confirmation_needs_a_reason_and_keeps_it(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
) -> None:
    mission = make_mission(capacity=2)
    for name in ("Амина Исаева", "Зара Исаева"):
        case = make_ready_case(names=[NameInput(name, "family")])
        services.add_to_manifest(mission, case, by=coordinator)
    services.confirm_manifest(mission, by=coordinator)
    services.approve_manifest(mission, by=supervisor)
    later = MissionInput(
        code=mission.code, name=mission.name, departure_airport="BGW", arrival_airport="ZIA",
        departs_on=date(2019, 1, 2), arrives_on=date(2019, 1, 2), capacity=2,
    )  # fmt: skip
    with pytest.raises(MissionError, match="say why it changes"):
        services.update_mission(mission, later, by=coordinator)
    with pytest.raises(MissionError, match="at least as many seats") as refused:
        services.update_mission(
            mission, replace(later, capacity=1), by=coordinator, reason="Smaller aircraft"
        )
    assert refused.value.field == "capacity"
    services.update_mission(mission, later, by=coordinator, reason="Airport closed for fog")
    mission.refresh_from_db()
    assert mission.departs_on == date(2019, 1, 2)
    assert mission.approved_at is None  # the changed mission must be approved again
    change = mission.changes.get()
    assert change.fields == ["departs_on", "arrives_on"]
    assert change.reason == "Airport closed for fog"


def test_the_change_page_shows_a_refusal_next_to_its_field(
    make_mission: Callable[..., Any], coordinator: User
) -> None:
    mission = make_mission()
    client = signed_in(coordinator)
    url = reverse("missions:edit", args=[mission.pk])
    form = {
        "name": "Renamed", "departure_airport": "bgw", "arrival_airport": "ZIA",
        "departs_on": "2018-12-30", "arrives_on": "2018-12-29", "capacity": "30",
    }  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "The flight cannot arrive before it departs." in refused.content.decode()
    assert client.post(url, form | {"arrives_on": "2018-12-30"}).status_code == 302
    mission.refresh_from_db()
    assert (mission.name, mission.code) == ("Renamed", "M-TEST-1")


def test_ready_children_leaves_out_those_booked_on_a_mission_still_to_fly(
    make_ready_case: Callable[..., ChildCase], make_mission: Callable[..., Any], coordinator: User
) -> None:
    booked = make_ready_case()
    free = make_ready_case(names=[NameInput("Зара Исаева", "family")])
    services.add_to_manifest(make_mission(), booked, by=coordinator)
    booked.refresh_from_db()
    booked.status = "cleared_to_leave"  # as if still cleared: the booking alone must exclude it
    booked.save(update_fields=["status"])
    assert services.ready_children(coordinator) == [free]


def test_a_missions_page_shows_the_ready_children_a_page_at_a_time(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 21: at a registry's size every ready child was a row (13 s at a million).
    from homeward.missions import queries

    monkeypatch.setattr(queries, "CANDIDATES_PER_PAGE", 1)
    first = make_ready_case()
    second = make_ready_case(names=[NameInput("Зара Исаева", "family")])
    url = reverse("missions:detail", args=[make_mission().pk])
    client = signed_in(coordinator)
    shown = []
    for number in (1, 2):
        page = client.get(url, {"page": number}).content.decode()
        assert page.count('data-testid="candidate-row"') == 1
        assert 'data-testid="candidate-count">2<' in page
        shown += [case for case in (first, second) if case.reference in page]
    assert shown == [first, second]
