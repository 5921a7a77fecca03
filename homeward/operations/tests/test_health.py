"""The health endpoint for monitoring, and how storage troubles are told apart."""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

import pytest
from django.db.utils import OperationalError
from django.test import Client

from homeward.operations.health import health
from homeward.operations.storage import Trouble, storage_problem
from homeward.tracing.matching import Worker


@pytest.mark.django_db
def test_the_health_endpoint_answers_without_sign_in_and_says_nothing_personal(
    client: Client,
) -> None:
    response = client.get("/healthz/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == {"writable": True, "problem": None}
    assert report["storage"]["writable"] and report["storage"]["free_bytes"] > 0
    assert report["matching"] == {"workers_alive": 0, "last_seen": None, "queued": 0}
    assert set(report["audit"]) == {"last_anchor"}
    assert "sessionid" not in response.cookies and response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_live_matching_worker_is_counted(settings: Any) -> None:
    with Worker():
        assert health()["matching"]["workers_alive"] == 1
    assert health()["matching"]["workers_alive"] == 0


@pytest.mark.django_db
def test_too_little_free_space_makes_the_health_failing(client: Client, settings: Any) -> None:
    settings.HOMEWARD_MIN_FREE_MB = 10**9  # more than any disk has
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["storage"]["low"]


def wrapped(error: Exception) -> OperationalError:
    """An error as Django raises it: its own class, caused by the driver's."""
    try:
        try:
            raise error
        except Exception as cause:
            raise OperationalError(str(cause)) from cause
    except OperationalError as django_error:
        return django_error


@pytest.mark.parametrize(
    ("error", "trouble"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), Trouble.FULL),
        (wrapped(sqlite3.OperationalError("database or disk is full")), Trouble.FULL),
        (OSError(errno.EROFS, "Read-only file system"), Trouble.NOT_WRITABLE),
        (wrapped(sqlite3.OperationalError("attempt to write a readonly database")),
         Trouble.NOT_WRITABLE),
        (wrapped(sqlite3.OperationalError("disk I/O error")), Trouble.FAILING),
        (ValueError("something else"), None),
    ],
)  # fmt: skip
def test_storage_troubles_are_told_apart(error: Exception, trouble: Trouble | None) -> None:
    found = storage_problem(error)
    assert (found.trouble if found else None) == trouble
