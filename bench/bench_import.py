"""Import throughput (issue 6): a field team's CSV of N children, checked and committed.

A deterministic generator writes N rows as a KoBoToolbox export might (its own headers,
semicolons, names in Cyrillic and Latin, sometimes Arabic; dates of birth to the day or
unknown), into an empty database: `homeward import --commit` does the work (read, check
every row, write in one transaction). Then the same file again (every row unchanged), and
the file with 1% of rows changed (those go through the case services one by one). The
baseline, in the same run: 1,000 of the same rows registered one `register_child` call at a
time, as rows per second.

    .venv/bin/python bench/bench_import.py                      # 10k and 100k, SQLite
    .venv/bin/python bench/bench_import.py --sizes 10000
    scripts/with-postgres .venv/bin/python bench/bench_import.py

Each size runs on a fresh database (SQLite in a temporary data folder; PostgreSQL: the
database of DATABASE_URL, emptied first). The last line is name=value pairs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from homeward.accounts.models import Agency, AgencyKind, Role, StaffProfile  # noqa: E402
from homeward.audit.models import AuditEntry  # noqa: E402
from homeward.cases.models import ChildCase  # noqa: E402
from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS, family_name  # noqa: E402
from homeward.imports import services  # noqa: E402

HEADERS = [
    "_id", "child/name_ru", "child/name_lat", "child/name_ar", "child/gender", "child/dob",
    "child/region", "location/country", "location/facility", "location/facility_name",
    "_submission_time",
]  # fmt: skip
MAPPING = {
    "external_id": "_id", "name_cyrillic": "child/name_ru", "name_latin": "child/name_lat",
    "name_arabic": "child/name_ar", "sex": "child/gender", "birth": "child/dob",
    "home_region": "child/region", "host_country": "location/country",
    "facility_kind": "location/facility", "facility_name": "location/facility_name",
    "identified_on": "_submission_time",
}  # fmt: skip
REGIONS = ["RU-DA", "RU-CE", "RU-IN", "RU-KB", "RU-MOW", "RU-SPE", "RU-TA", "RU-BA"]
FACILITIES = ["camp", "state_orphanage", "detention_with_mother", "hospital"]


def patronymic(father: tuple[str, str, str], sex: str) -> tuple[str, str]:
    latin, cyrillic = ("ovna", "овна") if sex == "f" else ("ovich", "ович")
    return father[0] + latin, father[1] + cyrillic


def rows(n: int, seed: int = 6) -> list[list[str]]:
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    out: list[list[str]] = []
    while len(out) < n:
        sex = rng.choice("fm")
        given = rng.choice(GIRLS if sex == "f" else BOYS)
        father = rng.choice(BOYS)
        family = family_name(rng.choice(FAMILY_NAMES), sex)
        pat_lat, pat_cyr = patronymic(father, sex)
        latin = f"{given[0]} {pat_lat} {family[0]}"
        arabic = f"{given[2]} {father[2]} {family[2]}"
        born = "" if rng.random() < 0.1 else str(date(2004, 1, 1) + timedelta(rng.randrange(5400)))
        # Different children: Magomed and Muhammad are both محمد in Arabic script.
        keys = {(latin, born, sex), (arabic, born, sex)}
        if keys & seen:
            continue
        seen |= keys
        out.append([
            f"kobo-{len(out) + 1}", f"{given[1]} {pat_cyr} {family[1]}", latin,
            arabic if rng.random() < 0.3 else "",
            "female" if sex == "f" else "male", born, rng.choice(REGIONS), "IQ",
            rng.choice(FACILITIES), "", str(date(2018, 1, 1) + timedelta(rng.randrange(400))),
        ])  # fmt: skip
    return out


def write_csv(path: Path, data: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(";".join(HEADERS) + "\n")
        for row in data:
            out.write(";".join(row) + "\n")


def fresh_database() -> User:
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(
        name="Field team", short_name="FT", kind=AgencyKind.NGO, country="IQ"
    )
    user = User.objects.create_user("importer", password="not used here")
    StaffProfile.objects.create(user=user, agency=agency, role=Role.CASEWORKER)
    return user


class WriteProbe:
    """Another connection writing one audit entry every 50 ms, as a page does on each
    request, while the import runs: how long each write waited for the write lock."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WriteProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from homeward.audit.services import record

        try:
            while not self._stop.wait(0.05):
                started = time.perf_counter()
                try:
                    record("bench.probe", actor=None)
                except Exception:
                    self.failures += 1
                self.waits.append(time.perf_counter() - started)
        finally:
            connection.close()

    def figures(self, label: str) -> dict[str, float]:
        waits = sorted(self.waits) or [0.0]
        print(
            f"{label}: a page's write waited at most {waits[-1]:.2f} s (p99 "
            f"{waits[int(len(waits) * 0.99)]:.2f} s, {len(waits)} writes, {self.failures} "
            "failed)", flush=True,
        )  # fmt: skip
        return {
            f"{label}_page_write_max_wait_s": waits[-1],
            f"{label}_page_write_failures": self.failures,
        }


def timed_import(
    path: Path, user: User, probe: WriteProbe | None = None
) -> tuple[float, dict[str, int]]:
    source = services.source_named(user, "KoBo bench")
    if not source.mapping:
        services.save_mapping(source, "children", MAPPING, {"nationality": "RU"}, by=user)
    started = time.perf_counter()
    with probe or contextlib.nullcontext():
        batch, check = services.import_file(
            str(path), source=source, kind="children", by=user, write=True
        )
    seconds = time.perf_counter() - started
    if check.problems:
        raise SystemExit(f"unexpected problems: {check.problems[:5]}")
    return seconds, {"created": batch.created_count, "updated": batch.updated_count}


BASELINE_ROWS = 1_000


def baseline_rows_per_s(folder: Path) -> float:
    """The baseline, side by side: the same rows registered the obvious way, one
    `cases.services.register_child` call per row (what a page does), on a fresh database."""
    from homeward.cases.services import ChildInput, NameInput, PlacementInput, register_child
    from homeward.lib.ages import BirthDate, BirthPrecision

    if connection.vendor == "sqlite":
        connection.close()
        connection.settings_dict["NAME"] = str(folder / "baseline.sqlite3")
    user = fresh_database()
    agency = user.staff_profile.agency
    started = time.perf_counter()
    for row in rows(BASELINE_ROWS):
        names = [NameInput(row[1], "consular"), NameInput(row[2], "consular")]
        if row[3]:
            names.append(NameInput(row[3], "host_authority"))
        born = row[5]
        birth = (
            BirthDate(BirthPrecision.DAY, date.fromisoformat(born))
            if born
            else BirthDate(BirthPrecision.UNKNOWN)
        )
        identified = date.fromisoformat(row[10])
        data = ChildInput(
            names=names,
            sex="f" if row[4] == "female" else "m",
            birth=birth,
            nationality="RU",
            home_region=row[6],
            placement=PlacementInput(row[7], row[8], identified, row[9]),
            identified_on=identified,
        )
        register_child(data, agency=agency, by=user)
    seconds = time.perf_counter() - started
    print(f"baseline (register_child per row, {BASELINE_ROWS} rows): {seconds:.1f} s", flush=True)
    return BASELINE_ROWS / seconds


def bench(n: int, folder: Path) -> dict[str, float]:
    if connection.vendor == "sqlite":
        # One database per size: a fresh file, a fresh connection.
        connection.close()
        connection.settings_dict["NAME"] = str(folder / f"bench-{n}.sqlite3")
    user = fresh_database()
    data = rows(n)
    first = folder / f"children-{n}.csv"
    write_csv(first, data)
    probe = WriteProbe()
    seconds, counts = timed_import(first, user, probe)
    assert counts["created"] == n == ChildCase.objects.count(), counts
    again, counts = timed_import(first, user)
    assert counts == {"created": 0, "updated": 0}, counts
    for row in data[::100]:
        row[6] = "RU-AST"  # a changed home region: update_identity, a note, audit
    changed = folder / f"children-{n}-changed.csv"
    write_csv(changed, data)
    update_seconds, counts = timed_import(changed, user)
    label = f"{n // 1000}k"
    print(
        f"{label}: import {seconds:.1f} s ({n / seconds:,.0f} rows/s); same file again "
        f"{again:.1f} s; {counts['updated']} changed rows {update_seconds:.1f} s; "
        f"audit entries {AuditEntry.objects.count():,}",
        flush=True,
    )
    return probe.figures(label) | {
        f"{label}_seconds": seconds, f"{label}_rows_per_s": n / seconds,
        f"{label}_reimport_seconds": again, f"{label}_changed_1pct_seconds": update_seconds,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    print(f"database: {connection.vendor}; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        figures["baseline_rows_per_s"] = baseline_rows_per_s(Path(folder))
        for size in (int(s) for s in args.sizes.split(",")):
            figures.update(bench(size, Path(folder)))
    pairs = " ".join(f"{k}={v:.2f}" for k, v in figures.items())
    print(f"import database={connection.vendor} {pairs}")


if __name__ == "__main__":
    main()
