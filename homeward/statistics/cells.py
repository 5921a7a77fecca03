"""Counts kept per cell: how many open cases each combination of status, host, placement,
home region, sex and report age bands gains or loses on each day (`CellChange`).

The open cases of any day, by any two of those dimensions, are then a sum over a small
table instead of a scan of the day's spells (issue 21: ~500k index entries, 0.4 to 0.75 s
at 1M). A day's change is kept three times, under its year, its month and its day, so
that the count of day D adds the years before D's year, the months of that year before
D's month and the days of D's month up to D: a few thousand rows, and a change written
anywhere in the past touches three rows, never the rest of the calendar. Each cell also
keeps its opening balance of each year (`BALANCES`), so that the years before D's are one
row a cell, not one a cell and year; a change then touches the balances of later years too.

The age bands change with the day, as the children grow: a spell is cut at each day one
of the child's three ages (middle, latest and earliest possible birth) enters another of
the report's bands (`REPORT_BANDS`), and each piece counts in its own bands' cell. Those
days are known as soon as the spell is, future ones included (a child of 9 whose case is
open will be 10 on a known day), so a running spell's cells need no job to move them.
Other bands, the mission, and the youngest and oldest ages are still read from the spells
(`statistics.services`).

Derived data kept by the one writer of spells (`statistics.spells.rebuild` adds the
difference it made; `rebuild_all` and the migration fill it afresh);
`statistics/tests/test_cells.py` checks every figure equals the one rebuilt from the
history after every kind of writer.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection

from homeward.cases.status import FINAL
from homeward.lib.agebands import REPORT_BANDS, AgeBand, band_for, parse_bands
from homeward.lib.ages import completed_years

REPORT = tuple(parse_bands(REPORT_BANDS))
NO_AGE = "-"  # as `statistics.services` names a band when the age is not known
SEP = "|"
BIRTHS = ("birth_midpoint", "birth_latest", "birth_earliest")
# What a cell is, as the spells' columns name it.
CELL = ("status", "country", "facility_kind", "home_region", "sex")
YEAR, MONTH, DAY, BALANCE = 0, 1, 2, 3
# The years whose opening balance each cell keeps (`BALANCE`: everything it gained before
# 1 January of that year): a count of a day reads one balance row a cell instead of every
# year before, and a change on a past day adds to the balances of the later of these
# years (at most ~15 for a change of the last ten years). Days after the last of them add
# the years from it; days before the first read the years, as without balances.
BALANCES = range(2010, 2036)

Cell = tuple[str, str, str, str, str, str]  # CELL and the three bands


def band_name(born: date | None, day: date, bands: Iterable[AgeBand] = REPORT) -> str:
    """The band on `day` of someone born on `born`, as `_BandCode` names it."""
    if born is None or born > day:
        return NO_AGE
    return band_for(completed_years(born, day), list(bands)) or ""


def _reaches(born: date, age: int) -> date:
    """The first day someone born on `born` is `age` (29 February: 1 March, in a year
    without one)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def _turns(born: date | None) -> set[date]:
    """The days on which this birth may enter another report band."""
    if born is None:
        return set()
    ages = (
        {0} | {b.youngest for b in REPORT} | {b.oldest + 1 for b in REPORT if b.oldest is not None}
    )
    return {_reaches(born, age) for age in ages if born.year + age <= date.max.year}


def spell_changes(spell: Mapping[str, Any]) -> Iterator[tuple[date, Cell, int]]:
    """What a spell adds to the cells: +1 on the day it begins, and on each day the
    child's bands change, in the cell of its bands from then; -1 in the cell it leaves.
    Nothing for a spell of a case that has ended (not counted)."""
    if spell["status"] in FINAL:
        return
    start, end = spell["starts_on"], spell["ends_on"]
    days, names = _timeline(tuple(spell[b] for b in BIRTHS))
    at = bisect_right(days, start)
    facts = tuple(spell[c] for c in CELL)
    cell: Cell = (*facts, names[at])
    yield start, cell, 1
    while at < len(days) and (end is None or days[at] < end):
        now: Cell = (*facts, names[at + 1])
        yield days[at], cell, -1
        yield days[at], now, 1
        cell, at = now, at + 1
    if end is not None:
        yield end, cell, -1


@lru_cache(maxsize=65536)
def _timeline(births: tuple[date | None, ...]) -> tuple[list[date], list[str]]:
    """The days on which a child with these births enters other bands, and the bands
    before the first of them and from each on (`names[i]`: before `days[i]`)."""
    days: list[date] = []
    names = [SEP.join(NO_AGE for _born in births)]
    for day in sorted({d for born in births for d in _turns(born)}):
        bands = SEP.join(band_name(born, day) for born in births)
        if bands != names[-1]:
            days.append(day)
            names.append(bands)
    return days, names


def changes(spells: Iterable[Mapping[str, Any]]) -> Counter[tuple[date, Cell]]:
    added: Counter[tuple[date, Cell]] = Counter()
    for spell in spells:
        for day, cell, n in spell_changes(spell):
            added[day, cell] += n
    return added


def _levels(day_changes: Iterable[tuple[tuple[date, Any], int]]) -> Counter[tuple[int, date, Any]]:
    """Each day's change under its year, its month and its day, and each year's under
    the balances of the later years (`add` and `fill_all`, whose cells are numbers)."""
    rows: Counter[tuple[int, date, Any]] = Counter()
    for (day, cell), n in day_changes:
        if n:
            rows[YEAR, date(day.year, 1, 1), cell] += n
            rows[MONTH, day.replace(day=1), cell] += n
            rows[DAY, day, cell] += n
    years = [(period, cell, n) for (level, period, cell), n in rows.items() if level == YEAR]
    for period, cell, n in years:
        for later in _later_balances(period.year):
            rows[BALANCE, date(later, 1, 1), cell] += n
    return rows


def _later_balances(year: int) -> range:
    """The balance years a change in `year` counts in."""
    return range(max(year + 1, BALANCES.start), BALANCES.stop)


COLUMNS = ("level", "period", *CELL, "bands", "n")
CHUNK = 1000  # rows an upsert (nine values each: under SQLite's 32,766)


def add(day_changes: Mapping[tuple[date, Cell], int]) -> None:
    """Add these changes to the kept cells, in the order of their keys (two writers that
    change the same cells wait for each other rather than deadlock)."""
    rows = sorted((key, n) for key, n in _levels(day_changes.items()).items() if n)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        params: list[Any] = [
            v for (level, period, cell), n in chunk for v in (level, period, *cell, n)
        ]
        keys = ", ".join(COLUMNS[:-1])
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO statistics_cellchange ({', '.join(COLUMNS)}) "  # nosec B608
                f"VALUES {', '.join(['(' + ', '.join(['%s'] * len(COLUMNS)) + ')'] * len(chunk))} "
                f"ON CONFLICT ({keys}) DO UPDATE SET n = statistics_cellchange.n + excluded.n",
                params,
            )


def difference(
    after: Counter[tuple[date, Cell]], before: Counter[tuple[date, Cell]]
) -> dict[tuple[date, Cell], int]:
    keys = set(after) | set(before)
    return {key: after[key] - before[key] for key in keys if after[key] != before[key]}


# What a spell must bring for its cells.
SPELL_FIELDS = ("starts_on", "ends_on", *CELL, *BIRTHS)


def fill_all() -> None:
    """Every cell afresh from every spell (the migration, `rebuild_all`): the days'
    changes added up in memory under small whole numbers (at 1M, millions of them), then
    written a chunk at a time."""
    from homeward.imports.bulk import insert  # the import's bulk writer builds on cases
    from homeward.statistics.models import CaseSpell, CellChange

    CellChange.objects.all().delete()
    spells = CaseSpell.objects.exclude(status__in=FINAL).values(*SPELL_FIELDS).order_by()
    numbers: dict[Cell, int] = {}
    by_day: Counter[int] = Counter()
    for spell in spells.iterator(chunk_size=20000):
        for day, cell, n in spell_changes(spell):
            by_day[day.toordinal() << CELL_BITS | numbers.setdefault(cell, len(numbers))] += n
    named = list(numbers)
    rows = _levels(
        ((date.fromordinal(key >> CELL_BITS), key & CELL_MASK), n) for key, n in by_day.items()
    )
    del by_day
    # In the order a count reads them (a year, months, days): a few pages, not 150k.
    kept = sorted((key, n) for key, n in rows.items() if n)
    for start in range(0, len(kept), FILL_CHUNK):
        insert(
            CellChange,
            [
                {"level": level, "period": period, **dict(zip(CELL, named[number], strict=False)),
                 "bands": named[number][-1], "n": n}
                for (level, period, number), n in kept[start : start + FILL_CHUNK]
            ],
        )  # fmt: skip


CELL_BITS = 24  # at most 16M cells (4,631 open cases' cells at 1M)
CELL_MASK = (1 << CELL_BITS) - 1
FILL_CHUNK = 100_000


# --- reading ------------------------------------------------------------------------------


def holds(by: Iterable[str], bands: Iterable[AgeBand]) -> bool:
    """Whether the cells can count this grouping: not by mission, and in the report's
    bands when grouped by age band or telling the uncertain ages apart (the bands of every
    count: `_Tally` reckons uncertain ages from them)."""
    return "mission" not in by and tuple(bands) == REPORT


def groups(
    day: date, columns: list[str], host: str | None, statuses: tuple[str, ...]
) -> Iterator[dict[str, Any]]:
    """The open cases of `day` by these spell columns and the three bands, summed from
    the cells: the balance of the day's year (or of the last balance year and the years
    from it; or, before the first, the years before the day's), the months of its year
    before its month, the days of its month up to it."""
    year, month = date(day.year, 1, 1), day.replace(day=1)
    params: list[Any]
    if day.year < BALANCES.start:
        opening, params = "(level = %s AND period < %s)", [YEAR, year]
    else:
        since = date(min(day.year, BALANCES.stop - 1), 1, 1)
        opening = "(level = %s AND period = %s) OR (level = %s AND period >= %s AND period < %s)"
        params = [BALANCE, since, YEAR, since, year]
    where = [
        f"({opening} OR (level = %s AND period >= %s AND period < %s) "
        "OR (level = %s AND period >= %s AND period <= %s))"
    ]
    params += [MONTH, year, month, DAY, month, day]
    if host:
        where.append("country = %s")
        params.append(host.upper())
    if statuses:
        where.append(f"status IN ({', '.join(['%s'] * len(statuses))})")
        params += statuses
    grouped = ", ".join([*columns, "bands"])
    # Our own column names only: every value is a parameter.
    sql = (
        f"SELECT {grouped}, SUM(n) FROM statistics_cellchange "  # nosec B608
        f"WHERE {' AND '.join(where)} GROUP BY {grouped} HAVING SUM(n) <> 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            *values, bands, count = row
            yield dict(zip(columns, values, strict=True)) | {"bands": bands, "count": count}
