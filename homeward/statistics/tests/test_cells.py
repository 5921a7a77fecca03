"""The counts kept per cell (`statistics.cells`) must give every figure the history gives,
on any past day, after every kind of writer: the services, corrections written around
them (a move's day moved back, a move and a placement deleted, a closed case reopened),
identity edits, merges, a case deleted, an import and the registry's bulk writer."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum

from homeward.cases import services
from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.lib.agebands import parse_bands
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.statistics import cells
from homeward.statistics.models import CaseSpell, CellChange
from homeward.statistics.services import DIMENSIONS, SEPARATE, StatsQuery, reads_cells
from homeward.statistics.tests.test_spells import (  # noqa: F401 (the fixture)
    TODAY,
    _days,
    _same,
    _walk,
    registry,
)

pytestmark = pytest.mark.django_db

HELD = [d for d in DIMENSIONS if d != "mission"]
PAIRS = [(a,) for a in HELD] + [(a, b) for i, a in enumerate(HELD) for b in HELD[i + 1 :]]


def _kept() -> dict[tuple[Any, ...], int]:
    """The cells' changes, without those that came to nothing."""
    rows = (
        CellChange.objects.values_list(
            "level", "period", "status", "country", "facility_kind", "home_region", "sex",
            "bands",
        )
        .annotate(total=Sum("n"))
        .order_by()
    )  # fmt: skip
    return {row[:-1]: row[-1] for row in rows if row[-1]}


def _cells_equal_the_history(step: int) -> None:
    days = _days()
    for day in days[::step]:
        for by in PAIRS:
            query = StatsQuery(as_of=day, by=by)
            assert reads_cells(query)
            _same(query)
    for day in days[:: max(1, step // 4)]:
        _same(StatsQuery(as_of=day, by=("region", "age-band")))
        _same(StatsQuery(as_of=day, by=("age-band",), age_counting=SEPARATE))
        _same(StatsQuery(as_of=day, host="IQ", by=("status", "age-band")))
        _same(StatsQuery(as_of=day, statuses=("verified", "on_hold"), by=("placement", "sex")))
    kept = _kept()
    cells.fill_all()
    assert _kept() == kept


@pytest.mark.slow
def test_every_figure_summed_from_the_cells_equals_the_history_after_every_writer(
    registry: list[ChildCase],  # noqa: F811
    caseworker: User,
) -> None:
    _cells_equal_the_history(step=12)
    # Corrections written around the services: a move's day moved 400 days back, a move
    # and a placement deleted, a closed case reopened and closed again.
    moves = StatusTransition.objects.order_by("id")
    backdated = moves.filter(from_status__gt="").first()
    assert backdated is not None
    backdated.effective_on -= timedelta(days=400)
    backdated.save()
    moves.last().delete()  # type: ignore[union-attr]
    Placement.objects.order_by("-id").first().delete()  # type: ignore[union-attr]
    closed = registry[5]
    for status, day in [("closed", date(2020, 5, 1)), ("in_follow_up", date(2020, 6, 1)),
                        ("closed", date(2021, 6, 1))]:  # fmt: skip
        StatusTransition.objects.create(
            case=closed, from_status="", to_status=status, effective_on=day
        )
    # A child's birth corrected to turn 10 and 11 inside a spell, on 29 February.
    case = registry[7]
    case.refresh_from_db()
    services.update_identity(
        case, sex="f", birth=BirthDate(BirthPrecision.DAY, date(2008, 2, 29)),
        nationality="RU", home_region="RU-CE", by=caseworker, today=TODAY,
    )  # fmt: skip
    assert CaseSpell.objects.filter(case=case, birth_midpoint=date(2008, 2, 29)).exists()
    # A case deleted takes its cells with it.
    for case in registry[20:23]:
        ChildCase.every.filter(pk=case.pk).delete()
    _cells_equal_the_history(step=12)


def test_the_cells_follow_an_import_and_the_bulk_writer(
    registry: list[ChildCase],  # noqa: F811
    caseworker: User,
    tmp_path: Any,
) -> None:
    from homeward.imports import services as imports
    from homeward.imports.bulk import insert
    from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, ZAREMA, write_csv

    source = imports.source_named(caseworker, "KoBo, Iraq team")
    path = write_csv(tmp_path / "children.csv", CHILD_HEADERS, [AMINA, ZAREMA])
    batch, check = imports.import_file(
        str(path), source=source, kind="children", by=caseworker, write=True
    )
    assert check.problems == []
    for case in ChildCase.objects.filter(import_batch=batch):
        _walk(case, random.Random(case.pk), caseworker)
    _cells_equal_the_history(step=40)
    insert(StatusTransition, [
        {"case_id": registry[2].pk, "from_status": "", "to_status": status, "effective_on": day,
         "reason": "", "recorded_by_id": None}
        for status, day in [("verified", date(2017, 6, 1)), ("on_hold", date(2017, 7, 1))]
    ])  # fmt: skip
    call_command("rebuild_statistics", stdout=StringIO())
    _cells_equal_the_history(step=40)


def test_the_cells_hold_the_report_bands_and_leave_the_rest_to_the_spells() -> None:
    today = TODAY
    assert reads_cells(StatsQuery(as_of=today, by=("host", "age-band")))
    assert not reads_cells(StatsQuery(as_of=today, by=("mission",)))
    assert not reads_cells(StatsQuery(as_of=today, bands=tuple(parse_bands("0-2,3-9,10+"))))


def test_a_spells_cells_change_on_the_days_the_child_enters_another_band() -> None:
    """Born 29 February 2008: below 10 until 28 February 2018, 10 from 1 March 2018, 11
    from 1 March 2019; a spell from 2017 still running moves cell on those days."""
    born = date(2008, 2, 29)
    spell = {
        "starts_on": date(2017, 5, 1), "ends_on": None, "status": "verified", "country": "IQ",
        "facility_kind": "camp", "home_region": "RU-DA", "sex": "f",
        "birth_midpoint": born, "birth_latest": born, "birth_earliest": born,
    }  # fmt: skip
    moves = Counter({(day, cell[-1]): n for day, cell, n in cells.spell_changes(spell)})
    assert moves == {
        (date(2017, 5, 1), "below 10|below 10|below 10"): 1,
        (date(2018, 3, 1), "below 10|below 10|below 10"): -1,
        (date(2018, 3, 1), "10|10|10"): 1,
        (date(2019, 3, 1), "10|10|10"): -1,
        (date(2019, 3, 1), "11-17|11-17|11-17"): 1,
        (date(2026, 3, 1), "11-17|11-17|11-17"): -1,
        (date(2026, 3, 1), "18+|18+|18+"): 1,
    }


def _balances() -> dict[tuple[Any, ...], int]:
    return {key: n for key, n in _kept().items() if key[0] == cells.BALANCE}


def test_each_cell_keeps_its_opening_balance_of_each_year(
    registry: list[ChildCase],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A count reads one balance row a cell for the years before its day's (issue 21:
    every year row of every cell before); each balance is the cell's years before it,
    whether kept by the writers, filled afresh or by the migration."""
    from types import SimpleNamespace

    from django.db import connection

    from homeward.statistics.migrations import __name__ as package

    years: Counter[tuple[Any, ...]] = Counter()
    for (level, period, *cell), n in _kept().items():
        if level == cells.YEAR:
            for year in cells.BALANCES:
                if period.year < year:
                    years[(cells.BALANCE, date(year, 1, 1), *cell)] += n
    assert _balances() == {key: n for key, n in years.items() if n}
    assert _balances()
    kept = _kept()
    __import__(f"{package}.0006_cell_balances", fromlist=["fill"]).fill(
        None, SimpleNamespace(connection=connection)
    )
    assert _kept() == kept
    # Before the first balance year, and after the last, the years are summed (the
    # balances of fewer years, to reach both within the registry's days).
    monkeypatch.setattr(cells, "BALANCES", range(2018, 2021))
    cells.fill_all()
    for day in (date(2017, 12, 31), date(2018, 1, 1), date(2020, 12, 31), date(2021, 1, 1),
                date(2023, 7, 9), TODAY):  # fmt: skip
        _same(StatsQuery(as_of=day, by=("status", "age-band")))
