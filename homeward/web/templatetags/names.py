"""A person's name in a page: isolated by its own direction, whatever the page's.

"(grandmother) فاطمة الحسن" inside English text, or "Ivanova Maria" inside an Arabic page,
lays out correctly only when the name is its own bidirectional run: <bdi> makes it one.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter(name="name")
def isolated_name(value: Any) -> SafeString | str:
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)
