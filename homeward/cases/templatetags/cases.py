from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import ngettext

from homeward.cases.models import FacilityKind
from homeward.lib.ages import AgeRange
from homeward.lib.places import UnknownPlaceError, country_name, region_name
from homeward.people.models import Person

register = template.Library()


@register.filter
def age_on(person: Person, day: date) -> str:
    age = person.age_range_on(day)
    return str(age) if age is not None else ""


@register.filter
def years(age: AgeRange | Any) -> str:
    """An age in words: "6 years", "5–7 years", in the active language's plural."""
    if not isinstance(age, AgeRange):
        return str(age)
    if age.is_exact:
        return ngettext("%(age)s year", "%(age)s years", age.oldest) % {"age": age}
    # The plural follows the last number: "1–2 года", "5–7 лет".
    return ngettext("%(youngest)s–%(oldest)s year", "%(youngest)s–%(oldest)s years", age.oldest) % {
        "youngest": age.youngest,
        "oldest": age.oldest,
    }


@register.filter
def facility_label(kind: str | None) -> str:
    return str(FacilityKind(kind).label) if kind in FacilityKind.values else ""


@register.filter
def country(code: str) -> str:
    try:
        return country_name(code) if code else ""
    except UnknownPlaceError:
        return code


@register.filter
def region(code: str) -> str:
    """A region's name in the active language, never its code alone."""
    try:
        return region_name(code) if code else ""
    except UnknownPlaceError:
        return code
