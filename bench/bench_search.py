"""Search speed at scale (issue 17): the case list's search, by name and by reference, over
a registry of N children, next to today's search (before name keys) in the same run.

    .venv/bin/pip install -e ".[bench]"                  # iuliia, for other standards
    .venv/bin/python bench/bench_search.py                # 100k children, SQLite
    .venv/bin/python bench/bench_search.py --size 10000 --queries 30
    HOMEWARD_PG_PORT=55431 scripts/with-postgres .venv/bin/python bench/bench_search.py

The registry is built the way a field team's file comes in: `bench_import.rows` (the import
benchmark's generator: names in Cyrillic with a patronymic, in Latin, and in Arabic script
for 30%), committed by `imports.services.import_file`, whose bulk path writes the name
keys too. `--data DIR` keeps the SQLite database there and uses it again when it holds the
same number of children (PostgreSQL: `--reuse` keeps the database of DATABASE_URL).

Queries, `--queries` of each kind, for children drawn at random (seeded):
- reference: "HW-050000";
- as registered: the Cyrillic name with its patronymic;
- other standard: the Cyrillic surname and given name, in this order, without the
  patronymic, in one of iuliia's standards (ISO 9, GOST 7.79 B, scientific, ALA-LC,
  UNGEGN, MVD 310 French, Telegram);
- Arabic, no father: the Arabic-script given and family names, without the father's name;
- typo: the Latin given and family names, one consonant of the family name changed;
- one word: the Latin family name alone (thousands share it: listed unranked).

Each query is timed as the case list runs it for a caseworker of the importing agency:
`cases.queries.filter_cases` with only "q", then the page's count and first 50 rows with
their names. Per kind: p50 and p95 wall time in ms; p95 CPU time (this process's, and on
PostgreSQL its server process's too: steadier than wall time on a shared machine); the
median number of results; the share of queries whose child is found, is on the first
page, and has no worse match (by the engine's comparison of the names as registered)
listed before it. The same for today's search (`old_search` below, the search of commit
19833d8) on the same database and the same queries. The last line is name=value pairs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="of each kind")
    parser.add_argument("--baseline-queries", type=int, default=30, help="of each kind")
    parser.add_argument("--data", help="SQLite: keep the database in this folder")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: keep the database")
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args()


ARGS = _arguments()
os.environ.setdefault(
    "HOMEWARD_DATA_DIR", ARGS.data or tempfile.mkdtemp(prefix="homeward-bench-search-")
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

import django  # noqa: E402

django.setup()

import iuliia  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q, QuerySet  # noqa: E402

from bench.bench_import import fresh_database, rows, timed_import, write_csv  # noqa: E402
from homeward.cases.access import cases_visible_to  # noqa: E402
from homeward.cases.models import ChildCase  # noqa: E402
from homeward.cases.queries import filter_cases  # noqa: E402
from homeward.demo.names import BOYS, GIRLS  # noqa: E402
from homeward.imports.models import ImportedRecord  # noqa: E402
from homeward.lib.scripts import search_variants  # noqa: E402
from homeward.matching.compare import NAME_LEVELS, compare_names  # noqa: E402
from homeward.matching.latin import russian_readings, with_digraphs  # noqa: E402
from homeward.matching.names import name_forms  # noqa: E402
from homeward.people.models import NameKey, PersonName  # noqa: E402

STANDARDS = {
    "ISO 9": iuliia.GOST_779, "GOST 7.79 B": iuliia.GOST_779_ALT,
    "scientific": iuliia.SCIENTIFIC, "ALA-LC": iuliia.ALA_LC, "UNGEGN": iuliia.UNGEGN_1987,
    "French": iuliia.MVD_310_FR, "Telegram": iuliia.TELEGRAM,
}  # fmt: skip
KINDS = ("reference", "as registered", "other standard", "Arabic, no father", "typo", "one word")
CONSONANTS = "bdgklmnprstvz"
PAGE_SIZE = 50


# --- today's search, as it was before name keys (commit 19833d8) ------------------------


def old_spelled_like(text: str) -> Q:
    spelled = Q(full_name__icontains=text)
    for variant in search_variants(text):
        spelled |= Q(search_key__contains=variant)
    for reading in old_readings(text):
        words = Q()
        for word in reading.split():
            words &= Q(search_key__contains=word)
        spelled |= words
    return spelled


def old_readings(text: str) -> list[str]:
    readings: list[str] = []
    for variant in search_variants(with_digraphs(text)):
        for reading in (variant, *russian_readings(variant)):
            if reading not in readings:
                readings.append(reading)
    return readings


def old_search(cases: QuerySet[ChildCase], text: str) -> QuerySet[ChildCase]:
    text = " ".join(text.split())
    names = PersonName.objects.filter(old_spelled_like(text), person=OuterRef("child_id"))
    return cases.filter(Q(Exists(names)) | Q(reference__iexact=text)).order_by("reference")


def new_search(cases: QuerySet[ChildCase], text: str) -> QuerySet[ChildCase]:
    return filter_cases(cases, {"q": text}, date.today())


# --- the registry ------------------------------------------------------------------------


def registry(size: int) -> tuple[User, list[list[str]], dict[str, int]]:
    """The importing user, the rows, and each row's case id (by external id)."""
    data = rows(size)
    call_command("migrate", verbosity=0)
    user = User.objects.filter(username="importer").first()
    if user is None or ChildCase.objects.count() != size or not _may_reuse():
        started = time.perf_counter()
        user = fresh_database()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "children.csv"
            write_csv(path, data)
            timed_import(path, user)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a large import
        print(f"built {size:,} children in {time.perf_counter() - started:.1f} s", flush=True)
    cases = dict(ImportedRecord.objects.values_list("external_id", "object_id"))
    return user, data, cases


def _may_reuse() -> bool:
    return bool(ARGS.data) if connection.vendor == "sqlite" else ARGS.reuse


# --- queries -----------------------------------------------------------------------------


def queries(data: list[list[str]], cases: dict[str, int], count: int) -> dict[str, list[Any]]:
    """`count` (text, case id) of each kind, for children drawn at random."""
    rng = random.Random(ARGS.seed)
    by_kind: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    makers: dict[str, Callable[[list[str], random.Random], str | None]] = {
        "reference": lambda row, rng: f"HW-{cases[row[0]]:06d}",
        "as registered": lambda row, rng: row[1],
        "other standard": other_standard,
        "Arabic, no father": arabic_without_father,
        "typo": with_typo,
        "one word": lambda row, rng: row[2].split()[-1],
    }
    for kind, make in makers.items():
        while len(by_kind[kind]) < count:
            row = rng.choice(data)
            text = make(row, rng)
            if text:
                by_kind[kind].append((text, cases[row[0]]))
    return by_kind


def other_standard(row: list[str], rng: random.Random) -> str:
    given, _patronymic, family = row[1].split()
    schema = STANDARDS[rng.choice(sorted(STANDARDS))]
    return str(schema.translate(f"{family} {given}"))


ARABIC_GIVEN = sorted({name[2] for name in GIRLS + BOYS}, key=len, reverse=True)


def arabic_without_father(row: list[str], rng: random.Random) -> str | None:
    """Given and family name of the Arabic-script name (given, father's given, family)."""
    if not row[3]:
        return None
    given = next(g for g in ARABIC_GIVEN if row[3].startswith(g + " "))
    rest = row[3][len(given) + 1 :]
    father = next(g for g in ARABIC_GIVEN if rest.startswith(g + " "))
    return f"{given} {rest[len(father) + 1 :]}"


def with_typo(row: list[str], rng: random.Random) -> str:
    """The Latin given and family name, a consonant of the family name (not its first
    letter) changed to another."""
    given, _patronymic, family = row[2].split()
    places = [i for i, letter in enumerate(family) if i > 0 and letter in CONSONANTS]
    i = rng.choice(places)
    letter = rng.choice([c for c in CONSONANTS if c != family[i]])
    return f"{given} {family[:i]}{letter}{family[i + 1 :]}"


# --- timing ------------------------------------------------------------------------------


def page_of(cases: QuerySet[ChildCase]) -> list[int]:
    """What the case list does with the search's cases: count them, read the first page
    with the children's names."""
    listed = cases.select_related("child").prefetch_related("child__names")
    page = Paginator(listed, PAGE_SIZE).get_page(1)
    assert page.paginator.count >= 0
    return [case.pk for case in page.object_list]


def run(
    search: Callable[[QuerySet[ChildCase], str], QuerySet[ChildCase]],
    visible: QuerySet[ChildCase],
    by_kind: dict[str, list[Any]],
    count: int,
) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    for kind, items in by_kind.items():
        times, cpu, sizes, found, first, ordered = [], [], [], 0, 0, 0
        for text, case_id in items[:count]:
            started, started_cpu = time.perf_counter(), cpu_seconds()
            results = search(visible, text)
            first_page = page_of(results)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((cpu_seconds() - started_cpu) * 1000)
            listed = list(results.values_list("pk", flat=True))
            sizes.append(len(listed))
            first += case_id in first_page
            found += case_id in listed
            ordered += case_id in listed and none_worse_before(text, listed, case_id)
        figures[kind] = {
            "p50": statistics.median(times), "p95": percentile(times, 95),
            "cpu_p95": percentile(cpu, 95), "results": statistics.median(sizes),
            "found": found / len(times), "first_page": first / len(times),
            "best_first": ordered / len(times),
        }  # fmt: skip
    return figures


def none_worse_before(text: str, listed: list[int], case_id: int) -> bool:
    """Whether no case listed before `case_id` is a worse match for `text` than it, by the
    engine's comparison of the names as registered (not of the stored keys)."""
    before = listed[: listed.index(case_id) + 1]
    names: dict[int, list[str]] = {pk: [] for pk in before}
    rows = PersonName.objects.filter(person__child_case__pk__in=before).order_by("id")
    for pk, full_name in rows.values_list("person__child_case__pk", "full_name"):
        names[pk].append(full_name)
    searched = name_forms((text,))
    levels = {pk: NAME_LEVELS.index(compare_names(searched, name_forms(tuple(names[pk]))))
              for pk in before}  # fmt: skip
    return all(levels[pk] <= levels[case_id] for pk in before)


def cpu_seconds() -> float:
    """CPU time of this process and, on PostgreSQL, of its server process: on a machine
    shared with other work, steadier than wall time."""
    spent = time.process_time()
    if connection.vendor == "postgresql":
        spent += _server_cpu_seconds()
    return spent


def _server_cpu_seconds() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:  # nanoseconds on a CPU (/proc/PID/stat counts in 10 ms ticks)
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except OSError:  # a server on another machine
        return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]


def _cells(f: dict[str, float]) -> str:
    return (
        f"{f['p50']:>6.1f} {f['p95']:>6.1f} {f['cpu_p95']:>6.1f} {f['results']:>5.0f} "
        f"{f['found']:>5.0%} {f['first_page']:>4.0%} {f['best_first']:>4.0%}"
    )


def main() -> None:
    print(f"database: {connection.vendor}; {os.cpu_count()} cores", flush=True)
    user, data, cases = registry(ARGS.size)
    print(f"name keys: {NameKey.objects.count():,} rows", flush=True)
    visible = cases_visible_to(user)
    by_kind = queries(data, cases, ARGS.queries)
    new_search(visible, "warm up").exists()
    new = run(new_search, visible, by_kind, ARGS.queries)
    old = run(old_search, visible, by_kind, ARGS.baseline_queries)
    print(
        f"\n{ARGS.size:,} children, {connection.vendor}; load {os.getloadavg()[0]:.1f}: ms per "
        f"search (count and first page of {PAGE_SIZE}), wall and CPU (this process and its "
        f"database server's); median "
        "results; found; on page 1; no worse match listed before"
    )
    header = f"{'p50':>6} {'p95':>6} {'cpu95':>6} {'res':>5} {'found':>5} {'p.1':>4} {'best':>4}"
    print(f"{'kind':<18} {header}  | today: {header}")
    pairs: dict[str, float] = {}
    for kind in KINDS:
        cells = [_cells(new[kind]), _cells(old[kind])]
        print(f"{kind:<18} {cells[0]}  | today: {cells[1]}")
        slug = kind.replace(",", "").replace(" ", "_").lower()
        pairs |= {f"{slug}_p95": new[kind]["p95"], f"{slug}_cpu_p95": new[kind]["cpu_p95"],
                  f"{slug}_found": new[kind]["found"],
                  f"{slug}_old_p95": old[kind]["p95"],
                  f"{slug}_old_found": old[kind]["found"]}  # fmt: skip
    line = " ".join(f"{key}={value:.3f}" for key, value in pairs.items())
    print(f"search database={connection.vendor} size={ARGS.size} {line}")


if __name__ == "__main__":
    main()
