"""The database, the keys and every stored file are readable by their owner only, and
`homeward serve` tightens what an older version left open, saying so."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from homeward.conftest import run_homeward, script

pytestmark = pytest.mark.slow


def open_to_others(folder: Path) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files, "."]:
            path = Path(root) / name
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                found.append(f"{path.relative_to(folder)} {oct(path.stat().st_mode)}")
    return found


def test_everything_homeward_writes_is_for_its_owner_only_and_serve_tightens_the_rest(
    data_folder: Path,
) -> None:
    script(data_folder, "seed_encrypted", "2", "2", "4")
    assert (data_folder / "keys.json").exists() and (data_folder / "attachments").exists()
    assert open_to_others(data_folder) == []

    (data_folder / "homeward.sqlite3").chmod(0o644)  # as an older version made them
    (data_folder / "keys.json").chmod(0o644)
    data_folder.chmod(0o755)
    for path in (data_folder / "attachments").rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    with socket.socket() as taken:  # serve checks, then cannot bind: enough for this
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        taken.listen()
        done = run_homeward(data_folder, "serve", "--port", str(port), check=False, timeout=60)
    assert "readable by their owner only" in done.stdout, done.stdout + done.stderr
    assert open_to_others(data_folder) == []
