"""The dashboard's lists and counts read the open rows from indexes of their own (issue
21): at a million children, scanning every alert, visit and proposal joined to its case
took 13 s for a consul's dashboard. On PostgreSQL sequential scans and sorts are turned off, so
that the plan of a small test database is that of a large one and the test shows the
conditions let the index be used; SQLite has no statistics to plan by (no ANALYZE), so
its plan here is its plan at any size."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from homeward.web.dashboard import alerts_for, overdue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_table_plans() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield  # SQLite plans without statistics: alike for a small and a large database
        return
    # Nor sorts: the statistics earlier tests left (a handful of rows) can make sorting a
    # few rows found by another index look cheaper, which at a million rows it is not.
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")


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
            assert "care_visit_not_made" in plan(not_made, count)
