"""Countries (ISO 3166-1) and regions (ISO 3166-2), from pycountry's copy of the standard."""

from __future__ import annotations

from functools import cache, lru_cache

import pycountry


class UnknownPlaceError(ValueError):
    pass


def country_choices() -> list[tuple[str, str]]:
    return list(_countries())


def region_choices(country: str) -> list[tuple[str, str]]:
    return list(_regions(country))


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda p: p[1]))


@cache
def _regions(country: str) -> tuple[tuple[str, str], ...]:
    regions = pycountry.subdivisions.get(country_code=country) or []
    return tuple(sorted(((r.code, r.name) for r in regions), key=lambda pair: pair[1]))


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        raise UnknownPlaceError(f"{code!r} is not an ISO 3166-1 country code (e.g. IQ, RU).")
    return str(country.name)


def region_name(code: str) -> str:
    region = pycountry.subdivisions.get(code=code.upper()) if code else None
    if region is None:
        raise UnknownPlaceError(f"{code!r} is not an ISO 3166-2 region code (e.g. RU-DA).")
    return str(region.name)


def region_country(code: str) -> str:
    region_name(code)
    return code.upper().split("-", 1)[0]
