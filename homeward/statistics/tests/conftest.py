"""The four children most statistics tests count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User

from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, PlacementInput, move_placement, transition
from homeward.lib.ages import BirthDate, BirthPrecision


@pytest.fixture
def children(make_case: Callable[..., ChildCase], caseworker: User) -> dict[str, ChildCase]:
    """Four children: one flown home on 2018-12-30, one still in Iraq whose age straddles
    10 and 11, one found only in February 2019, one in Syria."""
    iraq = PlacementInput("IQ", "state_orphanage", date(2018, 3, 1))
    home = make_case(
        names=[NameInput("Home Child", "consular")],
        home_region="RU-DA",
        identified_on=date(2018, 3, 1),
        birth=BirthDate(BirthPrecision.DAY, date(2012, 6, 1)),
        placement=iraq,
    )
    for status, day in [
        ("verified", date(2018, 4, 1)),
        ("family_traced", date(2018, 5, 1)),
        ("consent_obtained", date(2018, 6, 1)),
        ("cleared_to_leave", date(2018, 12, 1)),
        ("assigned_to_mission", date(2018, 12, 20)),
        ("repatriated", date(2018, 12, 30)),
    ]:
        transition(home, status, by=caseworker, effective_on=day)
    move_placement(home, PlacementInput("RU", "hospital", date(2018, 12, 30)), by=caseworker)
    straddling = make_case(
        names=[NameInput("Older Child", "consular")],
        home_region="RU-CE",
        sex="m",
        birth=BirthDate(BirthPrecision.YEAR, date(2008, 1, 1)),
        identified_on=date(2018, 3, 1),
        placement=iraq,
    )
    late = make_case(
        names=[NameInput("Late Child", "consular")],
        identified_on=date(2019, 2, 1),
        placement=PlacementInput("IQ", "camp", date(2019, 2, 1)),
    )
    syria = make_case(
        names=[NameInput("Syria Child", "ngo")],
        identified_on=date(2018, 3, 1),
        placement=PlacementInput("SY", "camp", date(2018, 3, 1)),
    )
    return {"home": home, "straddling": straddling, "late": late, "syria": syria}
