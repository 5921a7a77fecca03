from __future__ import annotations

from django.core.exceptions import ValidationError

from homeward.lib.places import UnknownPlaceError, country_name, region_name


def validate_country(code: str) -> None:
    try:
        country_name(code)
    except UnknownPlaceError as error:
        raise ValidationError(str(error), code="unknown_country") from None


def validate_region(code: str) -> None:
    try:
        region_name(code)
    except UnknownPlaceError as error:
        raise ValidationError(str(error), code="unknown_region") from None
