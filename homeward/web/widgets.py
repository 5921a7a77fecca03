"""Date inputs that read and show dates the same way whatever the browser's language.

A browser's own date picker (`type="date"`) shows dates in the browser's locale and posts
them as ISO: in a Russian browser on an English page it shows "15.03.2014", and a form
that renders its value in another format shows it empty. Here a date is typed as text,
shown in the interface language's format (homeward/formats), and read in any of the
formats every language accepts ("2014-03-15", "15.03.2014", "15/03/2014"), in Arabic-Indic
digits too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from homeward.lib.i18n import ascii_digits
from homeward.lib.places import UnknownPlaceError, find_region, region_name

# How a date is written in each language, shown as the field's hint: the first of the
# language's DATE_INPUT_FORMATS.
DATE_PATTERN = _("YYYY-MM-DD")


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        # Dates read left to right in Arabic too ("15/03/2014"): the field says so.
        defaults = {"autocomplete": "off", "inputmode": "numeric", "dir": "ltr", "size": 10}
        super().__init__({**defaults, **(attrs or {})}, format)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", str(DATE_PATTERN))
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        return ascii_digits(value).strip() if isinstance(value, str) else value


def parse_day(text: str) -> date | None:
    """A date as a person typed it in the active language's formats; None if it is none."""
    text = ascii_digits(text).strip()
    for pattern in formats.get_format("DATE_INPUT_FORMATS"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class RegionInput(forms.TextInput):
    """A region typed by name and offered from the page's list of names (<datalist
    id="regions">); a stored code is shown as its name in the interface language."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"list": "regions", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        try:
            return region_name(value) if value else None
        except UnknownPlaceError:
            return super().format_value(value)


class RegionField(forms.CharField):
    """A region chosen by name, in any interface language ("Дагестан", "Dagestan",
    "داغستان"), or by its ISO 3166-2 code; cleaned to the code, which is what is stored."""

    widget = RegionInput

    def __init__(self, *, countries: tuple[str, ...] = ("RU",), **kwargs: Any) -> None:
        self.countries = countries
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        if not text:
            return ""
        try:
            return find_region(text, self.countries)
        except UnknownPlaceError as error:
            raise forms.ValidationError(str(error), code="unknown_region") from None
