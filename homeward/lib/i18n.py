"""Translation for the plain-Python parts (lib/, the engines).

They mark their messages with these functions, which makemessages finds like Django's own;
when Django runs, the request's language translates them, and without Django (a script, an
engine's own tests) the English text is returned as written.
"""

from __future__ import annotations


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
