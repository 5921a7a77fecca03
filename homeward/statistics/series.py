"""Children remaining abroad over time: one count per date, from one pass over the cases.

A child is abroad on a day when the case is open (identified, not closed or ended) and the
child is not yet placed in the home country (the country of the home region). Each case
gives one interval, from its first status to the first of: placed at home, case ended.
Counting the intervals that cover each date is then a matter of two sorted lists.
A child who went home and was later placed abroad again is counted until the first return.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date

from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.status import FINAL


@dataclass(frozen=True)
class Point:
    on: date
    count: int


def abroad_intervals() -> QuerySet[ChildCase]:
    """Each counted case with `opened_on` and `left_on` (home or ended; None: still abroad)."""
    moves = StatusTransition.objects.filter(case=OuterRef("pk")).values("case")
    at_home = Placement.objects.filter(
        case=OuterRef("pk"), country=Substr(OuterRef("home_region"), 1, 2)
    ).values("case")
    return (
        ChildCase.objects.filter(merged_into=None)
        .annotate(
            opened_on=Subquery(moves.annotate(on=Min("effective_on")).values("on")),
            home_on=Subquery(at_home.annotate(on=Min("since")).values("on")),
            ended_on=Subquery(
                moves.filter(to_status__in=FINAL).annotate(on=Min("effective_on")).values("on")
            ),
        )
        .filter(opened_on__isnull=False)
    )


def children_abroad(dates: list[date]) -> list[Point]:
    starts: list[date] = []
    ends: list[date] = []
    rows = abroad_intervals().values_list(  # type: ignore[misc]  # stubs lose annotations
        "opened_on", "home_on", "ended_on"
    )
    for opened, home, ended in rows:
        left = min((d for d in (home, ended) if d is not None), default=None)
        if left is not None and left <= opened:
            continue  # at home from the start: never counted abroad
        starts.append(opened)
        if left is not None:
            ends.append(left)
    starts.sort()
    ends.sort()
    return [
        Point(day, bisect.bisect_right(starts, day) - bisect.bisect_right(ends, day))
        for day in dates
    ]


def month_starts(first: date, last: date) -> list[date]:
    """The first of each month from `first`'s month to `last`, and `last` itself."""
    dates = []
    day = first.replace(day=1)
    while day <= last:
        dates.append(day)
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return dates if dates and dates[-1] == last else [*dates, last]


def default_period(until: date | None = None) -> tuple[date, date]:
    """From the first recorded status to `until` (default today)."""
    first = StatusTransition.objects.aggregate(on=Min("effective_on"))["on"]
    last = until or timezone.localdate()
    return (first or last), last
