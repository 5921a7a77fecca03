"""How Homeward's connections to PostgreSQL are set up for its pages (issue 21)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_compiles_no_query_just_in_time() -> None:
    """At 1M children a case list's count is costed above PostgreSQL's JIT threshold, and
    compiling it took 0.6 s of its 1.5 s: a page's queries are planned, never compiled."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_postgresql_costs_random_reads_as_cached_ones() -> None:
    """With the default cost of a random read (4), a consul's count of 8,556 open alerts
    hashed all 1M cases (1.2 s at 1M) rather than probe 8,556 of them by key (0.1 s)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no such cost")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) <= 1.1
