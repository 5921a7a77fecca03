"""Backups taken while Homeward writes, restored into a fresh folder and proven whole; a
restore that cannot be proven is refused; the app refuses to start on data its keys do
not read, and never makes a new key over existing data."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from homeward.conftest import (
    homeward_env,
    kill,
    read_encrypted,
    run_homeward,
    script,
    start_homeward,
    start_script,
)
from homeward.lib.crypto import KeyRing, save_key_file
from homeward.operations.tests.test_storage import free_port

pytestmark = pytest.mark.slow

PASSPHRASE = "correct horse battery staple"


def with_passphrase(folder: Path) -> dict[str, str]:
    return homeward_env(folder, HOMEWARD_BACKUP_PASSPHRASE=PASSPHRASE)


def back_up(folder: Path, into: Path) -> Path:
    done = run_homeward(folder, "backup", "--to", str(into), env=with_passphrase(folder))
    assert "Backup written to" in done.stdout, done.stdout
    return next(p for p in into.iterdir() if p.is_dir())


def restore(folder: Path, backup: Path, *extra: str) -> Any:
    return run_homeward(
        folder, "restore", str(backup), *extra, env=with_passphrase(folder), check=False
    )


class Acknowledged:
    """The lines a writer prints after each commit, with the moment each was read."""

    def __init__(self, process: Any) -> None:
        self.lines: list[tuple[float, tuple[int, str]]] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: Any) -> None:
        for line in process.stdout:
            _, case, sentence = line.strip().split(" ", 2)
            self.lines.append((time.monotonic(), (int(case), sentence)))

    def before(self, moment: float) -> list[tuple[int, str]]:
        return [written for at, written in self.lines if at < moment]

    def join(self) -> None:
        self._thread.join(timeout=120)


def test_a_backup_taken_while_writers_write_loses_no_acknowledged_write_and_restores_whole(
    data_folder: Path, tmp_path: Path
) -> None:
    script(data_folder, "seed_encrypted", "20", "4", "64")
    writers = [start_script(data_folder, "write_cases", "10") for _ in range(2)]
    acks = [Acknowledged(w) for w in writers]
    while sum(len(a.lines) for a in acks) < 40:  # both have written a while
        time.sleep(0.1)
    started = time.monotonic()
    backup = back_up(data_folder, tmp_path / "backups")
    for writer, ack in zip(writers, acks, strict=True):
        writer.wait(timeout=120)
        ack.join()
        writer.stdout.close()
        assert not writer.stderr.read()
        writer.stderr.close()
    acknowledged = [s for a in acks for s in a.before(started)]
    written_during = sum(len(a.lines) for a in acks) - len(acknowledged)

    fresh = tmp_path / "fresh"
    restored = restore(fresh, backup)
    assert restored.returncode == 0, restored.stderr
    assert "Restored and verified: database integrity ok; the audit trail is intact" in (
        restored.stdout
    )
    found = read_encrypted(fresh)
    assert not found["unreadable"]
    sentences = set(found["values"].values())
    with sqlite3.connect(fresh / "homeward.sqlite3") as db:
        documented = {r[0] for r in db.execute("SELECT case_id FROM cases_attachment")}
    lost = [(c, s) for c, s in acknowledged if s not in sentences or c not in documented]
    assert acknowledged and not lost
    print(
        f"\nbackup under writers: {len(acknowledged)} writes acknowledged before the backup, "
        f"0 lost ({written_during} more during and after it); restored: {len(found['values'])} "
        f"values and {len(found['files'])} files decrypt"
    )


def test_a_restore_that_cannot_be_proven_whole_is_refused_and_says_why(
    data_folder: Path, tmp_path: Path
) -> None:
    script(data_folder, "seed_encrypted", "3", "1", "4")
    first = back_up(data_folder, tmp_path / "first")
    refused = restore(data_folder, first)
    assert refused.returncode == 1 and "holds files already" in refused.stderr

    fresh = tmp_path / "fresh"
    keys = first.with_name(first.name + ".keys")
    wrong = run_homeward(
        fresh, "restore", str(first),
        env=homeward_env(fresh, HOMEWARD_BACKUP_PASSPHRASE="not the passphrase at all"),
        check=False,
    )  # fmt: skip
    assert wrong.returncode == 1 and "Wrong passphrase" in wrong.stderr

    keys.rename(tmp_path / "keys-elsewhere")
    refused = restore(fresh, first)
    assert refused.returncode == 1 and "keys file" in refused.stderr and "missing" in refused.stderr
    assert not (fresh / "keys.json").exists() and not (fresh / "attachments").exists()

    # A key file older than the last rotation: values on the newer key cannot be read.
    run_homeward(data_folder, "rotate-keys")
    second = back_up(data_folder, tmp_path / "second")
    stale = restore(fresh, second, "--keys", str(tmp_path / "keys-elsewhere"))
    assert stale.returncode == 1 and "NOT usable" in stale.stderr
    assert "Key version 2 is needed" in stale.stderr

    damaged = tmp_path / "damaged"
    shutil.copytree(second, damaged)
    shutil.copy(second.with_name(second.name + ".keys"), damaged.with_name("damaged.keys"))
    scan = next((damaged / "files" / "cases").rglob("*.pdf"))
    scan.write_bytes(scan.read_bytes()[:100])
    refused = restore(tmp_path / "fresh-2", damaged)
    assert refused.returncode == 1 and "damaged" in refused.stderr


def test_serve_refuses_data_its_keys_do_not_read_and_never_makes_a_new_key_over_it(
    data_folder: Path, tmp_path: Path
) -> None:
    script(data_folder, "seed_encrypted", "2", "1", "4")
    keys = data_folder / "keys.json"
    keys.rename(tmp_path / "kept.json")
    refused = run_homeward(data_folder, "serve", "--port", "1", check=False, timeout=60)
    assert refused.returncode == 1
    assert "No key file" in refused.stderr and "holds 4 encrypted values" in refused.stderr
    assert not keys.exists()  # no key 1 made over the data

    save_key_file(keys, KeyRing().with_new_key())  # another installation's key file
    refused = run_homeward(data_folder, "serve", "--port", "1", check=False, timeout=60)
    assert refused.returncode == 1 and "does not read the encrypted data" in refused.stderr

    (tmp_path / "kept.json").replace(keys)
    server = start_homeward(data_folder, "serve", "--port", str(free_port()))
    said = [server.stdout.readline() for _ in range(3)]
    kill(server)
    assert said[1].startswith("Encrypted data: read with") and "serving on" in said[2]
