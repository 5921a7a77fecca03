"""Counting children: by status, place, region, age band, sex and mission, on any past date,
or as flows between two dates (repatriated, placed, closed).

Status and place on a past date come from the status transitions and placement history,
never from current values, so "as of 2019-01-05" means what it says. The history is kept
cut into spells (`statistics.models.CaseSpell`, rebuilt by the services on every change),
so that a day's count is one grouped query over the spells covering that day. A flow
counts each child once, aged on the first day in the period the case reached the flow's
status, with the status and place the case had at the end of the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Expression,
    ExpressionWrapper,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.cases.models import ChildCase, FacilityKind, StatusTransition, committing_imports
from homeward.cases.status import FINAL, CaseStatus
from homeward.lib.agebands import REPORT_BANDS, AgeBand, band_for, band_name, parse_bands
from homeward.lib.ages import completed_years, years_before
from homeward.lib.i18n import format_day
from homeward.lib.places import country_name, region_name
from homeward.people.models import Sex
from homeward.refusals import Refusal
from homeward.statistics import cells
from homeward.statistics.models import COUNTED, FLOWS, CaseReach, CaseSpell

DIMENSIONS = ("age-band", "region", "sex", "status", "host", "placement", "mission")
DIMENSION_NAMES = {
    "age-band": gettext_lazy("Age band"),
    "region": gettext_lazy("Home region"),
    "sex": gettext_lazy("Sex"),
    "status": gettext_lazy("Case status"),
    "host": gettext_lazy("Host country"),
    "placement": gettext_lazy("Placement"),
    "mission": gettext_lazy("Mission"),
}

FLOW_NAMES = {
    "repatriated": gettext_lazy("repatriated"),
    "placed": gettext_lazy("placed"),
    "closed": gettext_lazy("whose case closed"),
}

# How a child whose possible ages fall in two bands is counted.
MIDPOINT = "midpoint"
SEPARATE = "separate"
AGE_COUNTINGS = (MIDPOINT, SEPARATE)
UNCERTAIN = "uncertain"  # the age-band row of children counted apart

AGE_COUNTING_NOTE = gettext_lazy(
    "Ages are counted at the midpoint of each child's possible dates of birth; "
    "%(uncertain)s of %(total)s children have an age range that straddles a band boundary."
)
SEPARATE_AGE_NOTE = gettext_lazy(
    "Children whose possible ages fall in more than one band (%(uncertain)s of %(total)s) "
    "are counted in a separate row, “uncertain”; the others at the midpoint of their "
    "possible dates of birth."
)


class StatsError(Refusal):
    """A count refused: a grouping, a status, a day or a period it cannot be made of."""


# The earliest day a count may be asked for: before it no child of the programme was
# born; nor is there a count of a day still to come.
FIRST_DAY = date(1900, 1, 1)


def check_day(day: date | None, what: str, today: date | None = None) -> None:
    """Refuse a day outside the programme's time (0001-01-01, 9999-12-31): a count of it
    means nothing, and reckoning ages and months from it runs off the calendar."""
    last = today or timezone.localdate()
    if day is not None and not FIRST_DAY <= day <= last:
        raise StatsError(
            _("%(what)s: give a day from %(first_day)s to %(last)s, not %(day)s.")
            % {"what": what, "first_day": FIRST_DAY, "last": last, "day": day}
        )


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
                _("Cannot group by %(join)s; choose from %(join2)s.")
                % {"join": ", ".join(unknown), "join2": ", ".join(DIMENSIONS)}
            )
        bad = [s for s in self.statuses if s not in CaseStatus.values]
        if bad:
            raise StatsError(_("Unknown status %(join)s.") % {"join": ", ".join(bad)})
        if self.as_of and self.repatriated_on:
            raise StatsError(_("Give either an as-of date or a repatriation date, not both."))
        for day, what in DAYS:
            check_day(getattr(self, day), what)
        self._check_flow()
        if self.age_counting not in AGE_COUNTINGS:
            raise StatsError(
                _("Count uncertain ages by %(join)s, not %(age_counting)r.")
                % {"join": " or ".join(AGE_COUNTINGS), "age_counting": self.age_counting}
            )

    def _check_flow(self) -> None:
        if self.flow is None:
            if self.flow_from or self.flow_to:
                raise StatsError(
                    _("A period (from, to) needs a flow: repatriated, placed or closed.")
                )
            return
        if self.flow not in FLOWS:
            raise StatsError(
                _("Unknown flow %(flow)r; choose from %(join)s.")
                % {"flow": self.flow, "join": ", ".join(FLOWS)}
            )
        if self.as_of or self.repatriated_on:
            raise StatsError(_("Give a flow with its period, or an as-of date, not both."))
        if not self.flow_from or not self.flow_to:
            raise StatsError(
                _("The %(flow)s flow needs both dates: from and to.") % {"flow": self.flow}
            )
        if self.flow_from > self.flow_to:
            raise StatsError(_("The period ends before it starts (from is after to)."))

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
        return str(note) % {"uncertain": self.uncertain_ages, "total": self.total}

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
    """The children the query selects, grouped: counted in the database over the spells
    that cover the day (`statistics.models.CaseSpell`), or for a flow over the days its
    cases reached its status (`CaseReach`), each child aged on its own day."""
    (result,) = count_children_by(query, query.by)
    return result


def count_children_by(query: StatsQuery, *groupings: tuple[str, ...]) -> list[StatsResult]:
    """The query's children grouped in each of these ways (a result per grouping, as
    `count_children` of the query grouped so gives it), from one count in the database
    grouped by all their dimensions at once: a page's table and its charts read the
    spells once."""
    every = tuple(dict.fromkeys(d for by in groupings for d in by))
    counted = replace(query, by=every)
    tallies = [_Tally(replace(query, by=by)) for by in groupings]
    from_cells = not query.window and reads_cells(counted)
    if query.window:
        groups = _flow_groups(counted)
    else:
        groups = _cell_groups(counted) if from_cells else _day_groups(counted)
    born = False  # whether any child counted has a known middle birth by the day
    for group in groups:
        born = born or group["bands"].split(SEP)[0] != NO_AGE
        for tally in tallies:
            tally.add(group)
    if from_cells:
        # Without such a child, the births' index would be read to its end for nothing.
        births = _births(counted) if born else (None, None)
        for tally in tallies:
            tally.born_last, tally.born_first = births
    return [tally.result() for tally in tallies]


def reads_cells(query: StatsQuery) -> bool:
    """Whether this day's count is summed from the cells kept per day (`statistics.cells`):
    not by mission, in the report's bands, and not while an import is committing (the
    cells hold its cases already; the spells can leave them out)."""
    return cells.holds(query.by, query.bands) and not committing_imports().exists()


def _cell_groups(query: StatsQuery) -> Iterator[dict[str, Any]]:
    """As `_day_groups`, summed from the cells (without the births, `_births`)."""
    columns = [COLUMNS[d] for d in query.by if d != "age-band"]
    return cells.groups(query.day, columns, query.host, query.statuses)


def _births(query: StatsQuery) -> tuple[date | None, date | None]:
    """The latest and the earliest middle birth of the children counted on the day (born
    by then): the first spell covering the day, each way, along the open cases' spells
    ordered by birth (`statistics_spell_births`). About one spell in ten covers any day,
    so each reads a few dozen entries, not the day's ~500k."""
    day = query.day
    spells = CaseSpell.objects.filter(
        _not_ended(),
        Q(ends_on=None) | Q(ends_on__gt=_Day(day)),
        birth_midpoint__lte=_Day(day),
        starts_on__lte=_Day(day),
    )
    if query.host:
        spells = spells.filter(country=query.host.upper())
    if query.statuses:
        spells = spells.filter(status__in=query.statuses)
    births = spells.values_list("birth_midpoint", flat=True)
    return births.order_by("-birth_midpoint").first(), births.order_by("birth_midpoint").first()


def _result(
    query: StatsQuery,
    groups: Counter[tuple[str, ...]],
    *,
    total: int,
    youngest: int | None,
    oldest: int | None,
    uncertain: int,
) -> StatsResult:
    rows = [dict(zip(query.by, key, strict=True)) | {"count": n} for key, n in groups.items()]
    rows = _with_empty_bands(rows, query)
    rows.sort(key=lambda row: _sort_key(row, query))
    return StatsResult(
        query=query,
        rows=rows,
        total=total,
        youngest=youngest,
        oldest=oldest,
        uncertain_ages=uncertain,
        description=describe(query),
    )


def describe(query: StatsQuery) -> str:
    """What the table counts, in the active language: "Children with an open case as of
    2019-01-05, in Iraq, by age band"."""
    if query.repatriated_on:
        what = _("Children repatriated on %(day)s") % {"day": format_day(query.repatriated_on)}
    elif query.flow:
        assert query.flow_from is not None and query.flow_to is not None
        what = _("Children %(flow)s from %(start)s to %(end)s") % {
            "flow": FLOW_NAMES[query.flow],
            "start": format_day(query.flow_from),
            "end": format_day(query.flow_to),
        }
    else:
        what = _("Children with an open case as of %(day)s") % {"day": format_day(query.day)}
    if query.host:
        what += _(", in %(country)s") % {"country": country_name(query.host)}
    if query.statuses:
        names = ", ".join(str(CaseStatus(s).label).lower() for s in query.statuses)
        what += _(", status %(statuses)s") % {"statuses": names}
    if query.by:
        names = ", ".join(str(DIMENSION_NAMES[d]).lower() for d in query.by)
        what += _(", by %(dimensions)s") % {"dimensions": names}
    return what


# The spell's column for each dimension but the age band, which depends on the day.
COLUMNS = {
    "region": "home_region",
    "sex": "sex",
    "status": "status",
    "host": "country",
    "placement": "facility_kind",
    "mission": "mission",
}
NO_AGE = "-"  # a band's value when the age is not known that day
SEP = "|"  # between the bands of one group (no band's label holds it)


Counted = TypeVar("Counted", CaseSpell, CaseReach)


def covering(day: date) -> list[QuerySet[CaseSpell]]:
    """The spells of the day (each counted case's status and place at the end of `day`),
    in two parts that each read one index: the ended spells of the day's year, and the
    spells still running."""
    ended = CaseSpell.objects.filter(year=day.year, starts_on__lte=_Day(day), ends_on__gt=_Day(day))
    running = CaseSpell.objects.filter(ends_on=None, starts_on__lte=_Day(day))
    return [shown(ended), shown(running)]


def shown(spells: QuerySet[Counted]) -> QuerySet[Counted]:
    """Without the cases an import is still writing (as everyone sees cases), which only
    costs a condition while an import is committing."""
    if not committing_imports().exists():
        return spells
    hidden = ChildCase.every.filter(import_batch__in=committing_imports()).values("pk")
    return spells.exclude(case_id__in=hidden)


def _day_groups(query: StatsQuery) -> Iterator[dict[str, Any]]:
    """Open cases on the day, counted in the database by the query's dimensions and by the
    age bands of the child's middle, latest and earliest possible birth dates (for the
    age-band row and for the children whose range straddles a band)."""
    day = query.day
    bands = list(query.bands)
    columns = [COLUMNS[d] for d in query.by if d != "age-band"]
    for spells in covering(day):
        spells = spells.filter(_not_ended())
        if query.host:
            spells = spells.filter(country=query.host.upper())
        if query.statuses:
            spells = spells.filter(status__in=query.statuses)
        # The three bands in one whole number (`_BandCode`): cheaper to reckon and to group
        # by than three CASEs of text joined, the half of a count's time on SQLite.
        code = _BandCode(day, bands)
        for group in (
            spells.annotate(band_code=code.expression())
            .values(*columns, "band_code")
            .annotate(
                count=Count("*"),
                # Of every birth in the group: `_Tally` leaves out those of children
                # not born by the day, whose middle band is NO_AGE.
                born_first=Min("birth_midpoint"),
                born_last=Max("birth_midpoint"),
            )
            .order_by()
        ):
            group["bands"] = code.bands(group.pop("band_code"))
            yield group


class _BandCode:
    """The bands of a child's middle, latest and earliest possible birth on `day`, as one
    whole number the database reckons from plain comparisons: for each birth, how many of
    the band edges (the days on which an age begins or ends a band, and `day` itself, in
    descending order) it falls on or before. Between two edges every birth is in the same
    band, so that number names its band (NO_AGE when unknown or not born by `day`, ""
    when in no band)."""

    BIRTHS = ("birth_midpoint", "birth_latest", "birth_earliest")

    def __init__(self, day: date, bands: list[AgeBand]) -> None:
        edges = {day}
        for band in bands:
            edges.add(years_before(day, band.youngest))
            if band.oldest is not None:
                edges.add(years_before(day, band.oldest + 1))
        self.edges = sorted((edge for edge in edges if edge <= day), reverse=True)
        self.base = len(self.edges) + 1
        # The band of a birth past `position` edges: that of the last edge it is on or before.
        self.names = [NO_AGE] + [_band_on(edge, day, bands) for edge in self.edges]

    def expression(self) -> Any:
        code: Any = Value(0)
        for birth in self.BIRTHS:
            passed: Any = Value(0)
            for edge in self.edges:
                passed = passed + Cast(
                    ExpressionWrapper(
                        Q(**{f"{birth}__lte": _Day(edge)}), output_field=BooleanField()
                    ),
                    IntegerField(),
                )
            # An unknown birth compares as NULL: no edge passed.
            code = code * self.base + Coalesce(passed, Value(0))
        return ExpressionWrapper(code, output_field=IntegerField())

    def bands(self, code: int) -> str:
        names = []
        for _field in self.BIRTHS:
            code, position = divmod(code, self.base)
            names.append(self.names[position])
        return SEP.join(reversed(names))


def _not_ended() -> RawSQL:
    """The spells of open cases, with the ending statuses written into the SQL as the
    running spells' partial index has them: SQLite cannot tell that a condition on passed
    values implies the index's, and scanned every spell's entry in the other index instead
    (207 against 85 ms CPU at 100k). Our own constants only."""
    statuses = ", ".join(f"'{status}'" for status in FINAL)
    return RawSQL(
        f'NOT ("statistics_casespell"."status" IN ({statuses}))',  # nosec B611
        (),
        output_field=BooleanField(),
    )


class _Day(Expression):
    """A day written into the SQL rather than passed beside it: SQLite compares a date
    column with a passed value at several times the cost of a written one (264 against
    91 ms CPU for the twelve comparisons a row of 52k running spells). A date object's
    own ISO form: no text from outside reaches the SQL."""

    output_field = DateField()

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        literal = f"'{date.isoformat(self.day)}'"
        return (f"{literal}::date" if connection.vendor == "postgresql" else literal), []


def _band_on(born: date, day: date, bands: list[AgeBand]) -> str:
    """The band on `day` of someone born on `born` (by `day`), "" when in no band: age `n`
    or more means born on or before the same day `n` years earlier (`completed_years`)."""
    for band in bands:
        if born <= years_before(day, band.youngest) and (
            band.oldest is None or born > years_before(day, band.oldest + 1)
        ):
            return band.label
    return ""


class _Tally:
    """Adds up the database's groups into the query's rows and the result's totals."""

    def __init__(self, query: StatsQuery) -> None:
        self.query = query
        self.groups: Counter[tuple[str, ...]] = Counter()
        self.total = self.uncertain = 0
        self.born_first: date | None = None
        self.born_last: date | None = None
        # A flow's groups bring their ages, reckoned on each child's own day.
        self.ages: list[int] = []

    def add(self, group: dict[str, Any]) -> None:
        n = group["count"]
        middle, youngest, oldest = group["bands"].split(SEP)
        straddles = NO_AGE not in (youngest, oldest) and youngest != oldest
        key = tuple(self._value(group, d, middle, straddles) for d in self.query.by)
        self.groups[key] += n
        self.total += n
        self.uncertain += n if straddles else 0
        if group.get("born_first") is not None and middle != NO_AGE:
            self.born_first = min(self.born_first or group["born_first"], group["born_first"])
            self.born_last = max(self.born_last or group["born_last"], group["born_last"])
        if group.get("age_min") is not None:
            self.ages += [group["age_min"], group["age_max"]]

    def _value(self, group: dict[str, Any], dimension: str, middle: str, straddles: bool) -> str:
        if dimension != "age-band":
            return group[COLUMNS[dimension]] or "unknown"
        if self.query.age_counting == SEPARATE and straddles:
            return UNCERTAIN
        return middle if middle not in ("", NO_AGE) else "unknown"

    def result(self) -> StatsResult:
        day = self.query.day
        return _result(
            self.query,
            self.groups,
            total=self.total,
            youngest=min(self.ages) if self.ages else _age(self.born_last, day),
            oldest=max(self.ages) if self.ages else _age(self.born_first, day),
            uncertain=self.uncertain,
        )


# What a flow reads of the spell at the period's end; the rest is on its reaches.
AT_END = ("status", "host", "placement")


def _flow_groups(query: StatsQuery) -> Iterator[dict[str, Any]]:
    """A flow's children counted in the database, in the groups `_Tally` adds up: each
    case's reach of the flow's status on its first day in the period (`CaseReach`), on
    which its ages are reckoned; joined to its spell at the end of the period only when
    the query groups or filters by what that spell says (status, host, placement)."""
    assert query.window is not None
    statuses, start, end = query.window
    kind = next(k for k, v in FLOWS.items() if v == statuses)
    reaches = shown(
        CaseReach.objects.filter(flow=kind, reached_on__range=(start, end)).filter(
            Q(previous_on=None) | Q(previous_on__lt=start)
        )
    )
    columns = [COLUMNS[d] for d in query.by if d != "age-band"]
    at_end = any(d in AT_END for d in query.by) or query.host or query.statuses
    lateral = at_end and connection.vendor == "postgresql"
    if at_end and not lateral:
        reaches = _with_spell_at(reaches, end)
    reaches_sql, params = reaches.values("case_id", "reached_on", *REACH_COPIED, *(
        ["spell_id"] if at_end and not lateral else []
    )).order_by().query.sql_with_params()  # fmt: skip
    joined = ""
    if lateral:
        joined, lateral_params = _spell_at_end(query)
        params = (*params, *lateral_params)
    elif at_end:
        spells_sql, spells_params = _spells_at(query).values("id", *COUNTED).query.sql_with_params()
        joined = f"JOIN ({spells_sql}) s ON s.id = r.spell_id"
        params += spells_params
    picked = [f"{'s' if c in AT_END_COLUMNS else 'r'}.{c}" for c in columns]
    picked += [f"{_age_sql(f'r.{b}', 'r.reached_on')} AS age_{b}" for b in BIRTHS]
    # Grouped by the ages themselves (a few dozen values), which the bands then sort.
    grouped = ", ".join([*(f"a.{c}" for c in columns), *(f"a.age_{b}" for b in BIRTHS)])
    # Only the ORM's own SQL and our column names: every value is a parameter.
    sql = (
        f"SELECT {grouped}, COUNT(*) FROM (SELECT {', '.join(picked)} "  # nosec B608
        f"FROM ({reaches_sql}) r {joined}) a GROUP BY {grouped}"
    )
    bands = list(query.bands)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            *values, middle, latest, earliest, count = row
            yield dict(zip(columns, values, strict=True)) | {
                "bands": SEP.join(_band_label(age, bands) for age in (middle, latest, earliest)),
                "count": count,
                "age_min": middle,
                "age_max": middle,
            }


# What a reach copies of the case and the child, as its spells do.
REACH_COPIED = (
    "home_region",
    "sex",
    "mission",
    *("birth_midpoint", "birth_latest", "birth_earliest"),
)
AT_END_COLUMNS = {COLUMNS[d] for d in AT_END}


def _with_spell_at(reaches: QuerySet[CaseReach], day: date) -> QuerySet[CaseReach]:
    """Each reach with its case's spell of `day`: its last one begun by then (a case's
    spells follow one another without a gap), found by the (case, starts_on) index a case
    at a time, so that no database scans every spell to join them."""
    last_spell = CaseSpell.objects.filter(case_id=OuterRef("case_id"), starts_on__lte=day)
    return reaches.annotate(spell_id=Subquery(last_spell.order_by("-starts_on").values("id")[:1]))


def _spell_at_end(query: StatsQuery) -> tuple[str, tuple[Any, ...]]:
    """PostgreSQL: each reach joined to its case's last spell begun by the period's end
    (a case's spells follow one another without a gap), found once a child in the
    index holding the case with its spell's facts (`statistics_spell_case_facts`), read
    alone: a flow by host at 1M was 539,847 probes of the table and a hash of the 610k
    spells covering the day (25 s under load)."""
    params: list[Any] = [query.day]
    wanted = ""
    if query.host:
        wanted += " AND x.country = %s"
        params.append(query.host.upper())
    if query.statuses:
        wanted += f" AND x.status IN ({', '.join(['%s'] * len(query.statuses))})"
        params += query.statuses
    # Our own names only: every value is a parameter. The filters apply to the last
    # spell, not to the search for one: outside the LIMIT.
    sql = (
        "JOIN LATERAL (SELECT x.status, x.country, x.facility_kind "
        "FROM statistics_casespell x WHERE x.case_id = r.case_id AND x.starts_on <= %s "
        "ORDER BY x.starts_on DESC LIMIT 1) s ON TRUE"
    )
    if wanted:
        sql += f" WHERE TRUE{wanted.replace('x.', 's.')}"
    return sql, tuple(params)


def _spells_at(query: StatsQuery) -> QuerySet[CaseSpell]:
    """The spells covering the period's end, as the query filters them."""
    day = query.day
    spells = shown(
        CaseSpell.objects.filter(starts_on__lte=day).filter(Q(ends_on=None) | Q(ends_on__gt=day))
    )
    if query.host:
        spells = spells.filter(country=query.host.upper())
    if query.statuses:
        spells = spells.filter(status__in=query.statuses)
    return spells


def _band_label(age: int | None, bands: list[AgeBand]) -> str:
    """As `_BandCode` names a band: NO_AGE when the age is not known, "" when in no band."""
    return NO_AGE if age is None else band_for(age, bands) or ""


# The child's birth dates as the bands read them: middle (the age-band row), latest and
# earliest (whether the child's range straddles a band), in `_Tally`'s order.
BIRTHS = ("birth_midpoint", "birth_latest", "birth_earliest")


def _age_sql(born: str, on: str) -> str:
    """SQL for the completed years on `on` of someone born on `born` (`completed_years`),
    NULL when not known or not born by then: whole dates, no date arithmetic, so that 29
    February is reckoned as in Python on both databases."""
    if connection.vendor == "postgresql":
        year = "CAST(EXTRACT(YEAR FROM {}) AS integer)"
        month_day = "CAST(EXTRACT(MONTH FROM {0}) * 100 + EXTRACT(DAY FROM {0}) AS integer)"
    else:  # SQLite keeps a date as its ISO text
        year = "CAST(substr({}, 1, 4) AS integer)"
        month_day = "substr({}, 6, 5)"
    return (
        f"CASE WHEN {born} IS NULL OR {born} > {on} THEN NULL ELSE "
        f"{year.format(on)} - {year.format(born)} - CASE WHEN "
        f"{month_day.format(on)} < {month_day.format(born)} THEN 1 ELSE 0 END END"
    )


def _reached(statuses: tuple[str, ...], start: date, end: date) -> QuerySet[StatusTransition]:
    return StatusTransition.objects.filter(to_status__in=statuses, effective_on__range=(start, end))


def _event_days(query: StatsQuery) -> dict[int, date]:
    """For a flow, the first day in the period each case reached the flow's status."""
    if not query.window:
        return {}
    reached = _reached(*query.window).values("case_id").annotate(on=Min("effective_on"))
    return {row["case_id"]: row["on"] for row in reached}


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
        return _("unknown")
    if dimension == "age-band":
        if value == UNCERTAIN:
            return _("uncertain (age range straddles a band)")
        return band_name(value)
    if dimension == "region":
        return f"{value} {region_name(value)}"
    if dimension == "host":
        return f"{value} {country_name(value)}"
    if dimension == "status":
        return str(CaseStatus(value).label)
    if dimension == "sex" and value in Sex.values:
        return str(Sex(value).label)
    if dimension == "placement" and value in FacilityKind.values:
        return str(FacilityKind(value).label)
    return value
