"""A flow reads the days its cases reached its status from an index alone (issue 21): at
1M children, "repatriated in 2025, by region" (89,484 children) made three index probes a
child (the status history, the case's last spell, the spell): 3.7 to 8.9 s. The reaches
(`CaseReach`) keep the day and the child's facts beside each other in one index.

Read on SQLite, whose plan does not depend on the tables' size; PostgreSQL's was read
at 1M (bench/README.md, "At 1M on PostgreSQL")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.statistics.services import StatsQuery, count_children

pytestmark = pytest.mark.django_db


def _plan(by: tuple[str, ...]) -> tuple[str, str]:
    flow = StatsQuery(
        by=by, flow="repatriated", flow_from=date(2025, 1, 1), flow_to=date(2025, 12, 31)
    )
    with CaptureQueriesContext(connection) as captured:
        count_children(flow)
    (sql,) = [q["sql"] for q in captured.captured_queries if "statistics_casereach" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")  # nosec B608: the ORM's SQL
        return sql, "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_a_flow_by_the_childs_facts_reads_one_index_and_no_spell() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    sql, plan = _plan(("region", "age-band"))
    assert "COVERING INDEX statistics_reach_counted" in plan, plan
    assert "statistics_casespell" not in sql and "cases_statustransition" not in sql


def test_a_flow_by_the_status_at_the_periods_end_reads_each_childs_spell_by_index() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    _sql, plan = _plan(("host", "status"))
    assert "COVERING INDEX statistics_reach_counted" in plan, plan
    assert "INDEX statistics_spell_case_facts (case_id=? AND starts_on<?)" in plan
    assert "SCAN statistics_casespell" not in plan, plan


def test_an_as_of_count_reads_the_running_spells_from_their_own_index() -> None:
    """The spells still running are read from their partial index (open cases only), not
    from a scan of every spell's entry in the ended spells' index: SQLite uses a partial
    index only when the query's conditions are written as the index's are, not passed
    beside the SQL (at 100k, 207 against 85 ms CPU for a count by region and age band)."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    sent: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        # By mission: not held by the cells (`statistics.cells`), read from the spells.
        count_children(StatsQuery(as_of=date(2024, 3, 1), by=("mission", "age-band")))
    plans = _plans(sent, "statistics_casespell")
    assert len(plans) == 2, plans  # the ended spells of the day's year, the running ones
    assert any("INDEX statistics_spell_running" in plan for plan in plans), plans
    assert not any("SCAN statistics_casespell" in plan for plan in plans), plans


def _plans(sent: list[tuple[str, Any]], table: str) -> list[str]:
    plans = []
    for sql, params in sent:
        if table in sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)  # nosec B608: the ORM's
                plans.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
    return plans


def test_an_as_of_count_by_two_dimensions_sums_the_cells_and_reads_no_spell_of_the_day(
    children: dict[str, Any],
) -> None:
    """A day's count by region and age band is summed from the cells kept per day, and
    its youngest and oldest child are the first spells covering the day along the births'
    index: no scan of the day's spells (at 1M, ~500k index entries, 0.4 to 0.75 s)."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's plan of a test database depends on earlier tests' rows")
    sent: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        count_children(StatsQuery(as_of=date(2024, 3, 1), by=("region", "age-band")))
    assert len(_plans(sent, "statistics_cellchange")) == 1
    spells = _plans(sent, "statistics_casespell")
    assert len(spells) == 2, spells  # the youngest and the oldest
    assert all("INDEX statistics_spell_births" in plan for plan in spells), spells
    assert not any("TEMP B-TREE" in plan for plan in spells), spells


def test_a_day_with_no_child_born_counted_reads_no_spell() -> None:
    """With no child of known birth among those counted, the youngest and oldest are not
    looked for: the births' index would be read to its end for nothing (at 1M, a filter
    that matches no child of an early day read 10k blocks, 400 ms)."""
    sent: list[str] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        result = count_children(StatsQuery(as_of=date(2024, 3, 1), statuses=("repatriated",)))
    assert result.total == 0 and result.youngest is None
    assert [sql for sql in sent if "statistics_casespell" in sql] == []
