"""Dates of birth that are known to a day, a month, a year, or only as an estimated age.

A child's age on any date is therefore a range. Everything here is plain Python so that
the matching and statistics engines can use it without Django.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

from homeward.lib.i18n import ascii_digits, format_day, format_month, ngettext
from homeward.lib.i18n import gettext as _


class BirthPrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    ESTIMATE = "estimate"
    UNKNOWN = "unknown"


class BirthDateError(ValueError):
    """A date of birth that cannot be right; `field` names the part that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    target_year = day.year - years
    last_day = calendar.monthrange(target_year, day.month)[1]
    return day.replace(year=target_year, day=min(day.day, last_day))


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    return years_before(day, -years)


def completed_years(born: date, on: date) -> int:
    """Whole years of age on `on` for someone born on `born`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class AgeRange:
    youngest: int
    oldest: int

    @property
    def is_exact(self) -> bool:
        return self.youngest == self.oldest

    def __str__(self) -> str:
        return str(self.youngest) if self.is_exact else f"{self.youngest}–{self.oldest}"


MAX_AGE = 120  # no one is born more than this many years before today
MAX_ESTIMATED_AGE = MAX_AGE
# ASCII digits only: int() alone would also take "+201", "1_00" and other scripts' digits.
DATE_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", re.ASCII)
ESTIMATE_PATTERN = re.compile(
    r"~([0-9]{1,3})(?:(?:±|\+-)([0-9]))?@([0-9]{4}-[0-9]{2}-[0-9]{2})", re.ASCII
)
MAX_MARGIN_YEARS = 5


@dataclass(frozen=True)
class BirthDate:
    """What is known of a date of birth.

    `value` carries the day, month or year for those precisions (its unused parts are
    ignored); an estimate is `estimated_age` whole years on `estimated_on`, give or take
    `margin_years`.
    """

    precision: BirthPrecision
    value: date | None = None
    estimated_age: int | None = None
    estimated_on: date | None = None
    margin_years: int = 0

    def validate(self, today: date) -> None:
        """Raise BirthDateError naming the field when this cannot be a real date of birth."""
        if self.precision in (BirthPrecision.DAY, BirthPrecision.MONTH, BirthPrecision.YEAR):
            if self.value is None:
                raise BirthDateError("birth_date", _("Enter the date of birth."))
            if self.earliest > today:
                raise BirthDateError("birth_date", _("The date of birth is in the future."))
            if self._too_long_ago(today):
                raise BirthDateError(
                    "birth_date",
                    _("The date of birth %(birth)s is more than %(max)s years before today.")
                    % {"birth": self.describe(), "max": MAX_AGE},
                )
        elif self.precision == BirthPrecision.ESTIMATE:
            self._validate_estimate(today)
            if self._too_long_ago(today):
                raise BirthDateError(
                    "birth_estimated_on",
                    _("An age of %(birth)s puts the birth more than %(max)s years before today.")
                    % {"birth": self.describe(), "max": MAX_AGE},
                )

    def _too_long_ago(self, today: date) -> bool:
        """Even the latest possible birthday lies more than MAX_AGE years before today."""
        return self.latest < years_before(today, MAX_AGE)

    def _validate_estimate(self, today: date) -> None:
        if self.estimated_age is None:
            raise BirthDateError("birth_estimated_age", _("Enter the estimated age in years."))
        if not 0 <= self.estimated_age <= MAX_ESTIMATED_AGE:
            raise BirthDateError(
                "birth_estimated_age",
                _("An estimated age must be between 0 and %(max)s years.")
                % {"max": MAX_ESTIMATED_AGE},
            )
        if self.estimated_on is None:
            raise BirthDateError("birth_estimated_on", _("Enter the date the age was estimated."))
        if self.estimated_on > today:
            raise BirthDateError("birth_estimated_on", _("The estimate's date is in the future."))
        if not 0 <= self.margin_years <= MAX_MARGIN_YEARS:
            raise BirthDateError(
                "birth_margin_years",
                _("The margin must be between 0 and %(max)s years.") % {"max": MAX_MARGIN_YEARS},
            )

    @property
    def is_known(self) -> bool:
        return self.precision != BirthPrecision.UNKNOWN

    @property
    def earliest(self) -> date:
        """The earliest day the person can have been born."""
        if self.precision == BirthPrecision.ESTIMATE:
            assert self.estimated_on is not None and self.estimated_age is not None
            oldest = self.estimated_age + self.margin_years
            return years_before(self.estimated_on, oldest + 1) + timedelta(days=1)
        assert self.value is not None, "an unknown date of birth has no range"
        if self.precision == BirthPrecision.DAY:
            return self.value
        if self.precision == BirthPrecision.MONTH:
            return self.value.replace(day=1)
        return self.value.replace(month=1, day=1)

    @property
    def latest(self) -> date:
        """The latest day the person can have been born."""
        if self.precision == BirthPrecision.ESTIMATE:
            assert self.estimated_on is not None and self.estimated_age is not None
            youngest = max(self.estimated_age - self.margin_years, 0)
            return years_before(self.estimated_on, youngest)
        assert self.value is not None, "an unknown date of birth has no range"
        if self.precision == BirthPrecision.DAY:
            return self.value
        if self.precision == BirthPrecision.MONTH:
            last_day = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last_day)
        return self.value.replace(month=12, day=31)

    @property
    def midpoint(self) -> date:
        """The middle of the possible range; statistics count uncertain ages by it."""
        return self.earliest + (self.latest - self.earliest) / 2

    def age_range_on(self, on: date) -> AgeRange | None:
        """Whole years of age on `on`, as a range; None when unknown or not yet born."""
        if not self.is_known or self.earliest > on:
            return None
        youngest = max(completed_years(min(self.latest, on), on), 0)
        return AgeRange(youngest, completed_years(self.earliest, on))

    def describe(self) -> str:
        """How a caseworker would write it, in the active language: 2012-05-03, May 2012,
        2012, about 6 years on 2019-03-01 (15.03.2014, март 2014, около 6 лет на ... in
        Russian)."""
        if self.precision == BirthPrecision.UNKNOWN:
            return _("unknown")
        if self.precision == BirthPrecision.ESTIMATE:
            assert self.estimated_age is not None and self.estimated_on is not None
            values = {
                "age": self.estimated_age,
                "margin": self.margin_years,
                "day": format_day(self.estimated_on),
            }
            if self.margin_years:
                return (
                    ngettext(
                        "about %(age)s ± %(margin)s year on %(day)s",
                        "about %(age)s ± %(margin)s years on %(day)s",
                        self.estimated_age + self.margin_years,
                    )
                    % values
                )
            return (
                ngettext(
                    "about %(age)s year on %(day)s",
                    "about %(age)s years on %(day)s",
                    self.estimated_age,
                )
                % values
            )
        assert self.value is not None
        if self.precision == BirthPrecision.DAY:
            return format_day(self.value)
        if self.precision == BirthPrecision.MONTH:
            return format_month(self.value)
        return str(self.value.year)


UNKNOWN_BIRTH = BirthDate(BirthPrecision.UNKNOWN)


def birth_text(birth: BirthDate) -> str:
    """A date of birth written as `parse_birth` reads it (for a form to edit it again)."""
    if birth.precision == BirthPrecision.UNKNOWN:
        return ""
    if birth.precision == BirthPrecision.ESTIMATE:
        margin = f"±{birth.margin_years}" if birth.margin_years else ""
        return f"~{birth.estimated_age}{margin}@{birth.estimated_on}"
    assert birth.value is not None
    if birth.precision == BirthPrecision.DAY:
        return birth.value.isoformat()
    if birth.precision == BirthPrecision.MONTH:
        return f"{birth.value.year:04d}-{birth.value.month:02d}"
    return f"{birth.value.year:04d}"


def parse_birth(text: str) -> BirthDate:
    """Read a date of birth as field data writes it.

    "2012-05-03" (a day), "2012-05" (a month), "2012" (a year), "~6@2019-03-01" (about six
    on that day), "~6±1@2019-03-01" (six, give or take a year), "" (unknown). ASCII digits
    only. Raises BirthDateError with a message that says what was expected.
    """
    text = text.strip()
    if not text:
        return BirthDate(BirthPrecision.UNKNOWN)
    try:
        if birth := _canonical_birth(text):
            return birth
    except ValueError:
        pass
    raise BirthDateError(
        "birth",
        _("%(text)r is not a date of birth; write 2012-05-03, 2012-05, 2012 or ~6@2019-03-01.")
        % {"text": text},
    )


def read_birth(text: str, estimated_on: date | None = None) -> BirthDate:
    """A date of birth as a person types it in a form, in any interface language.

    The forms of `parse_birth`, and also, in English, Russian or Arabic and in Arabic-Indic
    digits: "03.05.2012" or "03/05/2012" (day first), "05.2012", "May 2012", "май 2012",
    "أيار 2012", "2012 г.", and an age: "about 6", "около 6 лет", "حوالي 6 سنوات",
    "6 ± 1 years", estimated on `estimated_on` (the day the child was identified).
    """
    text = " ".join(ascii_digits(text).split())
    if not text:
        return BirthDate(BirthPrecision.UNKNOWN)
    try:
        if birth := _canonical_birth(text) or _spoken_birth(text, estimated_on):
            return birth
    except ValueError:
        pass
    raise BirthDateError(
        "birth",
        _(
            "%(text)r is not a date of birth; write 2012-05-03, 2012-05, 2012, May 2012, "
            "about 6 or ~6@2019-03-01."
        )
        % {"text": text},
    )


def _canonical_birth(text: str) -> BirthDate | None:
    if match := ESTIMATE_PATTERN.fullmatch(text):
        age, margin, on = match.groups()
        return BirthDate(
            BirthPrecision.ESTIMATE,
            estimated_age=int(age),
            estimated_on=date.fromisoformat(on),
            margin_years=int(margin or 0),
        )
    if match := DATE_PATTERN.fullmatch(text):
        year, month, day = match.groups()
        if day:
            return BirthDate(BirthPrecision.DAY, date(int(year), int(month), int(day)))
        if month:
            return BirthDate(BirthPrecision.MONTH, date(int(year), int(month), 1))
        return BirthDate(BirthPrecision.YEAR, date(int(year), 1, 1))
    return None


# 15.03.2014, 15/03/2014 (day first, never month first); 03.2014, 03/2014.
LOCAL_DAY = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})", re.ASCII)
LOCAL_MONTH = re.compile(r"([0-9]{1,2})[./]([0-9]{4})", re.ASCII)
# "2014 г.", "2014 год", "2014 year", "عام 2014", "سنة 2014"
YEAR_WORDS = re.compile(r"(?:عام|سنة)?\s*([0-9]{4})\s*(?:г\.?|год|года|year|م)?", re.IGNORECASE)
SPOKEN_MONTH = re.compile(r"(\w+)\.?\s+([0-9]{4})(?:\s*(?:г\.?|года|год))?")
# "about 6", "about 6 years", "около 6 лет", "примерно 6", "6 лет", "حوالي 6 سنوات",
# "6 ± 1 years", "~6".
SPOKEN_AGE = re.compile(
    r"(?:about|around|approx\.?|approximately|около|примерно|приблизительно|ок\.|"
    r"حوالي|حوالى|نحو|تقريبا|تقريبًا|~)?\s*([0-9]{1,3})\s*(?:(?:±|\+-|\+/-)\s*([0-9]))?\s*"
    r"(?:years?(?: old)?|y\.?o\.?|yrs?|лет|года?|г\.|سنوات|سنة|عاما|عامًا|أعوام|سنين)?"
    r"(?:\s*(?:тому назад))?",
    re.IGNORECASE,
)
# Month names and their usual shortenings, in the languages of the interface: Russian in
# the nominative and the genitive ("март 2014", "марта 2014"); Arabic in the Gregorian
# names of Egypt and the Gulf and the Levantine names used in Iraq and Syria.
MONTH_NAMES: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan январь января янв يناير كانون الثاني",
            "february feb февраль февраля фев فبراير شباط",
            "march mar март марта мар مارس آذار اذار",
            "april apr апрель апреля апр أبريل ابريل نيسان",
            "may май мая مايو أيار ايار",
            "june jun июнь июня июн يونيو يونيه حزيران",
            "july jul июль июля июл يوليو يوليه تموز",
            "august aug август августа авг أغسطس اغسطس آب اب",
            "september sep sept сентябрь сентября сен сент سبتمبر أيلول ايلول",
            "october oct октябрь октября окт أكتوبر اكتوبر تشرين الأول",
            "november nov ноябрь ноября ноя نوفمبر تشرين الثاني",
            "december dec декабрь декабря дек ديسمبر كانون الأول",
        ),
        start=1,
    )
    for name in names.split()
    if name not in ("كانون", "تشرين", "الثاني", "الأول")
}
# The Levantine months named in two words.
TWO_WORD_MONTHS = {
    "كانون الثاني": 1, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
}  # fmt: skip


def _spoken_birth(text: str, estimated_on: date | None) -> BirthDate | None:
    """A date of birth as people write it in the interface languages, or None."""
    folded = text.casefold().replace("ё", "е")
    if match := LOCAL_DAY.fullmatch(folded):
        day, month, year = (int(part) for part in match.groups())
        return BirthDate(BirthPrecision.DAY, date(year, month, day))
    if match := LOCAL_MONTH.fullmatch(folded):
        month, year = (int(part) for part in match.groups())
        return BirthDate(BirthPrecision.MONTH, date(year, month, 1))
    if match := YEAR_WORDS.fullmatch(folded):
        return BirthDate(BirthPrecision.YEAR, date(int(match.group(1)), 1, 1))
    for words, month in TWO_WORD_MONTHS.items():
        folded = folded.replace(words, f"m{month:02d}")
    if (match := SPOKEN_MONTH.fullmatch(folded)) and (named := _month(match.group(1))):
        return BirthDate(BirthPrecision.MONTH, date(int(match.group(2)), named, 1))
    if match := SPOKEN_AGE.fullmatch(folded):
        if estimated_on is None:
            raise BirthDateError(
                "birth", _("Say on which day the child was about that age: ~6@2019-03-01.")
            )
        age, margin = match.groups()
        return BirthDate(
            BirthPrecision.ESTIMATE,
            estimated_age=int(age),
            estimated_on=estimated_on,
            margin_years=int(margin or 0),
        )
    return None


def _month(word: str) -> int | None:
    if re.fullmatch(r"m[0-9]{2}", word):
        return int(word[1:])
    return MONTH_NAMES.get(word.rstrip("."))
