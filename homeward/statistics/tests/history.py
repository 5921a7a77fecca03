"""The figures rebuilt from the history itself, case by case in the database, as the
statistics were counted before they had spells: the reference the spells are checked
against (`test_spells.py`)."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator
from datetime import date

from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr

from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.status import FINAL
from homeward.missions.models import ManifestEntry
from homeward.statistics.services import (
    ChildFacts,
    StatsQuery,
    StatsResult,
    _age,
    _event_days,
    _group_value,
    _reached,
    _result,
    _straddles,
)


def count_from_history(query: StatsQuery) -> StatsResult:
    facts = list(_facts(query))
    groups = Counter(tuple(_group_value(f, d, query) for d in query.by) for f in facts)
    ages = [f.age for f in facts if f.age is not None]
    return _result(
        query,
        groups,
        total=len(facts),
        youngest=min(ages) if ages else None,
        oldest=max(ages) if ages else None,
        uncertain=sum(1 for f in facts if _straddles(f, query.bands)),
    )


def _facts(query: StatsQuery) -> Iterator[ChildFacts]:
    cases = _cases_on(query.day, query)
    flown = ManifestEntry.objects.filter(removed_at=None).exclude(travelled=False)
    missions = dict(flown.order_by("id").values_list("case_id", "mission__code"))
    event_days = _event_days(query)
    for row in cases.values(  # type: ignore[misc]
        "pk", "day_status", "day_country", "day_facility", "home_region", "child__sex",
        "child__birth_earliest", "child__birth_latest", "child__birth_midpoint",
    ):  # fmt: skip
        status = row["day_status"]
        if query.statuses and status not in query.statuses:
            continue
        day = event_days.get(row["pk"], query.day)
        yield ChildFacts(
            status=status,
            host=row["day_country"] or "",
            placement=row["day_facility"] or "",
            region=row["home_region"],
            sex=row["child__sex"],
            age=_age(row["child__birth_midpoint"], day),
            youngest=_age(row["child__birth_latest"], day),
            oldest=_age(row["child__birth_earliest"], day),
            mission=missions.get(row["pk"], ""),
        )


def _cases_on(day: date, query: StatsQuery) -> QuerySet[ChildCase]:
    window = query.window
    cases = ChildCase.objects.filter(merged_into=None)
    if window:
        cases = cases.filter(pk__in=_reached(*window).values("case_id"))
    last_move = StatusTransition.objects.filter(case=OuterRef("pk"), effective_on__lte=day)
    last_place = Placement.objects.filter(case=OuterRef("pk"), since__lte=day)
    cases = cases.annotate(
        day_status=Subquery(last_move.order_by("-effective_on", "-id").values("to_status")[:1]),
        day_country=Subquery(last_place.order_by("-since", "-id").values("country")[:1]),
        day_facility=Subquery(last_place.order_by("-since", "-id").values("facility_kind")[:1]),
    ).filter(day_status__isnull=False)
    if not window:
        cases = cases.exclude(day_status__in=FINAL)
    if query.host:
        cases = cases.filter(day_country=query.host.upper())
    return cases


def abroad_from_history(dates: list[date]) -> list[int]:
    moves = StatusTransition.objects.filter(case=OuterRef("pk")).values("case")
    at_home = Placement.objects.filter(
        case=OuterRef("pk"), country=Substr(OuterRef("home_region"), 1, 2)
    ).values("case")
    rows = (
        ChildCase.objects.filter(merged_into=None)
        .annotate(
            opened_on=Subquery(moves.annotate(on=Min("effective_on")).values("on")),
            home_on=Subquery(at_home.annotate(on=Min("since")).values("on")),
            ended_on=Subquery(
                moves.filter(to_status__in=FINAL).annotate(on=Min("effective_on")).values("on")
            ),
        )
        .filter(opened_on__isnull=False)
        .values_list("opened_on", "home_on", "ended_on")
    )
    starts, ends = [], []
    for opened, home, ended in rows:
        left = min((d for d in (home, ended) if d is not None), default=None)
        if left is not None and left <= opened:
            continue
        starts.append(opened)
        if left is not None:
            ends.append(left)
    starts.sort()
    ends.sort()
    return [bisect.bisect_right(starts, d) - bisect.bisect_right(ends, d) for d in dates]
