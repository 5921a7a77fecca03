"""Counting children: by status, place, region, age band, sex and mission, on any past date.

Status and place on a past date are rebuilt from the status transitions and placement
history, never read from current values, so "as of 2019-01-05" means what it says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.status import FINAL, CaseStatus
from homeward.lib.agebands import REPORT_BANDS, AgeBand, band_for, parse_bands
from homeward.lib.ages import completed_years
from homeward.lib.places import country_name, region_name
from homeward.missions.models import ManifestEntry

DIMENSIONS = ("age-band", "region", "sex", "status", "host", "placement", "mission")

AGE_COUNTING_NOTE = (
    "Ages are counted at the midpoint of each child's possible dates of birth; "
    "{uncertain} of {total} children have an age range that straddles a band boundary."
)


class StatsError(ValueError):
    pass


@dataclass(frozen=True)
class StatsQuery:
    """Which children to count, on what day, and how to group them.

    With `repatriated_on`, the children repatriated that day, aged on that day; otherwise
    the children whose case was open on `as_of` (default today), where they were that day.
    """

    as_of: date | None = None
    repatriated_on: date | None = None
    host: str | None = None
    statuses: tuple[str, ...] = ()
    by: tuple[str, ...] = ()
    bands: tuple[AgeBand, ...] = field(default_factory=lambda: tuple(parse_bands(REPORT_BANDS)))

    def __post_init__(self) -> None:
        unknown = [d for d in self.by if d not in DIMENSIONS]
        if unknown:
            raise StatsError(
                f"Cannot group by {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}."
            )
        bad = [s for s in self.statuses if s not in CaseStatus.values]
        if bad:
            raise StatsError(f"Unknown status {', '.join(bad)}.")
        if self.as_of and self.repatriated_on:
            raise StatsError("Give either an as-of date or a repatriation date, not both.")

    @property
    def day(self) -> date:
        return self.repatriated_on or self.as_of or timezone.localdate()


@dataclass(frozen=True)
class ChildFacts:
    """One child as the statistics see them on the day counted."""

    status: str
    host: str
    placement: str
    region: str
    sex: str
    age: int | None
    youngest: int | None
    oldest: int | None
    mission: str


@dataclass
class StatsResult:
    query: StatsQuery
    rows: list[dict[str, Any]]
    total: int
    youngest: int | None
    oldest: int | None
    uncertain_ages: int
    description: str

    @property
    def age_note(self) -> str:
        return AGE_COUNTING_NOTE.format(uncertain=self.uncertain_ages, total=self.total)

    def as_dict(self) -> dict[str, Any]:
        q = self.query
        return {
            "description": self.description,
            "as_of": (q.as_of or (None if q.repatriated_on else q.day)),
            "repatriated_on": q.repatriated_on,
            "host": q.host,
            "by": list(q.by),
            "rows": self.rows,
            "total": self.total,
            "ages": {"youngest": self.youngest, "oldest": self.oldest},
            "age_counting": self.age_note,
        }


def count_children(query: StatsQuery) -> StatsResult:
    facts = list(_facts(query))
    groups = Counter(tuple(_group_value(f, d, query) for d in query.by) for f in facts)
    rows = [dict(zip(query.by, key, strict=True)) | {"count": n} for key, n in groups.items()]
    rows = _with_empty_bands(rows, query)
    rows.sort(key=lambda row: _sort_key(row, query))
    ages = [f.age for f in facts if f.age is not None]
    return StatsResult(
        query=query,
        rows=rows,
        total=len(facts),
        youngest=min(ages) if ages else None,
        oldest=max(ages) if ages else None,
        uncertain_ages=sum(1 for f in facts if _straddles(f, query.bands)),
        description=describe(query),
    )


def describe(query: StatsQuery) -> str:
    if query.repatriated_on:
        what = f"Children repatriated on {query.repatriated_on}"
    else:
        what = f"Children with an open case as of {query.day}"
    if query.host:
        what += f", in {country_name(query.host)}"
    if query.statuses:
        what += f", status {', '.join(query.statuses)}"
    return what + (f", by {', '.join(query.by)}" if query.by else "")


def _facts(query: StatsQuery) -> Iterator[ChildFacts]:
    day = query.day
    cases = _cases_on(day, query)
    missions = _missions_by_case(query)
    for row in cases.values(  # type: ignore[misc]  # the stubs lose annotations across calls
        "pk",
        "day_status",
        "day_country",
        "day_facility",
        "home_region",
        "child__sex",
        "child__birth_earliest",
        "child__birth_latest",
        "child__birth_midpoint",
    ):
        status = row["day_status"]
        if query.statuses and status not in query.statuses:
            continue
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
    last_move = StatusTransition.objects.filter(case=OuterRef("pk"), effective_on__lte=day)
    last_place = Placement.objects.filter(case=OuterRef("pk"), since__lte=day)
    # A duplicate merged into another case is one child: count it once.
    cases = (
        ChildCase.objects.filter(merged_into=None)
        .annotate(
            day_status=Subquery(last_move.order_by("-effective_on", "-id").values("to_status")[:1]),
            day_country=Subquery(last_place.order_by("-since", "-id").values("country")[:1]),
            day_facility=Subquery(last_place.order_by("-since", "-id").values("facility_kind")[:1]),
        )
        .filter(day_status__isnull=False)
    )
    if query.repatriated_on:
        arrived = StatusTransition.objects.filter(
            to_status=CaseStatus.REPATRIATED, effective_on=query.repatriated_on
        ).values("case_id")
        cases = cases.filter(pk__in=arrived)
    else:
        cases = cases.exclude(day_status__in=FINAL)
    if query.host:
        cases = cases.filter(day_country=query.host.upper())
    return cases


def _missions_by_case(query: StatsQuery) -> dict[int, str]:
    if "mission" not in query.by:
        return {}
    return dict(ManifestEntry.objects.values_list("case_id", "mission__code"))


def _age(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return completed_years(born, on)


def _straddles(facts: ChildFacts, bands: Iterable[AgeBand]) -> bool:
    if facts.youngest is None or facts.oldest is None:
        return False
    band_list = list(bands)
    return band_for(facts.youngest, band_list) != band_for(facts.oldest, band_list)


def _group_value(facts: ChildFacts, dimension: str, query: StatsQuery) -> str:
    if dimension == "age-band":
        return band_for(facts.age, list(query.bands)) or "unknown"
    value: str = {
        "region": facts.region,
        "sex": facts.sex,
        "status": facts.status,
        "host": facts.host,
        "placement": facts.placement,
        "mission": facts.mission,
    }[dimension]
    return value or "unknown"


def _with_empty_bands(rows: list[dict[str, Any]], query: StatsQuery) -> list[dict[str, Any]]:
    """Age bands are a fixed list: a band with no child is shown as 0, not left out."""
    if query.by != ("age-band",):
        return rows
    present = {row["age-band"] for row in rows}
    return rows + [{"age-band": b.label, "count": 0} for b in query.bands if b.label not in present]


def _sort_key(row: dict[str, Any], query: StatsQuery) -> tuple[Any, ...]:
    band_order = {b.label: i for i, b in enumerate(query.bands)}
    key: list[Any] = []
    for dimension in query.by:
        value = row[dimension]
        if dimension == "age-band":
            key.append((band_order.get(value, len(band_order)), value))
        else:
            key.append((-row["count"], value) if len(query.by) == 1 else (0, value))
    return tuple(key)


def label(dimension: str, value: str) -> str:
    """A value as a person reads it: "RU-DA Dagestan, Respublika", "Iraq"."""
    if value == "unknown":
        return value
    if dimension == "region":
        return f"{value} {region_name(value)}"
    if dimension == "host":
        return f"{value} {country_name(value)}"
    if dimension == "status":
        return str(CaseStatus(value).label)
    return value
