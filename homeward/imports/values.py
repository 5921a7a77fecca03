"""Reading one cell's text as the value a record needs, or saying why it cannot be.

Each reader raises FieldProblem with a reason a field worker understands; the caller adds
the row and the column.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from django.db import models
from django.utils.translation import gettext as _

from homeward.lib.ages import (
    MAX_MARGIN_YEARS,
    BirthDate,
    BirthDateError,
    BirthPrecision,
    parse_birth,
)


class FieldProblem(ValueError):
    def __init__(self, target: str, reason: str) -> None:
        super().__init__(reason)
        self.target = target
        self.reason = reason


ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ].*)?", re.ASCII)
DOTTED_DATE = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})", re.ASCII)
DOTTED_MONTH = re.compile(r"([0-9]{1,2})[./]([0-9]{4})", re.ASCII)

SEXES = {
    "f": "f", "female": "f", "girl": "f", "ж": "f", "жен": "f", "женский": "f", "أنثى": "f",
    "m": "m", "male": "m", "boy": "m", "м": "m", "муж": "m", "мужской": "m", "ذكر": "m",
    "u": "u", "unknown": "u", "": "u",
}  # fmt: skip


def read_date(text: str, target: str) -> date | None:
    """2018-05-02 (also with a time, as KoBoToolbox writes), or 02.05.2018; "" is None."""
    if not text:
        return None
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := DOTTED_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise FieldProblem(
            target, _("“%(text)s” is not a date; write it as 2018-05-02.") % {"text": text}
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise FieldProblem(
            target, _("“%(text)s” is an impossible date.") % {"text": text}
        ) from None


def read_sex(text: str, target: str) -> str:
    try:
        return SEXES[text.lower()]
    except KeyError:
        raise FieldProblem(
            target, _("Unknown sex “%(text)s”; write f, m or u.") % {"text": text}
        ) from None


def read_choice(
    text: str, target: str, choices: type[models.TextChoices], default: str = ""
) -> str:
    """A choice by its value or its label, without case; "" is the default."""
    if not text:
        if default:
            return default
        raise FieldProblem(target, "This field is required and has no value.")
    found = _lookup(choices).get(text.lower().replace(" ", "_"))
    if found is None:
        allowed = ", ".join(str(v) for v in choices.values)
        raise FieldProblem(
            target,
            _("Unknown value “%(text)s”; one of: %(allowed)s.")
            % {"text": text, "allowed": allowed},
        )
    return found


@cache
def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Each choice by its value and by its label, lower case, spaces as underscores."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[str(label).lower().replace(" ", "_")] = str(value)
        found[str(value).lower()] = str(value)
    return found


def read_code(text: str) -> str:
    return text.strip().upper()


def read_region(text: str, nationality: str) -> str:
    """RU-DA, or DA when the nationality says which country."""
    code = read_code(text)
    if code and "-" not in code and nationality:
        return f"{nationality}-{code}"
    return code


def read_birth(
    birth_text: str, age_text: str, on_text: str, fallback_on: date | None, prefix: str = ""
) -> BirthDate:
    """A date of birth as Homeward writes it (2012-05-03, 2012-05, 2012, ~6@2019-03-01),
    02.05.2012, or an estimated age with the date of the estimate."""
    birth_target = f"{prefix}birth"
    if birth_text:
        if match := DOTTED_DATE.fullmatch(birth_text):
            day, month, year = match.groups()
            birth_text = f"{year}-{int(month):02d}-{int(day):02d}"
        elif match := DOTTED_MONTH.fullmatch(birth_text):
            month, year = match.groups()
            birth_text = f"{year}-{int(month):02d}"
        try:
            return parse_birth(birth_text)
        except BirthDateError:
            pass
        if ISO_DATE.fullmatch(birth_text) or re.fullmatch(r"[0-9]{4}-[0-9]{1,2}", birth_text):
            raise FieldProblem(
                birth_target,
                _("“%(birth_text)s” is an impossible date.") % {"birth_text": birth_text},
            )
        raise FieldProblem(
            birth_target,
            _("“%(birth_text)s” is not a date of birth; write 2012-05-03, 2012-05 or 2012.")
            % {"birth_text": birth_text},
        )
    if not age_text:
        return BirthDate(BirthPrecision.UNKNOWN)
    return _estimate(age_text, on_text, fallback_on, prefix)


def _estimate(age_text: str, on_text: str, fallback_on: date | None, prefix: str) -> BirthDate:
    age_target = f"{prefix}estimated_age"
    margin = 0
    if match := re.fullmatch(r"([0-9]{1,3})\s*(?:±|\+-|\+/-)\s*([0-9])", age_text, re.ASCII):
        age_text, margin = match.group(1), int(match.group(2))
    if not age_text.isascii() or not age_text.isdigit() or margin > MAX_MARGIN_YEARS:
        raise FieldProblem(
            age_target,
            _("“%(age_text)s” is not an age in whole years (e.g. 6).") % {"age_text": age_text},
        )
    on = read_date(on_text, f"{prefix}estimated_on") or fallback_on
    if on is None:
        raise FieldProblem(f"{prefix}estimated_on", _("Say on what date the age was estimated."))
    return BirthDate(
        BirthPrecision.ESTIMATE, estimated_age=int(age_text), estimated_on=on, margin_years=margin
    )
