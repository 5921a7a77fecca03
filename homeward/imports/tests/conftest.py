"""Files as field teams send them, written to a temporary folder, and a source to import
them from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User

from homeward.imports import services
from homeward.imports.checking import Check
from homeward.imports.models import ImportBatch, ImportSource

CHILD_HEADERS = [
    "external_id", "name_latin", "name_cyrillic", "name_arabic", "sex", "birth",
    "nationality", "home_region", "host_country", "facility_kind", "identified_on",
]  # fmt: skip
AMINA = ["k-1", "Amina Isaeva", "Амина Исаева", "", "f", "2013-04-02", "RU", "RU-DA", "IQ",
         "camp", "2018-05-02"]  # fmt: skip
ZAREMA = ["k-2", "Zarema Kurbanova", "Зарема Курбанова", "", "f", "2012", "RU", "RU-CE", "IQ",
          "state_orphanage", "2018-06-01"]  # fmt: skip
MAGOMED = ["k-3", "Magomed Aliev", "", "محمد علييف", "m", "", "RU", "RU-DA", "IQ", "",
           "2018-06-01"]  # fmt: skip


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    lines = [",".join(headers), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def source(caseworker: User) -> ImportSource:
    return services.source_named(caseworker, "KoBo, Iraq team")


@pytest.fixture
def run_import(
    tmp_path: Path, source: ImportSource, caseworker: User
) -> Callable[..., tuple[ImportBatch, Check]]:
    """Write rows to a CSV file and import it (a dry run unless commit=True)."""
    counter = iter(range(1000))

    def run(
        rows: Sequence[Sequence[str]],
        *,
        headers: Sequence[str] = CHILD_HEADERS,
        kind: str = "children",
        commit: bool = False,
        by: User | None = None,
    ) -> tuple[ImportBatch, Check]:
        path = write_csv(tmp_path / f"file-{next(counter)}.csv", headers, rows)
        return services.import_file(
            str(path), source=source, kind=kind, by=by or caseworker, write=commit
        )

    return run
