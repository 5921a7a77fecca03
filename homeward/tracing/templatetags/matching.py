"""Explanations of candidates in words: `{% load matching %}`, then `{{ part|meaning }}`
for one part of a stored explanation (its field and level)."""

from __future__ import annotations

from typing import Any

from django import template

from homeward.matching.compare import level_meaning

register = template.Library()


@register.filter
def meaning(part: dict[str, Any]) -> str:
    return level_meaning(str(part.get("field", "")), str(part.get("level", "")))
