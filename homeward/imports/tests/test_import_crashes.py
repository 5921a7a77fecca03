"""`homeward import --commit` killed (kill -9) at random moments, again and again: the
cases are never half there (all of the file or none, to everyone who looks), the database
stays whole, and the next run of the same command goes on with the same batch and
finishes it: every row once, one batch, no file left behind. The same for a commit left
to `homeward worker` (a large file's, from the import page or the API) whose worker is
killed: the next worker goes on with it."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from homeward.conftest import kill, run_homeward, script, start_homeward
from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS, family_name
from homeward.imports.tests.conftest import CHILD_HEADERS, write_csv
from homeward.operations.tests.test_worker_processes import stop, worker

ROWS = 3000
KILLS = 5


def children_file(path: Path) -> Path:
    rng = random.Random(32)
    rows = []
    for number in range(1, ROWS + 1):
        sex = rng.choice("fm")
        given = rng.choice(GIRLS if sex == "f" else BOYS)
        family = family_name(rng.choice(FAMILY_NAMES), sex)
        rows.append([
            f"kobo-{number}", f"{given[0]} {family[0]} {number}", "", "", sex,
            f"{2005 + number % 12}-{1 + number % 12:02d}-{1 + number % 28:02d}", "RU", "RU-DA",
            "IQ", "camp", "2018-05-02",
        ])  # fmt: skip
    return write_csv(path, CHILD_HEADERS, rows)


# What cases.models.VisibleCases hides: the cases of an import still being written.
HIDDEN = "import_batch_id IN (SELECT id FROM imports_importbatch WHERE status = 'committing')"


def state(folder: Path) -> dict[str, object]:
    with sqlite3.connect(folder / "homeward.sqlite3", timeout=30) as db:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "visible": one(f"SELECT COUNT(*) FROM cases_childcase WHERE NOT ({HIDDEN})"),  # nosec B608
            "hidden": one(f"SELECT COUNT(*) FROM cases_childcase WHERE {HIDDEN}"),  # nosec B608
            "batches": one("SELECT COUNT(*) FROM imports_importbatch"),
            "committed": one("SELECT COUNT(*) FROM imports_importbatch WHERE status='committed'"),
            "records": one("SELECT COUNT(DISTINCT external_id) FROM imports_importedrecord"),
            "integrity": one("PRAGMA integrity_check"),
        }


def wait_for_chunks(folder: Path, process: object, deadline: float = 120) -> None:
    until = time.monotonic() + deadline
    while time.monotonic() < until and process.poll() is None:  # type: ignore[attr-defined]
        now = state(folder)
        if now["hidden"] or now["visible"]:
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_an_import_killed_at_random_moments_is_never_half_there_and_the_next_run_finishes_it(
    data_folder: Path, tmp_path: Path
) -> None:
    script(data_folder, "seed_importer")
    csv = children_file(tmp_path / "children.csv")
    command = ("import", str(csv), "--source", "Field team", "--user", "worker", "--commit")
    rng = random.Random(7)
    mid_commit = 0
    for round_ in range(KILLS):
        process = start_homeward(data_folder, *command)
        if round_ % 2:  # anywhere: reading, checking, writing
            time.sleep(rng.uniform(0.5, 3.0))
        else:  # while it writes its chunks
            wait_for_chunks(data_folder, process)
            time.sleep(rng.uniform(0.0, 0.3))
        kill(process)
        now = state(data_folder)
        assert now["integrity"] == "ok"
        assert now["visible"] in (0, ROWS), now  # never half an import, to anyone
        assert now["batches"] == 1, now  # each run goes on with the same batch
        mid_commit += bool(now["hidden"])
        if now["visible"] == ROWS:
            break

    done = run_homeward(data_folder, *command)
    assert "Going on with batch" in done.stdout or state(data_folder)["visible"] == ROWS
    final = state(data_folder)
    assert final == {
        "visible": ROWS, "hidden": 0, "batches": 1, "committed": 1, "records": ROWS,
        "integrity": "ok",
    }  # fmt: skip
    assert "intact" in run_homeward(data_folder, "audit", "verify").stdout
    assert len(list((data_folder / "attachments" / "imports").iterdir())) == 1
    print(
        f"\nimport crash test: {KILLS} kills ({mid_commit} leaving hidden chunks behind), "
        f"{ROWS} rows, never half visible; the next run finished the same batch: {ROWS} "
        "cases, 0 lost, 0 twice"
    )


def wait_for_more(folder: Path, process: object, than: int, deadline: float = 120) -> None:
    """Until the worker has written a chunk more than `than` cases (or finished, or died)."""
    until = time.monotonic() + deadline
    while time.monotonic() < until and process.poll() is None:  # type: ignore[attr-defined]
        now = state(folder)
        if now["hidden"] > than or now["visible"]:  # type: ignore[operator]
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_a_background_commit_whose_worker_is_killed_is_finished_by_the_next_worker(
    data_folder: Path, tmp_path: Path
) -> None:
    script(data_folder, "seed_importer")
    csv = children_file(tmp_path / "children.csv")
    script(data_folder, "queue_import_commit", str(csv))
    rng = random.Random(11)
    mid_commit = 0
    for _round in range(KILLS):
        process = worker(data_folder)
        wait_for_more(data_folder, process, than=int(state(data_folder)["hidden"]))  # type: ignore[call-overload]
        time.sleep(rng.uniform(0.0, 0.3))
        kill(process)
        now = state(data_folder)
        assert now["integrity"] == "ok"
        assert now["visible"] in (0, ROWS), now  # never half an import, to anyone
        assert now["batches"] == 1, now
        mid_commit += bool(now["hidden"])
        if now["visible"] == ROWS:
            break

    process = worker(data_folder)
    try:
        until = time.monotonic() + 180
        while state(data_folder)["committed"] != 1:
            assert time.monotonic() < until, state(data_folder)
            time.sleep(0.2)
    finally:
        stop(process)
    final = state(data_folder)
    assert final == {
        "visible": ROWS, "hidden": 0, "batches": 1, "committed": 1, "records": ROWS,
        "integrity": "ok",
    }  # fmt: skip
    assert "intact" in run_homeward(data_folder, "audit", "verify").stdout
    print(
        f"\nbackground import crash test: {mid_commit} workers killed leaving hidden chunks, "
        f"{ROWS} rows, never half visible; the next worker finished it: 0 lost, 0 twice"
    )
