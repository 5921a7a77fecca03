"""A flow reads the cases that reached its status from an index alone (issue 21): at 1M
children, "repatriated in 2025" read 61k blocks of the status history (2.3 s of 5.7 s)
for the 89,484 children's cases; from the (to_status, effective_on, case) index, none.

Read on SQLite, whose plan does not depend on the tables' size; PostgreSQL's was read
at 1M (bench/README.md, "At 1M on PostgreSQL")."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.statistics.services import StatsQuery, count_children

pytestmark = pytest.mark.django_db


def test_a_flow_reads_the_cases_that_reached_its_status_from_an_index_alone() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    flow = StatsQuery(
        by=("region",), flow="repatriated", flow_from=date(2025, 1, 1), flow_to=date(2025, 12, 31)
    )
    with CaptureQueriesContext(connection) as captured:
        count_children(flow)
    (sql,) = [q["sql"] for q in captured.captured_queries if "cases_statustransition" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = [str(row[-1]) for row in cursor.fetchall()]
    assert any("COVERING INDEX cases_transition_reached" in step for step in plan), plan
