"""Countries (ISO 3166-1) and regions (ISO 3166-2), from pycountry's copy of the standard,
named in the interface language: pycountry's translations of the standard (Russian for
both lists, Arabic for countries) and Homeward's own Russian and Arabic region names
(region_names) for the countries its users work in.

Codes are what is stored; people read and choose names ("Республика Дагестан" is RU-DA).
"""

from __future__ import annotations

import gettext as stdlib_gettext
from functools import cache
from typing import Any

import pycountry

from homeward.lib.i18n import gettext as _
from homeward.lib.i18n import language
from homeward.lib.region_names import REGION_NAMES


class UnknownPlaceError(ValueError):
    pass


@cache
def _catalogue(domain: str, lang: str) -> stdlib_gettext.NullTranslations:
    return stdlib_gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True
    )


# Names pycountry's catalogues lack (it renamed Turkey "Türkiye"; its Arabic catalogue still
# translates only the old name).
COUNTRY_NAMES = {"ar": {"TR": "تركيا"}}


def _country_label(country: object, lang: str) -> str:
    name = str(getattr(country, "name"))  # noqa: B009 - pycountry's records are dynamic
    code = str(getattr(country, "alpha_2"))  # noqa: B009
    if code in COUNTRY_NAMES.get(lang, {}):
        return COUNTRY_NAMES[lang][code]
    return name if lang == "en" else _catalogue("iso3166-1", lang).gettext(name)


def _region_label(region: object, lang: str) -> str:
    code, name = str(getattr(region, "code")), str(getattr(region, "name"))  # noqa: B009
    if code in REGION_NAMES.get(lang, {}):
        return REGION_NAMES[lang][code]
    return name if lang == "en" else _catalogue("iso3166-2", lang).gettext(name)


def country_choices() -> list[tuple[str, str]]:
    """Every country as (code, name in the active language), by name."""
    return list(_countries(language()))


def region_choices(country: str) -> list[tuple[str, str]]:
    """A country's regions as (code, name in the active language), by name."""
    return list(_regions(country, language()))


def _subdivisions(**lookup: str) -> Any:
    """pycountry's subdivision lookup: one typed door, as pycountry ships no types."""
    return pycountry.subdivisions.get(**lookup)  # type: ignore[no-untyped-call]


@cache
def _countries(lang: str) -> tuple[tuple[str, str], ...]:
    named = ((c.alpha_2, _country_label(c, lang)) for c in pycountry.countries)
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


@cache
def _regions(country: str, lang: str) -> tuple[tuple[str, str], ...]:
    regions = _subdivisions(country_code=country) or []
    named = ((r.code, _region_label(r, lang)) for r in regions)
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        raise UnknownPlaceError(
            _("%(code)r is not an ISO 3166-1 country code (e.g. IQ, RU).") % {"code": code}
        )
    return _country_label(country, language())


def region_name(code: str) -> str:
    region = _subdivisions(code=code.upper()) if code else None
    if region is None:
        raise UnknownPlaceError(
            _("%(code)r is not an ISO 3166-2 region code (e.g. RU-DA).") % {"code": code}
        )
    return _region_label(region, language())


def region_country(code: str) -> str:
    region_name(code)
    return code.upper().split("-", 1)[0]


# Regions as people call them, where that is no word of the official name ("Чечня", not
# "Чеченская Республика").
SPOKEN_REGION_NAMES = {
    "чечня": "RU-CE", "чечено-ингушетия": "RU-CE", "кабардино-балкария": "RU-KB",
    "карачаево-черкесия": "RU-KC", "осетия": "RU-SE", "chechnya": "RU-CE",
    "الشيشان": "RU-CE",
}  # fmt: skip


def find_region(text: str, countries: tuple[str, ...] = ("RU",)) -> str:
    """The code of the region a person named: its code, or its name in any interface
    language, whole or as a word of it ("Дагестан", "Dagestan" and "داغستان" are RU-DA).
    Raises UnknownPlaceError when no region, or more than one, is called so."""
    said = " ".join(text.split()).casefold()
    if _subdivisions(code=said.upper()) is not None:
        return said.upper()
    if said in SPOKEN_REGION_NAMES and SPOKEN_REGION_NAMES[said][:2] in countries:
        return SPOKEN_REGION_NAMES[said]
    names = [
        (code, name.casefold())
        for lang in ("en", "ru", "ar")
        for country in countries
        for code, name in _regions(country, lang)
    ]
    exact = {code for code, name in names if name == said}
    found = exact or {code for code, name in names if said and said in name}
    if len(found) == 1:
        return found.pop()
    if not found:
        raise UnknownPlaceError(
            _("No region is called “%(text)s”: choose one from the list.") % {"text": text}
        )
    raise UnknownPlaceError(
        _("Several regions are called “%(text)s”: choose one from the list.") % {"text": text}
    )
