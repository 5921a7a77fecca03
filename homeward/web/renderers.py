"""The form renderer: Django's own, with the select widget written out in Python.

Django renders a select through a template that includes a template per option, and that
one includes a third for the option's attributes: about 40 µs an option. The host country
of the case list (250 countries) took 10 ms of a 66 ms page, the registration form's two
country lists 20 ms of its 97. Written in Python the same markup takes a tenth of that.
`web/tests/test_renderers.py` checks that it is the templates' markup, byte for byte.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import SafeData

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
_CONTEXT = Context(autoescape=True)  # how `{{ value }}` is written in a template


class FormRenderer(DjangoTemplates):
    """Every widget as Django's templates write it; selects whose options are Django's
    own, without the templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name == SELECT and widget is not None and _plain_options(widget):
            return select_html(widget)
        return str(super().render(template_name, context, request))


def _plain_options(widget: dict[str, Any]) -> bool:
    return all(
        option["template_name"] == OPTION
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def select_html(widget: dict[str, Any]) -> str:
    """django/forms/widgets/select.html, with select_option.html and attrs.html inlined
    (the same text, stripped as the renderer strips it)."""
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts).strip()


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        written.append(
            f" {_value(name)}" if value is True else f' {_value(name)}="{_formatted(value)}"'
        )
    return "".join(written)


def _value(value: Any) -> str:
    """`{{ value }}`: localised, escaped unless marked safe."""
    return str(render_value_in_context(value, _CONTEXT))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: str() without localising, escaped unless safe."""
    text = str(value)
    return text if isinstance(value, SafeData) else str(escape(text))
