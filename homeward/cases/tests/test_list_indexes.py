"""A case list filtered by status reads its cases from an index in the list's order
(issue 21): at 1M children on PostgreSQL the consul's verified cases in Iraq were all
read and sorted for one page (0.7 s); from the (status, reference) index, 4 ms.

Read on SQLite, whose plan does not depend on the tables' size (no ANALYZE); on
PostgreSQL the plan was read at 1M (bench/README.md, "At 1M on PostgreSQL")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from homeward.cases.queries import listed_cases

pytestmark = pytest.mark.django_db


def test_a_list_by_status_reads_its_cases_in_reference_order(caseworker: User) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    cases = listed_cases(caseworker, {"status": "verified"}, timezone.localdate())
    sql, params = cases.order_by("reference")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        top = [str(row[-1]) for row in cursor.fetchall() if row[1] == 0]  # not subqueries'
    assert any("cases_status_reference" in step for step in top), top
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in top), top
