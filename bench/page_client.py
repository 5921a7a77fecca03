"""Django for the page benchmarks: set up on a checkout and a registry, and the test client
signed in as one of the demo's staff (no network, no server; the demo's second factor is
off). Shared by `bench_pages.py`, `profile_page.py` and `explain_page.py`.

With `read_only`, nothing is left written in the database (for a registry another session
owns, such as the 1M one): sessions are kept in signed cookies rather than in the
database, and what a sign-in or a request writes (the last sign-in, audit entries) is
rolled back at its end, so the audit trail's lock is held to the end of the request.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_read_only = False


def setup(code: str = ".", database: str | None = None, read_only: bool = False) -> None:
    """Django set up from the checkout `code`, on `database`: an SQLite registry's data
    folder or a PostgreSQL URL (None: as the environment says)."""
    global _read_only
    _read_only = read_only
    sys.path.insert(0, str(Path(code).resolve()))
    if database is not None and database.startswith("postgres"):
        os.environ["DATABASE_URL"] = database
    elif database is not None:
        os.environ.pop("DATABASE_URL", None)
        os.environ["HOMEWARD_DATA_DIR"] = database
    os.environ["HOMEWARD_DEMO_MODE"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    if read_only:
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


def signed_in(username: str) -> Any:
    """A test client signed in as `username` (one of the demo's staff)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    with kept():
        client.force_login(get_user_model().objects.get(username=username))
    return client


def ask(client: Any, url: str, data: dict[str, str] | None = None) -> Any:
    """GET `url` (POST `data` when given) with the signed-in client."""
    with kept():
        return client.post(url, data) if data else client.get(url)


@contextmanager
def kept() -> Iterator[None]:
    """What is written inside is kept, or rolled back at the end when read-only (the
    test client's requests run in this thread, inside the transaction)."""
    from django.db import transaction

    if not _read_only:
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
