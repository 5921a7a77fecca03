"""How Homeward's connections to SQLite are kept between requests (issue 21)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_a_server_thread_keeps_its_connection_for_the_next_requests() -> None:
    """A connection opened per request cost 3 ms of a 5 ms page. (The tests' in-memory
    database is never closed, so this reads the setting rather than watching a request.)"""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's connections were kept already")
    assert connection.settings_dict["CONN_MAX_AGE"] >= 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
