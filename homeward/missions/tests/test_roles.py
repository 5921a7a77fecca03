"""Roles on the journey home (issue 14, item 6): only a medical officer says a child is fit
to fly, and whoever approves a manifest reaches every child on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency, Role
from homeward.cases.models import ChildCase
from homeward.conftest import make_user, signed_in
from homeward.missions import services
from homeward.missions.models import ReadinessCheck, ReadinessItem
from homeward.missions.services import MissionError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.MISSION_COORDINATOR])
def test_only_a_medical_officer_ticks_fit_to_fly(
    role: str, make_case: Callable[..., ChildCase], agency: Agency
) -> None:
    case = make_case()
    user = make_user(f"a_{role}", agency, role)
    with pytest.raises(MissionError, match="Only a medical officer"):
        services.record_readiness(case, "fit_to_fly", done_on=date(2018, 12, 1), by=user)
    response = signed_in(user).post(
        reverse("missions:record_readiness", args=[case.pk]),
        {"item": "fit_to_fly", "done_on": "2018-12-01"},
    )
    assert response.status_code == 302
    assert not ReadinessCheck.objects.filter(case=case, item=ReadinessItem.FIT_TO_FLY).exists()


def test_the_case_page_offers_the_medical_to_the_medical_officer_only(
    make_case: Callable[..., ChildCase], caseworker: User, medic: User
) -> None:
    case = make_case()

    def offered(user: User) -> list[str]:
        page = signed_in(user).get(reverse("cases:detail", args=[case.pk]))
        return [
            value for value, _ in page.context["journey"]["readiness_form"]["item"].field.choices
        ]

    assert "fit_to_fly" not in offered(caseworker) and "travel_document" in offered(caseworker)
    assert offered(medic) == ["fit_to_fly"]


def test_anyone_on_the_case_may_withdraw_fit_to_fly(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_ready_case()
    services.withdraw_readiness(case, "fit_to_fly", reason="Fever on the eve", by=caseworker)
    assert not case.readiness.filter(item=ReadinessItem.FIT_TO_FLY).exists()


def test_a_supervisor_who_does_not_reach_every_child_cannot_approve_the_manifest(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    supervisor: User,
    other_agency: Agency,
) -> None:
    mission = make_mission()
    services.add_to_manifest(mission, make_ready_case(), by=coordinator, today=date(2018, 12, 20))
    services.confirm_manifest(mission, by=coordinator)
    stranger = make_user("other_supervisor", other_agency, Role.SUPERVISOR)
    with pytest.raises(MissionError, match="1 children whose cases your scope does not reach"):
        services.approve_manifest(mission, by=stranger)
    response = signed_in(stranger).post(reverse("missions:approve", args=[mission.pk]))
    mission.refresh_from_db()
    assert response.status_code in (302, 400) and mission.approved_at is None
    services.approve_manifest(mission, by=supervisor)  # the children's own agency's
    mission.refresh_from_db()
    assert mission.approved_by == supervisor
