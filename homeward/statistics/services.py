"""Counting children: by status, place, region, age band, sex and mission, on any past date,
or as flows between two dates (repatriated, placed, closed).

Status and place on a past date are rebuilt from the status transitions and placement
history, never read from current values, so "as of 2019-01-05" means what it says. A flow
counts each child once, aged on the first day in the period the case reached the flow's
status, with the status and place the case had at the end of the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.status import FINAL, CaseStatus
from homeward.lib.agebands import REPORT_BANDS, AgeBand, band_for, parse_bands
from homeward.lib.ages import completed_years
from homeward.lib.places import country_name, region_name
from homeward.missions.models import ManifestEntry

DIMENSIONS = ("age-band", "region", "sex", "status", "host", "placement", "mission")

# A flow: the children whose case reached one of these statuses within a period.
FLOWS: dict[str, tuple[str, ...]] = {
    "repatriated": (CaseStatus.REPATRIATED,),
    "placed": (CaseStatus.PLACED,),
    "closed": tuple(FINAL),
}

# How a child whose possible ages fall in two bands is counted.
MIDPOINT = "midpoint"
SEPARATE = "separate"
AGE_COUNTINGS = (MIDPOINT, SEPARATE)
UNCERTAIN = "uncertain"  # the age-band row of children counted apart

AGE_COUNTING_NOTE = (
    "Ages are counted at the midpoint of each child's possible dates of birth; "
    "{uncertain} of {total} children have an age range that straddles a band boundary."
)
SEPARATE_AGE_NOTE = (
    "Children whose possible ages fall in more than one band ({uncertain} of {total}) are "
    "counted in a separate row, 'uncertain'; the others at the midpoint of their possible "
    "dates of birth."
)


class StatsError(ValueError):
    pass


# The earliest day a count may be asked for: before it no child of the programme was
# born; nor is there a count of a day still to come.
FIRST_DAY = date(1900, 1, 1)


def check_day(day: date | None, what: str, today: date | None = None) -> None:
    """Refuse a day outside the programme's time (0001-01-01, 9999-12-31): a count of it
    means nothing, and reckoning ages and months from it runs off the calendar."""
    last = today or timezone.localdate()
    if day is not None and not FIRST_DAY <= day <= last:
        raise StatsError(f"{what}: give a day from {FIRST_DAY} to {last}, not {day}.")


# The days a query may name, and how a person calls them.
DAYS = (
    ("as_of", "As of"),
    ("repatriated_on", "Repatriated on"),
    ("flow_from", "From"),
    ("flow_to", "To"),
)


@dataclass(frozen=True)
class StatsQuery:
    """Which children to count, on what day, and how to group them.

    With `repatriated_on`, the children repatriated that day, aged on that day; with a
    `flow` (repatriated, placed, closed) and a period `flow_from` to `flow_to` (both
    included), the children whose case got there in the period, aged on that day;
    otherwise the children whose case was open on `as_of` (default today), where they were
    that day. `age_counting` says how a child whose age range straddles two bands is
    counted: at the midpoint, or in a separate "uncertain" row.
    """

    as_of: date | None = None
    repatriated_on: date | None = None
    host: str | None = None
    statuses: tuple[str, ...] = ()
    by: tuple[str, ...] = ()
    bands: tuple[AgeBand, ...] = field(default_factory=lambda: tuple(parse_bands(REPORT_BANDS)))
    flow: str | None = None
    flow_from: date | None = None
    flow_to: date | None = None
    age_counting: str = MIDPOINT

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
        for day, what in DAYS:
            check_day(getattr(self, day), what)
        self._check_flow()
        if self.age_counting not in AGE_COUNTINGS:
            raise StatsError(
                f"Count uncertain ages by {' or '.join(AGE_COUNTINGS)}, not {self.age_counting!r}."
            )

    def _check_flow(self) -> None:
        if self.flow is None:
            if self.flow_from or self.flow_to:
                raise StatsError("A period (from, to) needs a flow: repatriated, placed or closed.")
            return
        if self.flow not in FLOWS:
            raise StatsError(f"Unknown flow {self.flow!r}; choose from {', '.join(FLOWS)}.")
        if self.as_of or self.repatriated_on:
            raise StatsError("Give a flow with its period, or an as-of date, not both.")
        if not self.flow_from or not self.flow_to:
            raise StatsError(f"The {self.flow} flow needs both dates: from and to.")
        if self.flow_from > self.flow_to:
            raise StatsError("The period ends before it starts (from is after to).")

    @property
    def window(self) -> tuple[tuple[str, ...], date, date] | None:
        """The flow's statuses and period, if this query counts a flow."""
        if self.repatriated_on:
            return FLOWS["repatriated"], self.repatriated_on, self.repatriated_on
        if self.flow and self.flow_from and self.flow_to:
            return FLOWS[self.flow], self.flow_from, self.flow_to
        return None

    @property
    def day(self) -> date:
        return self.repatriated_on or self.flow_to or self.as_of or timezone.localdate()


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
        note = SEPARATE_AGE_NOTE if self.query.age_counting == SEPARATE else AGE_COUNTING_NOTE
        return note.format(uncertain=self.uncertain_ages, total=self.total)

    def as_dict(self) -> dict[str, Any]:
        q = self.query
        return {
            "description": self.description,
            "as_of": (q.as_of or (None if q.repatriated_on else q.day)),
            "repatriated_on": q.repatriated_on,
            "flow": ({"kind": q.flow, "from": q.flow_from, "to": q.flow_to} if q.flow else None),
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
    elif query.flow:
        what = f"Children {query.flow} from {query.flow_from} to {query.flow_to}"
    else:
        what = f"Children with an open case as of {query.day}"
    if query.host:
        what += f", in {country_name(query.host)}"
    if query.statuses:
        what += f", status {', '.join(query.statuses)}"
    return what + (f", by {', '.join(query.by)}" if query.by else "")


def _facts(query: StatsQuery) -> Iterator[ChildFacts]:
    cases = _cases_on(query.day, query)
    missions = _missions_by_case(query)
    event_days = _event_days(query)
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
    """Open cases on `day` with their status and place that day; for a flow, the cases
    that reached the flow's status in the period, with their status and place at its end."""
    window = query.window
    # A duplicate merged into another case is one child: count it once.
    cases = ChildCase.objects.filter(merged_into=None)
    if window:
        statuses, start, end = window
        cases = cases.filter(pk__in=_reached(statuses, start, end).values("case_id"))
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


def _reached(statuses: tuple[str, ...], start: date, end: date) -> QuerySet[StatusTransition]:
    return StatusTransition.objects.filter(to_status__in=statuses, effective_on__range=(start, end))


def _event_days(query: StatsQuery) -> dict[int, date]:
    """For a flow, the first day in the period each case reached the flow's status."""
    if not query.window:
        return {}
    reached = _reached(*query.window).values("case_id").annotate(on=Min("effective_on"))
    return {row["case_id"]: row["on"] for row in reached}


def _missions_by_case(query: StatsQuery) -> dict[int, str]:
    if "mission" not in query.by:
        return {}
    # The mission a child flew on: not one they were taken off, nor one they missed.
    flown = ManifestEntry.objects.filter(removed_at=None).exclude(travelled=False)
    return dict(flown.order_by("id").values_list("case_id", "mission__code"))


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
        if query.age_counting == SEPARATE and _straddles(facts, query.bands):
            return UNCERTAIN
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
    labels = [b.label for b in query.bands] + (
        [UNCERTAIN] if query.age_counting == SEPARATE else []
    )
    return rows + [{"age-band": b, "count": 0} for b in labels if b not in present]


def _sort_key(row: dict[str, Any], query: StatsQuery) -> tuple[Any, ...]:
    band_order = {b.label: i for i, b in enumerate(query.bands)} | {UNCERTAIN: len(query.bands)}
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
    if dimension == "age-band" and value == UNCERTAIN:
        return "uncertain (age range straddles a band)"
    if dimension == "region":
        return f"{value} {region_name(value)}"
    if dimension == "host":
        return f"{value} {country_name(value)}"
    if dimension == "status":
        return str(CaseStatus(value).label)
    return value
