"""On PostgreSQL: `homeward backup` dumps with pg_dump, and `homeward restore` puts the dump
into an empty database and proves it whole."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from homeward.cases.models import ChildCase
from homeward.conftest import HOMEWARD
from homeward.protection.tests.test_restricted import add_mother

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's"),
    pytest.mark.slow,
]
PASSPHRASE = "correct horse battery staple"
TARGET = "homeward_restore_drill"


def url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def empty_database() -> Iterator[str]:
    admin = psycopg.connect(url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{TARGET}"')
    admin.execute(f'CREATE DATABASE "{TARGET}"')
    try:
        yield url(TARGET)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{TARGET}" WITH (FORCE)')
        admin.close()


def homeward(*args: str, database: str, data: Path) -> Any:
    env = dict(os.environ, DATABASE_URL=database, HOMEWARD_DATA_DIR=str(data),
               HOMEWARD_BACKUP_PASSPHRASE=PASSPHRASE)  # fmt: skip
    return subprocess.run(
        [str(HOMEWARD), *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_an_empty_database_and_is_proven_whole(
    make_case: Callable[..., ChildCase], caseworker: User, tmp_path: Path, empty_database: str
) -> None:
    add_mother(make_case(), caseworker)
    here = Path(settings.DATA_DIR)  # where this process keeps its keys
    made = homeward(
        "backup",
        "--to",
        str(tmp_path / "b"),
        database=url(connection.settings_dict["NAME"]),
        data=here,
    )
    assert made.returncode == 0 and "Database dumped with pg_dump" in made.stdout, made.stderr
    backup = next(p for p in (tmp_path / "b").iterdir() if p.is_dir())
    restored = homeward("restore", str(backup), database=empty_database, data=tmp_path / "fresh")
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified" in restored.stdout and "2 encrypted values" in restored.stdout
