"""A case list filtered by status reads its cases from an index in the list's order
(issue 21): at 1M children on PostgreSQL the consul's verified cases in Iraq were all
read and sorted for one page (0.7 s); from the (status, reference) index, 4 ms.

Read on SQLite, whose plan does not depend on the tables' size (no ANALYZE); on
PostgreSQL the plan was read at 1M (bench/README.md, "At 1M on PostgreSQL")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homeward.cases.queries import listed_cases, usual_registration

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


def test_an_agencys_latest_registrations_are_read_from_an_index(caseworker: User) -> None:
    """What the registration form starts from (`usual_registration`): at 1M children the
    consul's 400k cases were read and sorted for their latest 200 (0.3 s)."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    with CaptureQueriesContext(connection) as captured:
        usual_registration(caseworker.staff_profile.agency)
    latest = captured.captured_queries[0]["sql"]  # the agency's latest 200 cases
    assert "ORDER BY" in latest and "LIMIT 200" in latest
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {latest}")
        top = [str(row[-1]) for row in cursor.fetchall() if row[1] == 0]
    assert any("cases_agency_registered" in step for step in top), top
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in top), top
