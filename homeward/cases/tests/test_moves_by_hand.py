"""The status form moves a case by hand only where no other step records the move with its
facts; a refused move names the step that makes it (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.cases import services
from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError
from homeward.conftest import signed_in
from homeward.missions import services as missions

pytestmark = pytest.mark.django_db


def test_a_move_another_step_makes_is_refused_by_hand_naming_that_step(
    arrived_case: ChildCase, caseworker: User
) -> None:
    with pytest.raises(CaseError, match="A medical officer records the arrival examination"):
        services.change_status(arrived_case, "examined", by=caseworker)
    arrived_case.refresh_from_db()
    assert arrived_case.status == "repatriated"


def test_a_child_on_a_manifest_comes_home_and_back_only_through_the_mission(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    caseworker: User,
) -> None:
    mission = make_mission()
    case = make_ready_case()
    missions.add_to_manifest(mission, case, by=coordinator, today=date(2018, 12, 20))
    with pytest.raises(CaseError, match=f"on the manifest of {mission.code}: the mission's"):
        services.change_status(case, "repatriated", by=caseworker)
    with pytest.raises(CaseError, match="take the child off it"):
        services.change_status(case, "cleared_to_leave", by=caseworker, reason="Fever")


def test_a_held_case_resumes_where_it_was(arrived_case: ChildCase, caseworker: User) -> None:
    services.change_status(arrived_case, "on_hold", by=caseworker, reason="Hospitalised")
    services.change_status(arrived_case, "repatriated", by=caseworker, reason="Discharged")
    arrived_case.refresh_from_db()
    assert arrived_case.status == "repatriated"


def test_the_status_form_offers_only_moves_by_hand(
    arrived_case: ChildCase, caseworker_client: Client
) -> None:
    page = caseworker_client.get(reverse("cases:detail", args=[arrived_case.pk])).content.decode()
    form = page.split('id="change-status"')[1].split("</form>")[0]
    assert 'value="on_hold"' in form and 'value="examined"' not in form


def test_a_refused_move_on_the_page_says_which_step_makes_it(
    arrived_case: ChildCase, caseworker_client: Client
) -> None:
    url = reverse("cases:change_status", args=[arrived_case.pk])
    response = caseworker_client.post(url, {"to_status": "examined", "effective_on": "2019-01-02"})
    assert response.status_code == 400
    assert "A medical officer records the arrival examination" in response.content.decode()


def test_the_examination_form_is_not_opened_for_a_child_still_abroad(
    make_case: Callable[..., ChildCase], medic: User
) -> None:
    case = make_case()
    client = signed_in(medic)
    response = client.get(reverse("health:record_examination", args=[case.pk]), follow=True)
    page = response.content.decode()
    assert 'name="hospital"' not in page  # no form to fill in vain
    assert 'data-testid="refusal-next"' in page
    assert "a child is examined after arrival" in page


def test_the_hand_over_form_is_not_opened_before_the_examination(
    arrived_case: ChildCase, caseworker_client: Client
) -> None:
    response = caseworker_client.get(reverse("care:hand_over", args=[arrived_case.pk]), follow=True)
    page = response.content.decode()
    assert 'name="receiving_relative"' not in page
    assert "handed over after the arrival examination" in page
