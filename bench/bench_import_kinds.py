"""How long an import of relatives and one of tracing requests hold their commit's last
transaction (and so SQLite's write lock): unlike new children, these are written in it
whole. Since session 5 both are written in bulk (`imports.committing.create_relatives`,
`create_requests`); before, a service call a row.

    .venv/bin/python bench/bench_import_kinds.py 1000
    scripts/with-postgres .venv/bin/python bench/bench_import_kinds.py 1000

N children are imported first (bulk, chunked), then N relatives (one per child) and N
tracing requests. Prints wall and CPU seconds of each commit.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS, family_name  # noqa: E402
from homeward.imports import services  # noqa: E402
from homeward.imports.tests.conftest import CHILD_HEADERS  # noqa: E402
from homeward.operations.tests.scripts import _staff  # noqa: E402

RELATIVE_HEADERS = ["external_id", "child_external_id", "relationship", "name_cyrillic", "sex",
                    "status", "place"]  # fmt: skip
REQUEST_HEADERS = ["external_id", "enquirer_name_cyrillic", "enquirer_relationship", "filed_on",
                   "sought_name_cyrillic", "sought_birth", "mother_name"]  # fmt: skip


def children(count: int) -> list[list[str]]:
    """Distinct children (a number in each name, births spread), as the crash test's."""
    rng = random.Random(3)
    rows = []
    for n in range(1, count + 1):
        sex = rng.choice("fm")
        given = rng.choice(GIRLS if sex == "f" else BOYS)
        family = family_name(rng.choice(FAMILY_NAMES), sex)
        rows.append([
            f"k-{n}", f"{given[0]} {family[0]} {n}", f"{given[1]} {family[1]} {n}", "", sex,
            f"{2005 + n % 12}-{1 + n % 12:02d}-{1 + n % 28:02d}", "RU", "RU-DA", "IQ", "camp",
            "2018-05-02",
        ])  # fmt: skip
    return rows


def write(folder: str, name: str, headers: list[str], rows: list[list[str]]) -> str:
    path = os.path.join(folder, name)
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def timed_import(path: str, kind: str, source: object, user: object) -> str:
    wall, cpu = time.perf_counter(), time.process_time()
    batch, check = services.import_file(path, source=source, kind=kind, by=user, write=True)  # type: ignore[arg-type]
    assert not check.problems, check.problems[:3]
    return (
        f"{kind}: {batch.created_count} rows in {time.perf_counter() - wall:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU"
    )


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    user = _staff()
    source = services.source_named(user, "Field team")
    folder = tempfile.mkdtemp()
    print(timed_import(write(folder, "c.csv", CHILD_HEADERS, children(count)), "children",
                       source, user))  # fmt: skip
    relatives = [[f"r-{n}", f"k-{n}", "grandmother", "Патимат Исаева", "f", "alive", "Махачкала"]
                 for n in range(1, count + 1)]  # fmt: skip
    print(timed_import(write(folder, "r.csv", RELATIVE_HEADERS, relatives), "relatives",
                       source, user))  # fmt: skip
    requests = [[f"t-{n}", "Патимат Исаева", "grandmother",
                 (date(2019, 1, 1) + timedelta(days=n)).isoformat(), f"Амина Исаева {n}", "2012",
                 "Мадина"] for n in range(1, count + 1)]  # fmt: skip
    print(timed_import(write(folder, "t.csv", REQUEST_HEADERS, requests), "requests",
                       source, user))  # fmt: skip
    print(f"database={connection.vendor}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
