"""Children remaining abroad over time: one count per date, from one pass over the cases.

A child is abroad on a day when the case is open (identified, not closed or ended) and the
child is not yet placed in the home country (the country of the home region). Each case
gives one interval, from its first status to the first of: placed at home, case ended.
Each case's interval is kept on its first spell (`statistics.spells`), and the number of
them beginning and ending on each day in the day totals (`DayTotal`); counting those
that cover each date is then a matter of running sums.
A child who went home and was later placed abroad again is counted until the first return.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

from homeward.cases.models import committing_imports
from homeward.statistics.models import CaseSpell, DayTotal
from homeward.statistics.services import shown


@dataclass(frozen=True)
class Point:
    on: date
    count: int


def children_abroad(dates: list[date]) -> list[Point]:
    """How many children were abroad on each date: the stays that began by then, less
    those that had ended by then, from the day totals (`DayTotal`); while an import
    commits, from the spells without its cases."""
    if committing_imports().exists():
        return _abroad_from_spells(dates)
    abroad = _running(_abroad_by_day())
    return [Point(day, _up_to(abroad, day)) for day in dates]


def _abroad_by_day() -> list[tuple[date, int]]:
    """How many more children were abroad at the end of each day than before it, from
    one read of the day totals without the ORM's conversion of each row (issue 21: two
    reads of ~3,600 rows were a fifth of the statistics page's CPU at 100k)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT day, abroad_from - abroad_until FROM {DayTotal._meta.db_table} "  # nosec B608
            "WHERE abroad_from <> 0 OR abroad_until <> 0"
        )
        rows = cursor.fetchall()
    # SQLite gives the day as text.
    return [(date.fromisoformat(day) if isinstance(day, str) else day, n) for day, n in rows]


def _abroad_from_spells(dates: list[date]) -> list[Point]:
    spells = shown(CaseSpell.objects.order_by())
    starts = _running(
        spells.filter(abroad_from__isnull=False).values_list("abroad_from").annotate(n=Count("*"))
    )
    ends = _running(
        spells.filter(abroad_until__isnull=False).values_list("abroad_until").annotate(n=Count("*"))
    )
    return [Point(day, _up_to(starts, day) - _up_to(ends, day)) for day in dates]


def _running(counts: Iterable[tuple[date, int]]) -> tuple[list[date], list[int]]:
    """Days in order, with how many spells began (or ended) by each."""
    days, totals, total = [], [], 0
    for day, n in sorted(counts):
        total += n
        days.append(day)
        totals.append(total)
    return days, totals


def _up_to(running: tuple[list[date], list[int]], day: date) -> int:
    days, totals = running
    at = bisect.bisect_right(days, day)
    return totals[at - 1] if at else 0


def month_starts(first: date, last: date) -> list[date]:
    """The first of each month from `first`'s month to `last`, and `last` itself."""
    dates = []
    day = first.replace(day=1)
    while day <= last:
        dates.append(day)
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return dates if dates and dates[-1] == last else [*dates, last]


def default_period(until: date | None = None) -> tuple[date, date]:
    """From the first recorded status of a counted case to `until` (default today)."""
    first = DayTotal.objects.filter(opened__gt=0).aggregate(on=Min("day"))["on"]
    last = until or timezone.localdate()
    return (first or last), last
