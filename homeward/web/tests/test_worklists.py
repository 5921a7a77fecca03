"""Every dashboard panel leads to its full, filterable list (issue 15): a count of 123 with
10 shown is no longer a dead end."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.cases.models import ChildCase, FacilityKind
from homeward.cases.services import NameInput, PlacementInput
from homeward.conftest import signed_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.rules.models import CustodyRule
from homeward.web import dashboard

pytestmark = pytest.mark.django_db

IN_DETENTION = PlacementInput("IQ", FacilityKind.DETENTION_WITH_MOTHER, date(2018, 5, 2), "Prison")


@pytest.fixture
def many_alerts(make_case: Callable[..., ChildCase]) -> list[ChildCase]:
    CustodyRule.objects.create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2017, 1, 1),
    )  # fmt: skip
    regions = ["RU-DA", "RU-CE", "RU-DA"]
    return [
        make_case(
            names=[NameInput(f"Ребёнок Номер{'а' * n}", "family")],
            birth=BirthDate(BirthPrecision.DAY, date(2014, 1, 1 + n)),
            placement=IN_DETENTION,
            home_region=region,
        )
        for n, region in enumerate(regions)
    ]


def test_each_panel_links_to_its_full_list(caseworker: User) -> None:
    page = signed_in(caseworker).get("/").content.decode()
    for panel in ("alerts", "overdue", "missions", "matches"):
        assert f'data-testid="all-{panel}"' in page, panel
    links = re.findall(r'data-testid="all-[a-z-]+" href="([^"]+)"', page)
    client = signed_in(caseworker)
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_the_full_list_shows_every_alert_past_the_panels_limit_and_filters(
    many_alerts: list[ChildCase], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "LIST_LIMIT", 2)
    client: Client = signed_in(caseworker)
    board = client.get("/").content.decode()
    assert board.count('<span class="status">Past the limit</span>') == 2  # the panel: cut
    full = client.get(reverse("alerts")).content.decode()
    assert full.count('data-testid="alert-row"') == 3  # the list: whole
    dagestan = client.get(reverse("alerts"), {"region": "RU-CE"}).content.decode()
    assert dagestan.count('data-testid="alert-row"') == 1
    by_reference = client.get(reverse("alerts"), {"q": many_alerts[0].reference})
    assert by_reference.content.decode().count('data-testid="alert-row"') == 1
    # As of a day before any of them: none.
    assert (
        'data-testid="alert-row"'
        not in client.get(reverse("alerts"), {"on": "2016-01-01"}).content.decode()
    )


def test_missions_filter_by_status(make_mission: Callable[..., object], caseworker: User) -> None:
    make_mission()
    client = signed_in(caseworker)
    assert (
        "M-TEST-1" in client.get(reverse("missions:list"), {"status": "preparing"}).content.decode()
    )
    assert (
        "M-TEST-1"
        not in client.get(reverse("missions:list"), {"status": "closed"}).content.decode()
    )
