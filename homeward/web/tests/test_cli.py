"""The `homeward` console command, run as an operator runs it, in a fresh data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def homeward(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["HOMEWARD_DATA_DIR"] = str(data_dir)
    command = [str(Path(sys.executable).with_name("homeward")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_demo_no_serve_creates_the_embedded_database_and_stats_reads_it(tmp_path: Path) -> None:
    loaded = homeward(tmp_path, "demo", "--no-serve")
    assert loaded.returncode == 0, loaded.stderr
    assert "2019-01-05: in Iraq, aged below 10: 115" in loaded.stdout
    assert (tmp_path / "homeward.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

    # The demo's mothers' sentences are restricted: not one is in the database files in clear.
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("homeward.sqlite3*"))
    assert b"hw2:1:" in raw
    for sentence in (b"Life imprisonment", b"Awaiting appeal", b"15 years", b"20 years"):
        assert sentence not in raw
    assert (tmp_path / "keys.json").stat().st_mode & 0o077 == 0

    result = homeward(
        tmp_path, "stats", "--as-of", "2019-01-05", "--host", "IQ", "--by", "age-band", "--json"
    )
    assert result.returncode == 0, result.stderr
    rows = {r["age-band"]: r["count"] for r in json.loads(result.stdout)["rows"]}
    assert rows["below 10"] == 115 and rows["11-17"] == 8


def test_the_database_is_sqlite_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    script = (
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA synchronous').fetchone()[0],"
        " c.execute('PRAGMA foreign_keys').fetchone()[0])"
    )
    result = homeward(tmp_path, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "2", "1"]  # synchronous 2 is FULL


def test_a_bad_option_gets_a_message_naming_it_and_a_non_zero_exit(tmp_path: Path) -> None:
    result = homeward(tmp_path, "stats", "--as-of", "2019-02-30")
    assert result.returncode != 0
    assert "argument --as-of: '2019-02-30' is not a date; write YYYY-MM-DD." in result.stderr


def test_every_django_command_runs_through_homeward(tmp_path: Path) -> None:
    result = homeward(tmp_path, "help")
    assert result.returncode == 0
    for command in ["demo", "serve", "stats", "migrate", "createsuperuser"]:
        assert command in result.stdout
