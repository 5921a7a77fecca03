"""`homeward rotate-keys` killed (kill -9) at random moments, again and again: after every
kill every value and file still decrypts to what it was, and a rerun goes on where the
killed one stopped. A file damaged for good is reported and skipped, never a stop."""

from __future__ import annotations

import random
import select
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from homeward.conftest import kill, read_encrypted, run_homeward, script, start_homeward

KILLS = 5


def wait_for_line(process: Any, words: tuple[str, ...], deadline: float = 60) -> str:
    """The first line of the process's output holding one of `words` ("" if it ended)."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            line = process.stdout.readline()
            if not line or any(w in line for w in words):
                return str(line)
    raise AssertionError(f"no line with {words} in {deadline} s")


def unfinished_rotation(folder: Path) -> bool:
    with sqlite3.connect(folder / "homeward.sqlite3") as db:
        sql = "SELECT COUNT(*) FROM protection_keyrotation WHERE finished_at IS NULL"
        return bool(db.execute(sql).fetchone()[0])


def rotation_seconds(folder: Path) -> float:
    """How long a whole rotation lasts on this machine now, from its first line: kills are
    timed within it (a fixed half second was after the end on a fast machine, and most
    kills then found nothing to interrupt)."""
    process = start_homeward(folder, "rotate-keys")
    wait_for_line(process, ("Started",))
    started = time.monotonic()
    process.communicate(timeout=300)
    assert process.returncode == 0 and not unfinished_rotation(folder)
    return time.monotonic() - started


@pytest.mark.slow
def test_rotate_keys_killed_at_random_moments_loses_nothing_and_goes_on(
    data_folder: Path,
) -> None:
    script(data_folder, "seed_encrypted", "100", "16", "1024")
    before = read_encrypted(data_folder)
    assert not before["unreadable"] and len(before["files"]) == 18
    lasts = rotation_seconds(data_folder)
    files = sorted((data_folder / "attachments").rglob("*.pdf"))
    files[0].write_bytes(files[0].read_bytes()[:1000])  # damaged for good
    rng = random.Random(1919)
    interrupted = 0
    for _ in range(KILLS):
        process = start_homeward(data_folder, "rotate-keys")
        wait_for_line(process, ("Started", "Going on"))
        time.sleep(rng.uniform(0.0, 0.4 * lasts))
        kill(process)
        interrupted += unfinished_rotation(data_folder)
        now = read_encrypted(data_folder)
        assert now["values"] == before["values"]
        assert len(now["unreadable"]) == 1, now["unreadable"]  # the one damaged on purpose
        assert now["files"] == {w: h for w, h in before["files"].items() if w in now["files"]}
        assert len(now["files"]) == len(before["files"]) - 1

    unfinished = unfinished_rotation(data_folder)
    final = run_homeward(data_folder, "rotate-keys", check=False)
    assert interrupted >= KILLS - 2  # most kills land mid-rotation
    assert ("Going on with the rotation" in final.stdout) == unfinished
    assert final.returncode == 1 and "skipped:" in final.stderr  # reported, not a stop
    assert "is now in use" in final.stdout
    after = read_encrypted(data_folder)
    assert after["values"] == before["values"]
    readable = {w: h for w, h in before["files"].items() if w in after["files"]}
    assert after["files"] == readable and len(readable) == len(before["files"]) - 1
    newest = max(int(f.split(":")[1]) for f in after["formats"])
    assert set(after["formats"]) == {f"hw2:{newest}"}  # all on the newest key, row-bound
    assert not list(data_folder.rglob(".*.tmp"))  # no half-written file left behind
    print(
        f"\nrotate-keys crash test: a rotation lasts {lasts:.2f} s; "
        f"{KILLS} kills ({interrupted} mid-rotation), "
        f"{len(after['values'])} values and {len(after['files'])} files checked after each, "
        "0 lost; 1 damaged file reported and skipped"
    )
