"""`{% refusal "control" %}`: the refusals of one control, where the page draws them; and
the `banner_messages` filter for the top of the page (every other message)."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.web.refusals import control_name, control_of

register = template.Library()


@register.inclusion_tag("web/_refusal.html", takes_context=True)
def refusal(context: Any, control: str, number: object = None) -> dict[str, Any]:
    """The refusals of `control`, or of `control`-`number` (one of many alike: "sought-7")."""
    control = control_name(control, number)
    found = [m for m in context.get("messages", ()) if control_of(m) == control]
    return {"refusals": found, "control": control}


@register.filter
def banner_messages(messages: Any) -> list[Any]:
    return [m for m in messages if not control_of(m)]
