"""Explanations of candidates in words: `{% load matching %}`, then
`{% explanation candidate.explanation %}` for one candidate's lines (each level with its
weight, and its meaning as a tooltip), and `{% level_glossary candidates %}` for the
"What these levels mean" list of every level those candidates use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from homeward.matching.compare import FIELD_LEVELS, FIELDS, level_meaning

register = template.Library()


@register.filter
def meaning(part: dict[str, Any]) -> str:
    return level_meaning(str(part.get("field", "")), str(part.get("level", "")))


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
