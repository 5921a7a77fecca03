"""The dashboard's rows, made in Python: written in the template, its ~210 rows (alerts,
visits, cases ready or home) were each a `{% url %}`, a few variables, filters and a
`{% blocktranslate %}`, most of the page's template time. Each reads exactly as the
template wrote it (`web/tests/test_dashboard_rows.py`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from homeward.web.templatetags.names import isolated_name

register = template.Library()


def _case_link(case: Any) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("cases:detail", args=[case.pk]), case.reference
    )


def _day(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _sentence(translated: str, **values: Any) -> SafeString:
    """A translated sentence with its values escaped, as `{% blocktranslate %}` makes it
    (the sentence is ours, from the catalogue, and left as it is)."""
    escaped = {name: escape(value) for name, value in values.items()}
    return mark_safe(translated % escaped)  # nosec B308 B703: only the values came from outside


@register.simple_tag
def alert_row(alert: Any) -> SafeString:
    case = alert.case
    return format_html(
        '<tr><td>{} <bdi>{}</bdi></td>\n      <td><span class="status">{}</span> {}</td>'
        '<td class="muted">{}</td></tr>',
        _case_link(case),
        isolated_name(case.child.display_name),
        alert.get_kind_display(),
        alert.sentence,
        alert.rule,
    )


@register.simple_tag
def overdue_row(visit: Any) -> SafeString:
    case = visit.case
    due = _sentence(
        ngettext(
            "due %(day)s (%(months)s month)", "due %(day)s (%(months)s months)", visit.months_after
        ),
        day=_day(visit.due_on),
        months=localize(visit.months_after),
    )
    return format_html(
        "<li>{} <bdi>{}</bdi>: {}</li>", _case_link(case), case.child.display_name, due
    )


@register.simple_tag
def ready_row(case: Any) -> SafeString:
    return format_html(
        "<li>{} <bdi>{}</bdi></li>", _case_link(case), isolated_name(case.child.display_name)
    )


@register.simple_tag
def to_examine_row(case: Any) -> SafeString:
    arrived = _sentence(gettext("arrived %(day)s"), day=_day(case.status_since))
    return format_html(
        "<li>{} <bdi>{}</bdi>, {}</li>", _case_link(case), case.child.display_name, arrived
    )
