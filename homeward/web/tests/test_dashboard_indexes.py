"""The dashboard's lists and counts read the open rows from indexes of their own (issue
21): at a million children, scanning every alert, visit and proposal joined to its case
took 13 s for a consul's dashboard.

SQLite has no statistics to plan by (no ANALYZE), so its plan here is its plan at any
size. PostgreSQL plans by the statistics its tables carry, and a test database's (a
handful of rows, left by whichever tests ran before) gave a different plan from run to
run in the whole suite, even with sequential scans and sorts turned off: there the plans
were read with EXPLAIN ANALYZE on a 20,000-children registry (bench/README.md, issue 21's
second pass), not in the suite."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from homeward.tracing import review
from homeward.web.dashboard import alerts_for, overdue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_table_plans() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")


def plan(queryset: Any, count: bool = False) -> str:
    """The plan of the list's first rows, or of its count (the rows `count()` counts)."""
    if count:
        inner, params = queryset.order_by().values("pk").query.sql_with_params()
        sql = f"SELECT COUNT(*) FROM ({inner}) counted"  # nosec B608: the ORM's own SQL
    else:
        sql, params = queryset[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        cursor.execute(f"{explain} {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("day", [None, date(2019, 1, 10)])
def test_open_alerts_and_visits_not_made_are_read_from_their_indexes(
    caseworker: User, supervisor: User, large_table_plans: None, day: date | None
) -> None:
    on = day or timezone.localdate()
    for user in (caseworker, supervisor):  # agency scope, and every case
        still_open = alerts_for(user, on).parts[0]
        not_made = overdue_for(user, on).parts[0]
        for count in (False, True):
            assert "rules_alert_open" in plan(still_open, count)
            assert "care_visit_due_open" in plan(not_made, count)


def test_a_proposal_is_told_home_by_the_hand_overs_to_a_relative_alone(
    supervisor: User, large_table_plans: None
) -> None:
    """Of 619k hand-overs at 1M children, 69 were to a relative: the question asked of
    each open proposal (already home with the enquirer's family?) reads only those."""
    by_home = review.open_candidates(supervisor).values("already_home")
    assert "care_handover_to_relative" in plan(by_home.annotate(n=Count("pk")).order_by())
