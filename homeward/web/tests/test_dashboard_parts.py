"""The dashboard reads its alerts and overdue visits in two parts, each from an index of
its own (issue 21); merged, they are the very list and count one query over both gives,
in the database's order (a row without a limit day last on PostgreSQL, first on SQLite)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homeward.care.models import FollowUpVisit, HandOver
from homeward.care.services import overdue_visits
from homeward.cases import services
from homeward.cases.access import visible_cases
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput
from homeward.conftest import signed_in
from homeward.rules.models import CustodyRule, RuleAlert
from homeward.rules.services import alerts_open_on
from homeward.tracing.models import MatchCandidate, MatchDecision
from homeward.tracing.services import RequestInput, SoughtInput, file_request
from homeward.web import dashboard
from homeward.web.dashboard import alerts_for, overdue_for

pytestmark = pytest.mark.django_db

ON = date(2019, 6, 1)


def test_the_parts_merged_are_the_list_and_count_of_one_query(
    make_case: Callable[..., ChildCase], caseworker: User, supervisor: User
) -> None:
    rule = CustodyRule.objects.create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2017, 1, 1),
    )  # fmt: skip
    case = make_case()
    # Still open, resolved after the day, resolved before it; limits in and out of order.
    for n, (limit, resolved) in enumerate([
        (date(2019, 8, 1), None), (date(2019, 7, 1), date(2019, 6, 2)), (None, None),
        (date(2019, 9, 1), date(2019, 5, 1)), (None, date(2020, 1, 1)), (date(2019, 7, 1), None),
    ]):  # fmt: skip
        RuleAlert.objects.create(
            case=case, rule=rule, kind="due", message=f"Alert {n}", raised_on=date(2019, 1, 1),
            evaluated_on=date(2019, 1, 1), limit_earliest=limit, resolved_on=resolved,
        )  # fmt: skip
    home = make_case()
    for step in ("verified", "family_traced", "consent_obtained", "cleared_to_leave",
                 "assigned_to_mission", "repatriated"):  # fmt: skip
        services.transition(home, step, by=caseworker, effective_on=date(2018, 6, 1))
    hand_over = HandOver.objects.create(
        case=home, handed_over_on=date(2018, 6, 2), receiver_kind="state_institution",
        institution="Home", region="RU-DA",
    )  # fmt: skip
    for months, (due, visited) in enumerate([
        (ON - timedelta(days=3), None), (ON - timedelta(days=9), ON + timedelta(days=1)),
        (ON - timedelta(days=9), None), (ON - timedelta(days=20), ON - timedelta(days=1)),
        (ON + timedelta(days=5), None),
    ], start=1):  # fmt: skip
        FollowUpVisit.objects.create(
            case=home, hand_over=hand_over, months_after=months, due_on=due, visited_on=visited
        )
    for user in (caseworker, supervisor):
        whole = (
            alerts_open_on(ON).filter(visible_cases(user, "case")).order_by("limit_earliest", "id")
        )
        assert alerts_for(user, ON).first(50) == list(whole) and len(whole) >= 4
        assert alerts_for(user, ON).first(3) == list(whole[:3])
        assert alerts_for(user, ON).count() == len(whole)
        late = overdue_visits(visible_cases(user, "case"), ON)
        assert overdue_for(user, ON).first(50) == list(late) and len(late) == 3
        assert overdue_for(user, ON).first(2) == list(late[:2])
        assert overdue_for(user, ON).count() == len(late)


def test_a_capped_count_reads_no_more_than_the_cap_and_one(
    make_case: Callable[..., ChildCase], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap the dashboard says "more than" (issue 21: a consul's 22k overdue
    visits were counted in 1.1 s at 1M); up to it, the count is exact."""
    rule = CustodyRule.objects.create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2017, 1, 1),
    )  # fmt: skip
    case = make_case()
    for n, resolved in enumerate([None, None, date(2019, 7, 1), None, date(2019, 8, 1)]):
        RuleAlert.objects.create(
            case=case, rule=rule, kind="due", message=f"Alert {n}", raised_on=date(2019, 1, 1),
            evaluated_on=date(2019, 1, 1), limit_earliest=date(2019, 9, 1), resolved_on=resolved,
        )  # fmt: skip
    alerts = alerts_for(caseworker, ON)  # three still open, two resolved since: two parts
    assert [alerts.count(cap) for cap in range(7)] == [1, 2, 3, 4, 5, 5, 5]

    monkeypatch.setattr(dashboard, "COUNT_CAP", 3)
    page = signed_in(caseworker).get("/", {"on": ON.isoformat()})
    assert page.context["alert_count"] == 4
    assert "more than 3" in page.content.decode()


def test_todays_dashboard_asks_nothing_of_what_was_closed_after_today(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    """No alert is resolved and no visit made after today: today's dashboard reads the
    part still open alone (the other part's list and count were four queries for nothing),
    a past day's reads both."""
    client = signed_in(caseworker)
    make_case()

    def closed_since(**query: str) -> int:
        client.get("/", query)
        with CaptureQueriesContext(connection) as captured:
            client.get("/", query)
        return sum(
            '"resolved_on" >' in q["sql"] or '"visited_on" >' in q["sql"]
            for q in captured.captured_queries
        )

    assert closed_since() == 0
    # A past day: the closed part's two lists (empty, so their own counts).
    assert closed_since(on=ON.isoformat()) == 2


def test_the_rows_kept_have_their_names_read_in_one_query(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    rule = CustodyRule.objects.create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2017, 1, 1),
    )  # fmt: skip
    for resolved in (None, date(2019, 7, 1), None):
        RuleAlert.objects.create(
            case=make_case(), rule=rule, kind="due", message="Alert", raised_on=date(2019, 1, 1),
            evaluated_on=date(2019, 1, 1), limit_earliest=date(2019, 9, 1), resolved_on=resolved,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        alerts = alerts_for(caseworker, ON).first(2)
        names = [alert.case.child.display_name for alert in alerts]
    assert len(names) == 2
    name_reads = [q for q in captured.captured_queries if "people_personname" in q["sql"]]
    assert len(name_reads) == 1


def test_the_proposals_to_review_are_counted_up_to_the_cap(
    make_case: Callable[..., ChildCase],
    caseworker: User,
    agency: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 1M children a consul's 3,545 proposals to review were counted by joining all 40k
    proposals to their requests and cases (140 ms): the count stops past the cap, as the
    alerts' and visits' do, and says "more than"."""
    sought = file_request(_request(), agency=agency, by=caseworker).sought.get()
    for _ in range(5):
        MatchCandidate.objects.create(
            sought=sought, case=make_case(), score=0.5, match_weight=1.0, explanation=[],
            explanation_text="", computed_at=timezone.now(),
        )  # fmt: skip
    to_review = dashboard.matches_to_review(caseworker)
    assert [dashboard.capped_count(to_review, cap) for cap in range(7)] == [1, 2, 3, 4, 5, 5, 5]
    monkeypatch.setattr(dashboard, "COUNT_CAP", 3)
    page = signed_in(caseworker).get("/")
    assert (page.context["match_count"], page.context["already_home_count"]) == (4, 0)
    assert "more than 3" in page.content.decode()


def test_the_best_proposals_walked_a_batch_at_a_time_are_the_one_querys(
    make_case: Callable[..., ChildCase],
    caseworker: User,
    supervisor: User,
    agency: Any,
    other_agency: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dashboard's first proposals to review, walked best first in batches and then
    continued in one query, are those of the one query over every open proposal (which
    SQLite answered by reading them all and sorting: 46 ms of CPU at 100k children)."""
    sought = file_request(_request(), agency=agency, by=caseworker).sought.get()
    scores = [0.9, 0.5, 0.5, 0.5, 0.7, 0.2, 0.5, 0.9, 0.1, 0.3, 0.5, 0.6]
    for n, score in enumerate(scores):
        case = make_case(owner=other_agency if n % 3 == 1 else agency)
        MatchCandidate.objects.create(
            sought=sought, case=case, score=score, match_weight=1.0, explanation=[],
            explanation_text="", computed_at=timezone.now(),
        )  # fmt: skip
        if n % 4 == 2:
            MatchDecision.objects.create(
                sought=sought, case=case, decision="rejected", score_when_decided=score
            )
    monkeypatch.setattr(dashboard, "BEST_BATCH", 2)
    for batches in (1, 2, 10):
        monkeypatch.setattr(dashboard, "BEST_BATCHES", batches)
        for user in (caseworker, supervisor):
            for limit in (1, 3, 5, 20):
                expected = list(dashboard.matches_to_review(user)[:limit])
                assert dashboard.best_to_review(user, limit) == expected
    assert len(dashboard.best_to_review(caseworker, 20)) == 6  # seen and not decided


def test_a_batch_of_the_best_proposals_is_read_by_their_ids(supervisor: User) -> None:
    """SQLite's plan of a batch: each proposal by its id, not a scan of the requests."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL plans by its statistics")
    batch = dashboard.matches_to_review(supervisor).filter(pk__in=range(dashboard.BEST_BATCH))
    sql, params = batch.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    assert not [step for step in plan if step.startswith("SCAN")], plan


def _request() -> RequestInput:
    return RequestInput(
        enquirer_names=[NameInput("Патимат Исаева", "family")],
        enquirer_relationship="grandmother", filed_on=date(2019, 1, 10),
        sought=[SoughtInput("child", names=[NameInput("Амина Исаева", "family")], sex="f")],
    )  # fmt: skip
