"""Reading cases for the list: search by any spelling in any script, and the filters.

`listed_cases` is the one way to the cases a list shows: the case list, its export and
any other list that filters cases call it (or `filter_cases` on their own scope), so that
an export of a list holds exactly the cases the list showed.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.lib.agebands import PRESETS, AgeBand, band_name, parse_bands
from homeward.lib.ages import years_before
from homeward.lib.i18n import gettext as _
from homeward.people.queries import find_people, folded, in_order_of

# A case reference as people type it: HW-050000, hw-50000, HW050000.
REFERENCE = re.compile(r"HW-?(\d{1,9})", re.IGNORECASE)


def age_band_choices() -> list[tuple[str, str]]:
    bands = parse_bands(PRESETS["standard"]) + parse_bands("below-10")
    return [("", _("Any age"))] + [(band.label, band_name(band.label)) for band in bands]


def with_current_placement(cases: QuerySet[ChildCase]) -> QuerySet[ChildCase]:
    latest = Placement.objects.filter(case=OuterRef("pk")).order_by("-since", "-id")
    return cases.annotate(
        placement_country=Subquery(latest.values("country")[:1]),
        placement_kind=Subquery(latest.values("facility_kind")[:1]),
    )


def search(cases: QuerySet[ChildCase], text: str) -> QuerySet[ChildCase]:
    """The cases whose reference is `text`, or whose child has a name that `text` finds
    as the matching engine reads names (`people.queries.find_people`: any script, any
    standard, any order, a middle name left out, a typo), best first; each annotated with
    `search_more` when more children have the name than are listed."""
    text = folded(text)
    if not text:
        return cases
    if reference := case_reference(text):
        return cases.filter(reference=reference)
    return in_order_of(cases, "child_id", find_people(text, cases, "child"))


def case_reference(text: str) -> str | None:
    """The reference `text` names, as references are stored ("HW-050000"), or None."""
    written = REFERENCE.fullmatch(text.strip())
    return f"HW-{int(written[1]):06d}" if written else None


def in_age_band(cases: QuerySet[ChildCase], band: AgeBand, on: date) -> QuerySet[ChildCase]:
    """Children whose age on `on`, counted at the midpoint of their possible birth dates,
    is in the band (the same rule as the statistics)."""
    born_after = years_before(on, (band.oldest + 1)) if band.oldest is not None else None
    born_by = years_before(on, band.youngest)
    cases = cases.filter(child__birth_midpoint__lte=born_by)
    if born_after is not None:
        cases = cases.filter(child__birth_midpoint__gt=born_after)
    return cases


def listed_cases(user: Any, filters: dict[str, Any], today: date) -> QuerySet[ChildCase]:
    """The cases the user may open that the filters select, as the case list shows them.
    A registration merged into another case is left out (its child is counted once, in
    the kept case) unless it is searched for by its own reference."""
    cases = cases_visible_to(user)
    reference = case_reference(filters.get("q") or "")
    kept = Q(merged_into=None) | Q(reference=reference) if reference else Q(merged_into=None)
    return filter_cases(cases.filter(kept), filters, today)


def filter_cases(
    cases: QuerySet[ChildCase], filters: dict[str, Any], today: date
) -> QuerySet[ChildCase]:
    """Apply a CaseFilterForm's cleaned data (empty values select everything)."""
    cases = with_current_placement(cases)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("host"):
        cases = cases.filter(placement_country=filters["host"])  # type: ignore[misc]
    if filters.get("placement"):
        cases = cases.filter(placement_kind=filters["placement"])  # type: ignore[misc]
    if filters.get("region"):
        cases = cases.filter(home_region__iexact=filters["region"].strip())
    if filters.get("sex"):
        cases = cases.filter(child__sex=filters["sex"])
    if filters.get("agency"):
        cases = cases.filter(agency=filters["agency"])
    if filters.get("age_band"):
        bands = {b.label: b for b in parse_bands(PRESETS["standard"]) + parse_bands("below-10")}
        cases = in_age_band(cases, bands[filters["age_band"]], today)
    cases = identified_between(cases, filters.get("identified_from"), filters.get("identified_to"))
    if filters.get("visit_due_by"):
        cases = with_visit_due_by(cases, filters["visit_due_by"])
    # Last: a name is looked up among the cases the other filters leave.
    return search(cases, filters.get("q") or "")


def identified_between(
    cases: QuerySet[ChildCase], first: date | None, last: date | None
) -> QuerySet[ChildCase]:
    """Cases whose child was identified (the case's first step) in the period, both ends
    included; either end may be open."""
    if first is None and last is None:
        return cases
    registered = StatusTransition.objects.filter(case=OuterRef("pk"), from_status="")
    if first is not None:
        registered = registered.filter(effective_on__gte=first)
    if last is not None:
        registered = registered.filter(effective_on__lte=last)
    return cases.filter(Exists(registered))


def with_visit_due_by(cases: QuerySet[ChildCase], day: date) -> QuerySet[ChildCase]:
    """Cases with a follow-up visit due on or before `day` and not yet made."""
    due = ChildCase.objects.filter(follow_ups__visited_on=None, follow_ups__due_on__lte=day)
    return cases.filter(pk__in=due.values("pk"))


def usual_registration(agency: Any, recent: int = 200) -> dict[str, str]:
    """What an agency usually registers, to start its registration form from: the home
    region, the host country and the kind of placement most frequent among its latest
    registrations (each child's first placement). An agency with none yet starts from
    the country it works in."""
    ids = list(
        ChildCase.objects.filter(agency=agency, merged_into=None)
        .order_by("-registered_at", "-id")
        .values_list("pk", flat=True)[:recent]
    )
    regions = Counter(
        ChildCase.objects.filter(pk__in=ids)
        .exclude(home_region="")
        .values_list("home_region", flat=True)
    )
    first: dict[int, tuple[str, str]] = {}
    placements = Placement.objects.filter(case__in=ids).order_by("case", "since", "id")
    for case_id, country, kind in placements.values_list("case", "country", "facility_kind"):
        first.setdefault(case_id, (country, kind))
    countries = Counter(country for country, _ in first.values())
    kinds = Counter(kind for _, kind in first.values())
    usual = {
        "home_region": _most_common(regions),
        "country": _most_common(countries) or getattr(agency, "country", ""),
        "facility_kind": _most_common(kinds),
    }
    return {name: value for name, value in usual.items() if value}


def _most_common(counts: Counter[str]) -> str:
    return counts.most_common(1)[0][0] if counts else ""


def sibling_registration(case: ChildCase) -> dict[str, Any]:
    """A sibling's registration form, started from `case`: the same home region and
    nationality, found at the same time in the same place."""
    placement = case.current_placement()
    registered = case.transitions.filter(from_status="").order_by("id").first()
    values: dict[str, Any] = {
        "home_region": case.home_region,
        "nationality": case.child.nationality,
        "identified_on": registered.effective_on if registered else None,
    }
    if placement is not None:
        values |= {
            "country": placement.country,
            "facility_kind": placement.facility_kind,
            "facility_name": placement.facility_name,
            "since": placement.since,
        }
    return {name: value for name, value in values.items() if value}
