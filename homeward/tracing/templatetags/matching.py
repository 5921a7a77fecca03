"""Explanations of candidates in words: `{% load matching %}`, then
`{% explanation candidate.explanation %}` for one candidate's lines (each level with its
weight, and its meaning as a tooltip), and `{% level_glossary candidates %}` for the
"What these levels mean" list of every level those candidates use.

The engine names its fields and levels in English (they are also the stored explanation's
keys); they are translated here, where they are shown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeward.matching.compare import FIELD_LEVELS, FIELDS, level_meaning
from homeward.tracing.relationships import relationship_label

register = template.Library()

FIELD_LABELS = {
    "names": _("names"),
    "sex": _("sex"),
    "age": _("age"),
    "mother": _("mother"),
    "father": _("father"),
    "place": _("place"),
}


@register.filter
def meaning(part: dict[str, Any]) -> str:
    said = level_meaning(str(part.get("field", "")), str(part.get("level", "")))
    return gettext(said) if said else ""


@register.filter
def field_label(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


@register.filter
def level_label(level: str) -> str:
    return gettext(level) if level else ""


@register.filter
def relationship(said: str) -> str:
    """An enquirer's relationship as they said it, in the reader's language when it is one
    of the words Homeward knows ("бабушка" reads "grandmother" in English)."""
    return relationship_label(said)


@register.inclusion_tag("tracing/_explanation.html")
def explanation(parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"parts": parts}


@register.inclusion_tag("tracing/_glossary.html")
def level_glossary(explained: Iterable[Any]) -> dict[str, Any]:
    """Each field and level that the explanations of `explained` (candidates, or pairs of
    possible duplicates) use, once, in field order, each field's levels strongest first."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for each in explained:
        for part in each.explanation:
            seen.setdefault((part["field"], part["level"]), part)
    return {"parts": sorted(seen.values(), key=_level_order)}


def _level_order(part: dict[str, Any]) -> tuple[int, int, str]:
    field, level = part["field"], part["level"]
    if field not in FIELD_LEVELS or level not in FIELD_LEVELS[field]:
        return (len(FIELDS), 0, level)  # a stored explanation from an older engine: last
    return (FIELDS.index(field), FIELD_LEVELS[field].index(level), level)
