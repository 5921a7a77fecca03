from __future__ import annotations

from datetime import date

from django import template

from homeward.cases.models import FacilityKind
from homeward.lib.places import UnknownPlaceError, country_name
from homeward.people.models import Person

register = template.Library()


@register.filter
def age_on(person: Person, day: date) -> str:
    age = person.age_range_on(day)
    return str(age) if age is not None else ""


@register.filter
def facility_label(kind: str | None) -> str:
    return str(FacilityKind(kind).label) if kind in FacilityKind.values else ""


@register.filter
def country(code: str) -> str:
    try:
        return country_name(code) if code else ""
    except UnknownPlaceError:
        return code
