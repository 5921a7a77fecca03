"""Explanations of candidates in words: `{% load matching %}`, then
`{% explanation candidate.explanation %}` for one candidate's lines (each level with its
weight, and its meaning as a tooltip), and `{% level_glossary candidates %}` for the
"What these levels mean" list of every level those candidates use."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from homeward.matching.compare import FIELDS, level_meaning

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
    possible duplicates) use, once, in field order."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for each in explained:
        for part in each.explanation:
            seen.setdefault((part["field"], part["level"]), part)
    order = {field: index for index, field in enumerate(FIELDS)}
    parts = sorted(seen.values(), key=lambda part: (order.get(part["field"], 99), part["level"]))
    return {"parts": parts}
