"""A refusal shown next to the control that asked for it, in an error style.

A one-button step (confirm a manifest, decide a match) redirects back to its page. Its
refusal travels as an error message tagged with the control's name; the page draws it
beside that control (`{% load refusals %}{% refusal "depart" %}`), and the banner at the
top of every page leaves it out. A page must draw the refusal of each control it posts
from whether or not it still offers the control, so that no refusal goes unseen.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

PREFIX = "at-"


def control_name(control: str, number: object = None) -> str:
    """A control's name, or that of one of many alike ("sought", 7: "sought-7"), as the
    page's `{% refusal "sought" 7 %}` and its anchor `#sought-7` spell it."""
    return control if number is None else f"{control}-{number}"


def refuse_at(request: HttpRequest, control: str, message: str) -> None:
    messages.error(request, message, extra_tags=PREFIX + control)


def control_of(message: Any) -> str:
    """The control a message belongs next to ("" for the banner)."""
    for tag in str(getattr(message, "extra_tags", "") or "").split():
        if tag.startswith(PREFIX):
            return tag[len(PREFIX) :]
    return ""
