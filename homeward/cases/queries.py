"""Reading cases for the list: search by any spelling in any script, and the filters.

`listed_cases` is the one way to the cases a list shows: the case list, its export and
any other list that filters cases call it (or `filter_cases` on their own scope), so that
an export of a list holds exactly the cases the list showed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.lib.agebands import PRESETS, AgeBand, parse_bands
from homeward.lib.ages import years_before
from homeward.people.models import PersonName
from homeward.people.queries import folded, spelled_like


def age_band_choices() -> list[tuple[str, str]]:
    bands = parse_bands(PRESETS["standard"]) + parse_bands("below-10")
    return [("", "Any age")] + [(band.label, band.label) for band in bands]


def with_current_placement(cases: QuerySet[ChildCase]) -> QuerySet[ChildCase]:
    latest = Placement.objects.filter(case=OuterRef("pk")).order_by("-since", "-id")
    return cases.annotate(
        placement_country=Subquery(latest.values("country")[:1]),
        placement_kind=Subquery(latest.values("facility_kind")[:1]),
    )


def search(cases: QuerySet[ChildCase], text: str) -> QuerySet[ChildCase]:
    """Cases whose child has a name matching `text` in any script, or whose reference is it.

    The text is compared as written and through its Latin transliteration, so "Amina"
    finds "Амина"."""
    text = folded(text)
    if not text:
        return cases
    names = PersonName.objects.filter(spelled_like(text), person=OuterRef("child_id"))
    return cases.filter(Q(Exists(names)) | Q(reference__iexact=text))


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
    text = (filters.get("q") or "").strip()
    kept = Q(merged_into=None) | Q(reference__iexact=text) if text else Q(merged_into=None)
    return filter_cases(cases.filter(kept), filters, today)


def filter_cases(
    cases: QuerySet[ChildCase], filters: dict[str, Any], today: date
) -> QuerySet[ChildCase]:
    """Apply a CaseFilterForm's cleaned data (empty values select everything)."""
    cases = with_current_placement(cases)
    cases = search(cases, filters.get("q") or "")
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
    return cases


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
