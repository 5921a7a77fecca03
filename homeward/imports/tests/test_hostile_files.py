"""Hostile import files (issue 14, item 2) are refused with a clear message before they
exhaust the server: a zip bomb, a huge cell, a huge header, too many rows; a large file's
dry run runs in the background with its progress on the report page."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from homeward.conftest import signed_in
from homeward.imports import services
from homeward.imports.models import BatchStatus, ImportBatch, ImportSource
from homeward.imports.reading import Limits, UnreadableFileError, read_table
from homeward.imports.services import ImportRefused
from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, ZAREMA

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_import_bombs.py"
sys.path.insert(0, str(BENCH.parent))
import bench_import_bombs as bombs  # noqa: E402


def read_all(data: bytes, name: str, limits: Limits | None = None) -> None:
    table = read_table(io.BytesIO(data), name, *([limits] if limits else []))
    for _ in table.rows:
        pass


def test_a_zip_bomb_is_refused_from_the_zip_directory() -> None:
    bomb = bombs.zip_bomb(inflated=60 * 2**20)  # under the text limit, but compressed 1000x
    assert len(bomb) < 200_000
    with pytest.raises(UnreadableFileError, match=r"compressed [0-9,]+ times, as a zip bomb"):
        read_all(bomb, "bomb.xlsx")


def test_a_workbook_whose_text_inflates_too_far_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="text inflates to 2 MB; at most 1 MB"):
        read_table(io.BytesIO(bombs.zip_bomb(2 * 2**20)), "b.xlsx",
                   Limits(shared_strings_bytes=2**20, ratio=10**6))  # fmt: skip


def test_a_huge_csv_cell_is_refused_not_a_500() -> None:
    data = b"external_id,name\n1,Amina\n2," + b"A" * 200_000 + b"\n"
    with pytest.raises(UnreadableFileError, match="Row 3: a cell is longer than 10,000"):
        read_all(data, "cell.csv")
    with pytest.raises(UnreadableFileError, match="Row 2, column 2: the cell is 10,001"):
        read_all(b"external_id,name\n1," + b"A" * 10_001 + b"\n", "cell.csv")


def test_a_huge_header_is_refused_in_either_format() -> None:
    with pytest.raises(UnreadableFileError, match=r"The first row \(the headers\) is longer than"):
        read_all(b"A" * 5_000_000 + b",name\n1,Amina\n", "header.csv")
    with pytest.raises(UnreadableFileError, match="Column 1's header is 32,767 characters long"):
        read_all(bombs.xlsx_header(1_000_000), "header.xlsx")


def test_too_many_rows_or_columns_are_refused() -> None:
    with pytest.raises(UnreadableFileError, match="The first sheet has 300,000 rows"):
        read_all(bombs.tall_workbook(), "tall.xlsx")
    csv = b"id\n" + b"".join(b"%d\n" % n for n in range(10))
    with pytest.raises(UnreadableFileError, match="more than 5 rows; split it"):
        read_all(csv, "rows.csv", Limits(rows=5))
    with pytest.raises(UnreadableFileError, match="201 columns; at most 200"):
        read_all(",".join(f"h{n}" for n in range(201)).encode() + b"\n", "wide.csv")


@pytest.mark.slow
@pytest.mark.parametrize("attack", ["zip-bomb", "csv-huge-cell", "csv-huge-header",
                                    "xlsx-huge-header", "xlsx-300k-rows"])  # fmt: skip
def test_each_attack_is_refused_in_bounded_memory(attack: str) -> None:
    """Peak resident memory of a fresh process that builds the file and reads it, against
    one that only imports the reader (bench/bench_import_bombs.py prints the table)."""
    baseline = bombs.measure("baseline")
    measured = bombs.measure(attack)
    assert str(measured["outcome"]).startswith("refused: ")
    grown = int(measured["peak_mb"]) - int(measured["peak_mb_building"])  # type: ignore[call-overload]
    assert grown < 50, measured  # the 400 MB bomb took 4 GB before
    assert int(measured["peak_mb"]) < int(baseline["peak_mb"]) + 100, (measured, baseline)  # type: ignore[call-overload]


# --- through the service and the pages --------------------------------------------------


@pytest.mark.django_db
def test_a_huge_cell_is_a_message_on_the_mapping_page(
    caseworker: User, source: ImportSource, tmp_path: Path
) -> None:
    data = ",".join(CHILD_HEADERS).encode() + b"\n" + ",".join(AMINA).encode() + b"\n"
    data += b"k-9," + b"A" * 20_000 + b"\n"
    batch = services.upload(source, "children", io.BytesIO(data), "f.csv", by=caseworker)
    with pytest.raises(ImportRefused, match="Row 3: a cell is longer than") as refused:
        services.dry_run(batch, by=caseworker)
    assert refused.value.field == "file"
    response = signed_in(caseworker).get(reverse("imports:mapping", args=[batch.pk]), follow=True)
    assert response.redirect_chain == [(reverse("imports:start"), 302)]  # the sample reached it
    assert "Row 3: a cell is longer than 10,000 characters" in response.content.decode()


@pytest.mark.django_db
def test_a_huge_header_is_refused_at_upload(caseworker: User, source: ImportSource) -> None:
    page = signed_in(caseworker).post(
        reverse("imports:start"),
        {"source": source.pk, "new_source": "", "kind": "children",
         "file": SimpleUploadedFile("h.csv", b"A" * 5_000_000 + b",name\n1,x\n")},
    )  # fmt: skip
    assert page.status_code == 200 and "is longer than" in page.content.decode()
    assert not ImportBatch.objects.exists()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_in_the_background_with_its_progress(
    run_import: Callable[..., Any], caseworker: User, source: ImportSource,
    monkeypatch: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(services, "INLINE_MAX_ROWS", 1)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    data = "\n".join(",".join(r) for r in (CHILD_HEADERS, AMINA, ZAREMA)).encode() + b"\n"
    batch = services.upload(source, "children", io.BytesIO(data), "f.csv", by=caseworker)
    client = signed_in(caseworker)
    form = {f"column_{h}": h for h in CHILD_HEADERS} | {"name_source": "ngo"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:mapping", args=[batch.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED
    page = client.get(reverse("imports:report", args=[batch.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "checked in the background" in page
    with pytest.raises(ImportRefused, match="being checked"):
        services.commit(batch, by=caseworker)
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_read, batch.report["rows"]) == (BatchStatus.CHECKED, 2, 2)
    assert services.run_dry_run(batch.pk, caseworker.pk) is False  # claimed once


def test_the_bench_prints_a_line_per_attack() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--one", "csv-huge-cell"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(done.stdout)["outcome"].startswith("refused: Row 2")
