"""The dashboard's rows, made in Python (`web/templatetags/dashboard.py`), read exactly as
the template that wrote them did, in every language: an alert of each kind, a visit one
month and two months after the hand-over, a case ready, a case home to examine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from homeward.care.models import FollowUpVisit, HandOver
from homeward.cases import services
from homeward.cases.models import ChildCase
from homeward.rules.models import CustodyRule, RuleAlert
from homeward.web import dashboard as web_dashboard
from homeward.web.dashboard import dashboard
from homeward.web.templatetags.dashboard import (
    alert_row,
    overdue_row,
    ready_row,
    to_examine_row,
)

pytestmark = pytest.mark.django_db

ON = date(2019, 6, 1)

# Each row as `web/dashboard.html` wrote it before the tags.
WRITTEN = {
    "alerts": """{% load i18n names %}<tr><td><a href="{% url 'cases:detail' a.case.pk %}">{{ a.case.reference }}</a> <bdi>{{ a.case.child.display_name|name }}</bdi></td>
      <td><span class="status">{{ a.get_kind_display }}</span> {{ a.sentence }}</td><td class="muted">{{ a.rule }}</td></tr>""",  # noqa: E501
    "overdue": """{% load i18n %}<li><a href="{% url 'cases:detail' a.case.pk %}">{{ a.case.reference }}</a> <bdi>{{ a.case.child.display_name }}</bdi>: {% blocktranslate trimmed count months=a.months_after with day=a.due_on|date:"SHORT_DATE_FORMAT" %}due {{ day }} ({{ months }} month){% plural %}due {{ day }} ({{ months }} months){% endblocktranslate %}</li>""",  # noqa: E501
    "ready": """{% load names %}<li><a href="{% url 'cases:detail' a.pk %}">{{ a.reference }}</a> <bdi>{{ a.child.display_name|name }}</bdi></li>""",  # noqa: E501
    "to_examine": """{% load i18n %}<li><a href="{% url 'cases:detail' a.pk %}">{{ a.reference }}</a> <bdi>{{ a.child.display_name }}</bdi>, {% blocktranslate with day=a.status_since|date:"SHORT_DATE_FORMAT" %}arrived {{ day }}{% endblocktranslate %}</li>""",  # noqa: E501
}
MADE = {
    "alerts": alert_row,
    "overdue": overdue_row,
    "ready": ready_row,
    "to_examine": to_examine_row,
}


def _moved(case: ChildCase, steps: tuple[str, ...], by: User) -> ChildCase:
    for step in steps:
        services.transition(case, step, by=by, effective_on=date(2018, 6, 1))
    return case


def _registry(make_case: Callable[..., ChildCase], caseworker: User) -> None:
    """Four alerts, three overdue visits, a case ready, two home to examine."""
    rule = CustodyRule.objects.create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2017, 1, 1),
    )  # fmt: skip
    case = make_case()
    for kind, first, last in [
        ("past", date(2019, 1, 1), date(2019, 1, 1)), ("due", date(2019, 8, 1), date(2019, 9, 1)),
        ("uncertain", date(2019, 5, 1), date(2019, 7, 1)), ("due", None, None),
    ]:  # fmt: skip
        RuleAlert.objects.create(
            case=case, rule=rule, kind=kind, message="Alert", raised_on=date(2019, 1, 1),
            evaluated_on=date(2019, 1, 1), limit_earliest=first, limit_latest=last,
        )  # fmt: skip
    cleared = ("verified", "family_traced", "consent_obtained", "cleared_to_leave")
    _moved(make_case(), cleared, caseworker)
    home = _moved(make_case(), (*cleared, "assigned_to_mission", "repatriated"), caseworker)
    _moved(make_case(), (*cleared, "assigned_to_mission", "repatriated"), caseworker)
    hand_over = HandOver.objects.create(
        case=home, handed_over_on=date(2018, 6, 2), receiver_kind="state_institution",
        institution="Home", region="RU-DA",
    )  # fmt: skip
    for months in (1, 2, 12):
        FollowUpVisit.objects.create(
            case=home, hand_over=hand_over, months_after=months,
            due_on=ON - timedelta(days=40 - months),
        )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_each_row_made_in_python_reads_as_the_template_wrote_it(
    make_case: Callable[..., ChildCase], caseworker: User, supervisor: User, language: str
) -> None:
    _registry(make_case, caseworker)
    with translation.override(language):
        shown = dashboard(supervisor, ON, ON)
        counted = {part: len(shown[part]) for part in MADE}
        assert counted == {"alerts": 4, "overdue": 3, "ready": 1, "to_examine": 2}
        for part, made in MADE.items():
            for row in shown[part]:
                assert made(row) == Template(WRITTEN[part]).render(Context({"a": row}))


def test_a_list_shorter_than_the_panel_is_its_own_count(
    make_case: Callable[..., ChildCase], caseworker: User, supervisor: User
) -> None:
    """No count query for a list that came short of the panel's 50 rows (only the
    matches are counted apart); a full list is counted by the database."""
    _registry(make_case, caseworker)
    with CaptureQueriesContext(connection) as captured:
        shown = dashboard(supervisor, ON, ON)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert all("tracing_matchcandidate" in sql for sql in counts), counts
    figures = {part: shown[f"{part}_count"] for part in ("alert", "overdue", "ready")}
    assert figures == {"alert": 4, "overdue": 3, "ready": 1}
    assert shown["to_examine_count"] == 2


def test_a_full_list_is_counted_by_the_database(
    make_case: Callable[..., ChildCase], caseworker: User, supervisor: User, monkeypatch: Any
) -> None:
    _registry(make_case, caseworker)
    monkeypatch.setattr(web_dashboard, "LIST_LIMIT", 1)
    shown = dashboard(supervisor, ON, ON)
    assert [len(shown[part]) for part in ("alerts", "overdue", "ready", "to_examine")] == [1] * 4
    figures = [shown[f"{part}_count"] for part in ("alert", "overdue", "ready", "to_examine")]
    assert figures == [4, 3, 1, 2]
    # Counted up to the cap and one more, past which the page says "more than".
    monkeypatch.setattr(web_dashboard, "COUNT_CAP", 2)
    shown = dashboard(supervisor, ON, ON)
    assert (shown["alert_count"], shown["overdue_count"]) == (3, 3)
