"""The statistics count kept spells; every figure must equal the one rebuilt from the
history itself (`history.py`, the way they were counted before), on any past day.

A seeded registry goes through the services the pages use: registrations with every kind
of birth date (29 February among them), status moves on the same day and on later days,
holds and resumptions, endings, placements abroad, home and abroad again (two on one day),
identity changes, flights (flown, taken off, not travelled), a merge and an undone one.
Then each day of a spread (and each day something happened, and the day before) is
counted by every dimension and every pair of dimensions, with filters and both ways of
counting uncertain ages, and compared with the history.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from importlib import import_module
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from homeward.cases import services
from homeward.cases.merging import merge_cases, undo_merge
from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.services import CaseError, NameInput, PlacementInput
from homeward.cases.status import CaseStatus, allowed_next
from homeward.imports import services as import_services
from homeward.imports.models import BatchStatus, ImportBatch
from homeward.lib.agebands import parse_bands
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.missions.models import ManifestEntry
from homeward.statistics.models import CaseReach, CaseSpell, DayTotal
from homeward.statistics.series import children_abroad, default_period
from homeward.statistics.services import (
    DIMENSIONS,
    SEPARATE,
    StatsQuery,
    StatsResult,
    count_children,
    count_children_by,
)
from homeward.statistics.spells import rebuild_all
from homeward.statistics.tests.history import abroad_from_history, count_from_history

pytestmark = pytest.mark.django_db

reaches_migration = import_module("homeward.statistics.migrations.0002_case_reaches")
totals_migration = import_module("homeward.statistics.migrations.0003_day_totals")

TODAY = date(2024, 3, 15)
REGIONS = ["RU-DA", "RU-CE", "RU-MOW", ""]
PLACES = [("IQ", "camp"), ("IQ", "detention_with_mother"), ("SY", "camp"), ("RU", "hospital")]


def _birth(rng: random.Random) -> BirthDate:
    kind = rng.randrange(6)
    if kind == 0:
        return BirthDate(BirthPrecision.DAY, rng.choice([date(2012, 2, 29), date(2016, 2, 29)]))
    if kind == 1:
        return BirthDate(BirthPrecision.DAY, date(2008, 1, 1) + timedelta(rng.randrange(4000)))
    if kind == 2:
        return BirthDate(BirthPrecision.YEAR, date(rng.randrange(2006, 2018), 1, 1))
    if kind == 3:
        return BirthDate(
            BirthPrecision.ESTIMATE,
            estimated_age=rng.randrange(1, 14),
            estimated_on=date(2018, 3, 1) + timedelta(rng.randrange(600)),
            margin_years=rng.randrange(0, 3),
        )
    if kind == 4:
        return BirthDate(
            BirthPrecision.MONTH, date(rng.randrange(2006, 2018), rng.randrange(1, 13), 1)
        )
    return BirthDate(BirthPrecision.UNKNOWN)


def _walk(case: ChildCase, rng: random.Random, by: User) -> None:
    """Moves and placements on random later days (often the same day), until today."""
    day = case.status_since
    while True:
        allowed = allowed_next(CaseStatus(case.status), services.held_from(case))
        if not allowed or rng.random() < 0.08:
            return
        day += timedelta(days=rng.choice([0, 0, 1, 30, 200]))
        if day > TODAY:
            return
        target = allowed[0] if rng.random() < 0.75 else rng.choice(allowed)
        try:
            services.transition(case, target, by=by, reason="Test", effective_on=day, today=TODAY)
        except CaseError:
            continue
        if rng.random() < 0.4:
            country, kind = rng.choice(PLACES)
            place = PlacementInput(country, kind, day)
            services.move_placement(case, place, by=by, today=TODAY)


@pytest.fixture
def registry(
    make_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    caseworker: User,
    supervisor: User,
) -> list[ChildCase]:
    rng = random.Random(21)
    cases = []
    for number in range(40):
        country, kind = rng.choice(PLACES[:3])
        found = date(2017, 1, 1) + timedelta(rng.randrange(2000))
        case = make_case(
            names=[NameInput(f"Child {number}", "consular")],
            sex=rng.choice("fmu"),
            birth=_birth(rng),
            home_region=rng.choice(REGIONS),
            identified_on=found,
            placement=PlacementInput(country, kind, found - timedelta(rng.choice([0, 0, 40]))),
        )
        _walk(case, rng, caseworker)
        cases.append(case)
    for case in rng.sample(cases, 6):
        case.refresh_from_db()
        services.update_identity(
            case, sex=rng.choice("fm"), birth=_birth(rng), nationality="RU",
            home_region=rng.choice(REGIONS[:3]), by=caseworker, today=TODAY,
        )  # fmt: skip
    mission = make_mission(
        code="M-SPELLS", departs_on=date(2019, 2, 10), arrives_on=date(2019, 2, 10)
    )
    for case, travelled, removed in zip(
        cases[:6], [True, True, None, False, True, True], [None, None, None, None, TODAY, None],
        strict=True,
    ):  # fmt: skip
        ManifestEntry.objects.create(
            mission=mission, case=case, travelled=travelled,
            removed_at=timezone.now() if removed else None,
        )  # fmt: skip
    mission.code = "M-SPELLS-2"
    mission.save()
    merge_cases(cases[10], cases[11], reason="Same child", by=supervisor)
    undone = merge_cases(cases[12], cases[13], reason="Same child", by=supervisor)
    undo_merge(undone, by=supervisor)
    return cases


def _days() -> list[date]:
    happened = set(StatusTransition.objects.values_list("effective_on", flat=True))
    happened |= set(Placement.objects.values_list("since", flat=True))
    spread = {date(2016, 12, 1) + timedelta(days=97 * i) for i in range(30)}
    days = happened | {d - timedelta(days=1) for d in happened} | spread
    return sorted(d for d in days if d <= TODAY)


def _same(query: StatsQuery) -> None:
    fast, slow = count_children(query), count_from_history(query)
    assert _figures(fast) == _figures(slow), query


def _figures(result: StatsResult) -> tuple[Any, ...]:
    return (result.rows, result.total, result.youngest, result.oldest, result.uncertain_ages)


GROUPINGS = [(d,) for d in DIMENSIONS] + list(itertools.combinations(DIMENSIONS, 2))


@pytest.mark.slow
def test_every_figure_on_every_day_equals_the_one_rebuilt_from_the_history(
    registry: list[ChildCase],
) -> None:
    days = _days()
    assert len(days) > 100
    for day in days[:: len(days) // 8]:
        for by in GROUPINGS:
            _same(StatsQuery(as_of=day, by=by))
    for day in days[::2]:
        _same(StatsQuery(as_of=day, by=("region", "age-band")))
        _same(StatsQuery(as_of=day, by=("age-band",), age_counting=SEPARATE))
        _same(StatsQuery(as_of=day, host="IQ", by=("status", "age-band")))
        _same(StatsQuery(as_of=day, statuses=("verified", "on_hold"), by=("sex",)))
        _same(StatsQuery(as_of=day, by=("age-band",), bands=tuple(parse_bands("0-2,5,7-9"))))
    assert [p.count for p in children_abroad(days)] == abroad_from_history(days)


def test_flows_equal_the_ones_rebuilt_from_the_history(registry: list[ChildCase]) -> None:
    for kind in ("repatriated", "placed", "closed"):
        for start, end in [(date(2017, 1, 1), TODAY), (date(2019, 1, 1), date(2019, 12, 31))]:
            for by in [("region",), ("age-band", "status"), ("host", "mission")]:
                _same(StatsQuery(flow=kind, flow_from=start, flow_to=end, by=by))
    for day in sorted(set(StatusTransition.objects.values_list("effective_on", flat=True))):
        _same(StatsQuery(repatriated_on=day, by=("region", "age-band")))


def test_one_count_grouped_several_ways_equals_a_count_for_each(
    registry: list[ChildCase],
) -> None:
    """The statistics page counts its table and its charts at once (`count_children_by`)."""
    rng = random.Random(2122)
    days = _days()
    charted = ("region", "age-band")
    for by in GROUPINGS[::3]:
        day = rng.choice(days)
        for query in (
            StatsQuery(as_of=day, by=by, age_counting=rng.choice(["midpoint", SEPARATE])),
            StatsQuery(as_of=day, by=by, host="IQ"),
            StatsQuery(flow="closed", flow_from=date(2017, 1, 1), flow_to=day, by=by),
        ):
            together = count_children_by(query, query.by, charted)
            apart = [count_children(query), count_children(replace(query, by=charted))]
            assert [_figures(r) for r in together] == [_figures(r) for r in apart], query


def _spells() -> list[tuple[Any, ...]]:
    return sorted(
        CaseSpell.objects.values_list(
            "case_id", "starts_on", "ends_on", "status", "country", "facility_kind",
            "home_region", "sex", "birth_earliest", "birth_latest", "birth_midpoint",
            "mission", "year", "abroad_from", "abroad_until",
        )
    )  # fmt: skip


def _reaches() -> list[tuple[Any, ...]]:
    return sorted(
        CaseReach.objects.values_list(
            "case_id", "flow", "reached_on", "previous_on", "home_region", "sex",
            "birth_earliest", "birth_latest", "birth_midpoint", "mission",
        )
    )  # fmt: skip


def _day_totals() -> list[tuple[Any, ...]]:
    """The day totals, without the days whose changes came to nothing."""
    return sorted(
        DayTotal.objects.exclude(opened=0, abroad_from=0, abroad_until=0).values_list(
            "day", "opened", "abroad_from", "abroad_until"
        )
    )


def test_the_services_keep_the_spells_as_a_rebuild_makes_them(registry: list[ChildCase]) -> None:
    kept, reaches, totals = _spells(), _reaches(), _day_totals()
    assert kept and {r[1] for r in reaches} == {"repatriated", "placed", "closed"}
    assert totals and sum(t[1] for t in totals) == len({s[0] for s in kept})
    rebuild_all()
    assert _spells() == kept
    assert _reaches() == reaches
    assert _day_totals() == totals


def test_the_migration_fills_the_day_totals_as_a_rebuild_makes_them(
    registry: list[ChildCase],
) -> None:
    """`statistics.0003` fills a database that has its spells in one statement."""
    totals = _day_totals()
    DayTotal.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(totals_migration.FILL_SQL)
    assert _day_totals() == totals


def test_the_day_totals_follow_a_deleted_case(registry: list[ChildCase]) -> None:
    """A case deleted takes its spells with it, and its share of the day totals."""
    for case in registry[20:23]:
        ChildCase.every.filter(pk=case.pk).delete()
    totals = _day_totals()
    rebuild_all()
    assert _day_totals() == totals
    days = _days()
    assert [p.count for p in children_abroad(days)] == abroad_from_history(days)


def test_the_migration_fills_the_reaches_as_a_rebuild_makes_them(
    registry: list[ChildCase],
) -> None:
    """`statistics.0002` fills a database that has its spells in one statement."""
    reaches = _reaches()
    CaseReach.objects.all().delete()
    sql, params = reaches_migration.fill_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert _reaches() == reaches


def _flows_equal_the_history() -> None:
    days = _days()
    rng = random.Random(2123)
    for kind in ("repatriated", "placed", "closed"):
        for _ in range(12):
            start = rng.choice(days)
            end = min(TODAY, start + timedelta(rng.choice([0, 1, 40, 400, 3000])))
            by = rng.choice(GROUPINGS)
            _same(StatsQuery(flow=kind, flow_from=start, flow_to=end, by=by))
    assert [p.count for p in children_abroad(days)] == abroad_from_history(days)
    kept, totals, first = _reaches(), _day_totals(), default_period()
    rebuild_all()
    assert _reaches() == kept
    assert _day_totals() == totals
    assert default_period() == first


def test_flows_stay_exact_after_a_backdated_correction_and_a_reopened_case(
    registry: list[ChildCase], caseworker: User
) -> None:
    """History written around the services (an administrator's correction of a day, a
    move deleted, a closed case reopened and closed again) keeps the reaches too."""
    moves = StatusTransition.objects.filter(to_status__in=["repatriated", "placed", "closed"])
    backdated = moves.order_by("id").first()
    assert backdated is not None
    backdated.effective_on -= timedelta(days=400)
    backdated.save()
    moves.order_by("-id").first().delete()  # type: ignore[union-attr]
    closed = ChildCase.objects.filter(status="closed").first()
    if closed is None:  # the seed closes some; make sure of one
        closed = registry[0]
        StatusTransition.objects.create(
            case=closed, from_status=closed.status, to_status="closed", effective_on=TODAY
        )
    reopened_on = closed.status_since + timedelta(days=10)
    for status, day in [("in_follow_up", reopened_on), ("placed", reopened_on + timedelta(5)),
                        ("closed", reopened_on + timedelta(days=30))]:  # fmt: skip
        StatusTransition.objects.create(
            case=closed, from_status="", to_status=status, effective_on=min(day, TODAY)
        )
    assert CaseReach.objects.filter(case=closed, flow="closed", previous_on__isnull=False)
    _flows_equal_the_history()
    _same(StatsQuery(flow="closed", flow_from=reopened_on, flow_to=TODAY, by=("status",)))


def test_flows_stay_exact_after_an_import_and_the_bulk_writer(
    registry: list[ChildCase], caseworker: User, tmp_path: Any
) -> None:
    """An import writes its cases' history in bulk and rebuilds their spells; the
    registry's bulk writer (`bench/registry.py`) inserts history and rebuilds them all."""
    from homeward.imports import services as imports
    from homeward.imports.bulk import insert
    from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, ZAREMA, write_csv

    source = imports.source_named(caseworker, "KoBo, Iraq team")
    path = write_csv(tmp_path / "children.csv", CHILD_HEADERS, [AMINA, ZAREMA])
    batch, check = imports.import_file(
        str(path), source=source, kind="children", by=caseworker, write=True
    )
    assert check.problems == [] and CaseReach.objects.filter(case__import_batch=batch).count() == 0
    for case in ChildCase.objects.filter(import_batch=batch):
        _walk(case, random.Random(case.pk), caseworker)
    case = registry[2]
    insert(StatusTransition, [
        {"case_id": case.pk, "from_status": "", "to_status": status, "effective_on": day,
         "reason": "", "recorded_by_id": None}
        for status, day in [("placed", date(2017, 6, 1)), ("closed", date(2017, 7, 1))]
    ])  # fmt: skip
    call_command("rebuild_statistics", stdout=StringIO())
    _flows_equal_the_history()


def test_a_merged_case_is_counted_once_and_again_when_the_merge_is_undone(
    registry: list[ChildCase],
) -> None:
    merged, restored = registry[11], registry[13]
    assert not CaseSpell.objects.filter(case=merged).exists()
    assert CaseSpell.objects.filter(case=restored).exists()


@pytest.mark.slow
def test_flows_counted_in_the_database_equal_the_history_over_random_periods(
    registry: list[ChildCase],
) -> None:
    """Flows are counted in SQL, each child aged on its own day: random periods (ends on
    28 and 29 February among them), every grouping, filters and both age countings."""
    rng = random.Random(2121)
    edges = [date(2020, 2, 28), date(2020, 2, 29), date(2021, 2, 28), date(2023, 3, 1)]
    days = _days()
    for by in GROUPINGS:
        start = rng.choice(days + edges)
        end = min(TODAY, rng.choice([start, start + timedelta(rng.randrange(1, 1500))]))
        kind = rng.choice(["repatriated", "placed", "closed"])
        _same(StatsQuery(flow=kind, flow_from=start, flow_to=end, by=by))
        _same(
            StatsQuery(
                flow=kind, flow_from=start, flow_to=end, by=by, age_counting=SEPARATE,
                host=rng.choice([None, "IQ", "RU"]),
                statuses=rng.choice([(), ("repatriated", "placed", "closed")]),
                bands=tuple(parse_bands(rng.choice(["0-2,5,7-9", "below-10,10,11-17,18+"]))),
            )
        )  # fmt: skip
    for day in edges:
        _same(StatsQuery(repatriated_on=day, by=("age-band",), age_counting=SEPARATE))


def test_children_abroad_leave_out_the_cases_of_an_import_still_committing(
    registry: list[ChildCase], caseworker: User
) -> None:
    """The day totals hold every case's stay; while an import commits, the series is
    counted from the spells without its cases, as everyone sees cases."""
    source = import_services.source_named(caseworker, "KoBo, Iraq team")
    batch = ImportBatch.objects.create(
        source=source, kind="children", original_name="c.csv", file_sha256="0" * 64,
        status=BatchStatus.COMMITTING,
    )  # fmt: skip
    days = _days()
    every = [p.count for p in children_abroad(days)]
    ChildCase.every.filter(pk__in=[c.pk for c in registry[:8]]).update(import_batch=batch)
    hidden = [p.count for p in children_abroad(days)]
    assert hidden == abroad_from_history(days) != every
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.COMMITTED)
    assert [p.count for p in children_abroad(days)] == every
