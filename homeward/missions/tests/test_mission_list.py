"""The missions list a page at a time (issue 21): at a registry's size there are thousands
of flights, and counting every manifest of them for one page took seconds at 1M."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.missions import services

pytestmark = pytest.mark.django_db

PER_PAGE = 50  # missions.queries.MISSIONS_PER_PAGE


def test_the_list_shows_a_page_of_missions_latest_first_with_their_children(
    make_mission: Callable[..., Any], make_ready_case: Callable[..., ChildCase], coordinator: User
) -> None:
    first = date(2019, 1, 1)
    missions = [
        make_mission(departs_on=first + timedelta(days=i), arrives_on=first + timedelta(days=i))
        for i in range(PER_PAGE + 1)
    ]
    oldest, latest = missions[0], missions[-1]
    for mission in (oldest, latest):
        services.add_to_manifest(mission, make_ready_case(), by=coordinator)
    client = signed_in(coordinator)

    page = client.get(reverse("missions:list")).context["page"]
    assert [m.pk for m in page] == [m.pk for m in reversed(missions[1:])]
    assert page[0].on_board_count == 1 and page[1].on_board_count == 0
    assert page.paginator.num_pages == 2

    second = client.get(reverse("missions:list"), {"page": 2})
    assert [m.pk for m in second.context["page"]] == [oldest.pk]
    assert second.context["page"][0].on_board_count == 1
    assert "Page 2 of 2" in second.content.decode()
