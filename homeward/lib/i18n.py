"""Translation for the plain-Python parts (lib/, the engines).

They mark their messages with these functions, which makemessages finds like Django's own;
when Django runs, the request's language translates them, and without Django (a script, an
engine's own tests) the English text is returned as written.
"""

from __future__ import annotations

from datetime import date, datetime


def _django_ready() -> bool:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is always installed with Homeward
        return False
    return bool(settings.configured)


def gettext(message: str) -> str:
    if not _django_ready():
        return message
    from django.utils.translation import gettext as translate

    return translate(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    if not _django_ready():
        return singular if number == 1 else plural
    from django.utils.translation import ngettext as translate

    return translate(singular, plural, number)


def pgettext(context: str, message: str) -> str:
    if not _django_ready():
        return message
    from django.utils.translation import pgettext as translate

    return translate(context, message)


def language() -> str:
    """The active language's code ("en", "ru", "ar"), "en" outside Django."""
    if not _django_ready():
        return "en"
    from django.utils.translation import get_language

    return (get_language() or "en").split("-")[0]


# Arabic-Indic (U+0660..) and Eastern Arabic-Indic (U+06F0..) digits, as an Arabic keyboard
# types them; dates and numbers are read in ASCII digits.
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue where it is defined (an engine's constant); it is
    translated where it is shown."""
    return message


def format_day(day: date) -> str:
    """A date as the active language writes it in text (homeward/formats: 2019-03-01,
    01.03.2019, 01/03/2019); ISO outside Django."""
    if not _django_ready():
        return str(day)
    from django.utils.formats import date_format

    return str(date_format(day, "SHORT_DATE_FORMAT"))


def format_month(day: date) -> str:
    """A month and year as the active language writes them ("March 2014", "март 2014")."""
    if not _django_ready():
        return day.strftime("%B %Y")
    from django.utils.formats import date_format

    return str(date_format(day, "YEAR_MONTH_FORMAT"))


def format_moment(moment: datetime) -> str:
    """A date and time as the active language writes them (SHORT_DATETIME_FORMAT)."""
    if not _django_ready():
        return str(moment)
    from django.utils.formats import date_format

    return str(date_format(moment, "SHORT_DATETIME_FORMAT"))
