"""Reading cases for the list: search by any spelling in any script, and the filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from homeward.cases.models import ChildCase, Placement
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


def filter_cases(
    cases: QuerySet[ChildCase], filters: dict[str, Any], today: date
) -> QuerySet[ChildCase]:
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
    if filters.get("age_band"):
        bands = {b.label: b for b in parse_bands(PRESETS["standard"]) + parse_bands("below-10")}
        cases = in_age_band(cases, bands[filters["age_band"]], today)
    return cases
