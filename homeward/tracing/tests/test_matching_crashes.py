"""`homeward match` killed (kill -9) in the middle of its batches, again and again: each
time the next worker takes up the killed one's claimed work within a minute (a lease
later, not an hour), and in the end every queued record is matched: every request finds
the child it was filed for."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from homeward.conftest import homeward_env, kill, script, start_homeward

KILLS = 4
# Enough work that four workers are killed before the queue runs dry: matching got fast
# (200 records in a second), so 100 requests were done before the second kill.
REQUESTS = 600
LEASE_SECONDS = "2"
TAKEN_UP_WITHIN = 60.0


def query(folder: Path, sql: str) -> list[tuple[int, ...]]:
    with sqlite3.connect(folder / "homeward.sqlite3", timeout=30) as db:
        return list(db.execute(sql))


def claimed(folder: Path) -> set[int]:
    return {
        r[0] for r in query(folder, "SELECT id FROM tracing_matchingwork WHERE claimed_by <> ''")
    }


def queued(folder: Path) -> set[int]:
    return {r[0] for r in query(folder, "SELECT id FROM tracing_matchingwork")}


def wait_until(condition: object, deadline: float = 120) -> float:
    """Seconds until `condition()` held."""
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        assert time.monotonic() - started < deadline, "waited too long"
        time.sleep(0.05)
    return time.monotonic() - started


def matcher(folder: Path) -> object:
    env = homeward_env(folder, HOMEWARD_MATCHING_LEASE_SECONDS=LEASE_SECONDS)
    return start_homeward(folder, "match", "--batch", "20", "--watch", "0.2", env=env)


@pytest.mark.slow
def test_a_killed_matchers_work_is_done_by_the_next_within_a_minute_and_nothing_is_lost(
    data_folder: Path,
) -> None:
    expected = script(data_folder, "seed_matching", str(REQUESTS))
    assert len(queued(data_folder)) == 2 * REQUESTS  # a case and a sought person per request
    rng = random.Random(22)
    orphaned: set[int] = set()
    killed_at = 0.0
    mid_batch = 0
    taken_up: list[float] = []
    for _ in range(KILLS):
        worker = matcher(data_folder)
        try:
            if orphaned:  # the killed worker's claims, taken up by this one
                wait_until(lambda: not orphaned & queued(data_folder))  # noqa: B023
                taken_up.append(time.monotonic() - killed_at)
            # A worker that finished the queue between two looks never shows a claim.
            wait_until(lambda: bool(claimed(data_folder)) or not queued(data_folder))
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            kill(worker)
        killed_at = time.monotonic()
        orphaned = claimed(data_folder)  # empty if it was killed between two batches
        mid_batch += bool(orphaned)
    last = matcher(data_folder)
    try:
        wait_until(lambda: not orphaned & queued(data_folder))
        taken_up.append(time.monotonic() - killed_at)
        wait_until(lambda: not queued(data_folder), deadline=600)
    finally:
        kill(last)

    assert mid_batch >= KILLS // 2 and max(taken_up) < TAKEN_UP_WITHIN
    state = script(data_folder, "matching_state")
    pairs = {tuple(p) for p in state["pairs"]}
    lost = [s for s, c in expected.items() if (int(s), c) not in pairs]
    assert state["queued"] == 0 and not lost
    print(
        f"\nmatch crash test: {KILLS} kills ({mid_batch} mid-batch), {len(expected)} requests and "
        f"{len(expected)} cases queued, {len(lost)} lost; claims taken up in "
        f"{', '.join(f'{t:.1f}' for t in taken_up)} s"
    )
