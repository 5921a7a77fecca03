"""`homeward worker` as an operator runs it, in processes of its own on a data folder: it
does queued matching, a queued export and the day's jobs; two at once run a day's job
once; SIGTERM stops it cleanly; a killed one's claims are taken up by the next."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest

from homeward.conftest import homeward_env, kill, script, start_homeward

JOBS = {"custody-rules", "digest", "audit-anchor"}
LEASE_SECONDS = "2"


def worker(folder: Path, *args: str) -> Any:
    env = homeward_env(folder, HOMEWARD_MATCHING_LEASE_SECONDS=LEASE_SECONDS)
    return start_homeward(folder, "worker", "--interval", "0.2", *args, env=env)


def state(folder: Path) -> dict[str, Any]:
    found: dict[str, Any] = script(folder, "background_state")
    return found


def wait_for(folder: Path, condition: Any, deadline: float = 120) -> dict[str, Any]:
    started = time.monotonic()
    while not condition(now := state(folder)):
        assert time.monotonic() - started < deadline, f"waited too long: {now}"
        time.sleep(0.2)
    return now


def all_done(now: dict[str, Any]) -> bool:
    finished = {job for job, _, _, succeeded in now["runs"] if succeeded}
    return now["queued"] == 0 and finished == JOBS and set(now["exports"]) == {"done"}


def stop(process: Any) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    return process.returncode, out + err


@pytest.mark.slow
def test_a_worker_matches_writes_the_export_runs_the_days_jobs_and_stops_on_sigterm(
    data_folder: Path,
) -> None:
    expected = script(data_folder, "seed_matching", "5")
    script(data_folder, "queue_export")
    assert state(data_folder)["exports"] == ["queued"]
    process = worker(data_folder)
    try:
        done = wait_for(data_folder, all_done)
    finally:
        code, output = stop(process)
    assert {str(s): c for s, c in done["pairs"]} == expected
    assert code == 0, output
    assert "Stopped." in output
    assert state(data_folder)["workers"] == 0  # gone from the workers seen at once


@pytest.mark.slow
def test_two_workers_at_once_run_each_days_job_once(data_folder: Path) -> None:
    first, second = worker(data_folder), worker(data_folder)
    try:
        done = wait_for(data_folder, lambda now: {r[0] for r in now["runs"] if r[3]} == JOBS)
        time.sleep(1)  # a few more rounds each
    finally:
        outputs = [stop(first)[1], stop(second)[1]]
    assert len(done["runs"]) == len(JOBS)
    for job in JOBS:
        ran = sum(line.startswith(f"{job} ") for out in outputs for line in out.splitlines())
        assert ran == 1, (job, outputs)


@pytest.mark.slow
def test_a_killed_workers_claims_are_taken_up_by_the_next(data_folder: Path) -> None:
    expected = script(data_folder, "seed_matching", "600")
    for _ in range(5):  # a worker killed between two batches leaves no claim: again
        first = worker(data_folder, "--batch", "20")
        try:
            wait_for(data_folder, lambda now: now["claimed"] > 0)
        finally:
            kill(first)
        orphaned = state(data_folder)
        if orphaned["claimed"]:
            break
    assert orphaned["claimed"] > 0 and orphaned["workers"] >= 1  # left behind by kill -9
    started = time.monotonic()
    second = worker(data_folder, "--batch", "20")
    try:
        done = wait_for(data_folder, all_done_but_exports, deadline=180)
    finally:
        stop(second)
    assert time.monotonic() - started < 180
    assert {str(s): c for s, c in done["pairs"]} == expected


def all_done_but_exports(now: dict[str, Any]) -> bool:
    return now["queued"] == 0 and {r[0] for r in now["runs"] if r[3]} == JOBS
