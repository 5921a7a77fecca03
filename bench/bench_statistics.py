"""Statistics query time at 100k and 1M children, on SQLite (or PostgreSQL with DATABASE_URL).

    .venv/bin/python bench/bench_statistics.py                       # 100k and 1M, SQLite
    .venv/bin/python bench/bench_statistics.py --sizes 100000
    scripts/with-postgres .venv/bin/python bench/bench_statistics.py

A seeded generator writes N invented children into a throwaway database (a fresh data folder
unless DATABASE_URL is set): birth years known to the year for 70% (ranges that straddle
bands), to the day for the rest; 20 home regions; identified abroad (Iraq 60%, Syria 40%)
between 2017 and mid-2019; 40% repatriated on one of 30 mission days, most of those placed
two weeks later; 5% ended. Each size is timed for:

1. `as_of`: open cases on 2019-01-05 in Iraq by age band (the reports' figure);
2. `flow`: children repatriated in 2019, by region;
3. `grouped`: open cases by region x age band (the charts' one count);
4. `abroad`: children abroad on the first of each month, 2017-01 to 2019-12 (36 points);
5. `protect`: the disclosure engine on the region x age-band table (20 x 4 + totals);
6. the baseline, side by side: `as_of` done the obvious way, one case at a time, on a
   sample of 2,000 cases, as seconds per 1,000 cases next to `as_of`'s own per 1,000.

Ends with one line of name=value pairs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if not os.environ.get("DATABASE_URL"):
    os.environ["HOMEWARD_DATA_DIR"] = tempfile.mkdtemp(prefix="homeward-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from homeward.accounts.models import Agency, AgencyKind  # noqa: E402
from homeward.cases.models import ChildCase, Placement, StatusTransition  # noqa: E402
from homeward.disclosure import protect  # noqa: E402
from homeward.people.models import Person  # noqa: E402
from homeward.releases.services import table_of  # noqa: E402
from homeward.statistics.series import children_abroad, month_starts  # noqa: E402
from homeward.statistics.services import StatsQuery, count_children  # noqa: E402

REGIONS = [
    "RU-DA", "RU-CE", "RU-IN", "RU-KB", "RU-KC", "RU-SE", "RU-AD", "RU-STA", "RU-KDA",
    "RU-MOW", "RU-SPE", "RU-TA", "RU-BA", "RU-AST", "RU-ROS", "RU-VGG", "RU-SAR", "RU-NIZ",
    "RU-SVE", "RU-CHE",
]  # fmt: skip
MISSION_DAYS = [date(2017, 9, 1) + timedelta(days=30 * i) for i in range(30)]
BATCH = 20_000


def generate(first: int, n: int, seed: int = 6) -> None:
    """Children numbered `first` to `first + n - 1` (a larger size adds to a smaller one)."""
    rnd = random.Random(seed)
    agency = Agency.objects.create(
        name=f"Bench {first}", short_name=f"B{first}", kind=AgencyKind.CONSULAR, country="IQ"
    )
    for start in range(first, first + n, BATCH):
        _batch(rnd, agency, start, min(BATCH, first + n - start))


def _batch(rnd: random.Random, agency: Agency, start: int, size: int) -> None:
    people = [_person(rnd) for _ in range(size)]
    with transaction.atomic():
        Person.objects.bulk_create(people, batch_size=2000)
        cases, moves, places = [], [], []
        for i, person in enumerate(people):
            case, case_moves, case_places = _history(rnd, person, agency, start + i)
            cases.append(case)
            moves.append(case_moves)
            places.append(case_places)
        ChildCase.objects.bulk_create(cases, batch_size=2000)
        flat_moves, flat_places = [], []
        for case, case_moves, case_places in zip(cases, moves, places, strict=True):
            for move in case_moves:
                move.case = case
                flat_moves.append(move)
            for place in case_places:
                place.case = case
                flat_places.append(place)
        StatusTransition.objects.bulk_create(flat_moves, batch_size=2000)
        Placement.objects.bulk_create(flat_places, batch_size=2000)


def _person(rnd: random.Random) -> Person:
    born = date(2001, 1, 1) + timedelta(days=rnd.randrange(365 * 18))
    person = Person(sex=rnd.choice("fm"), nationality="RU")
    if rnd.random() < 0.7:
        person.birth_precision, person.birth_date = "year", born.replace(month=1, day=1)
    else:
        person.birth_precision, person.birth_date = "day", born
    person.derive_birth_range()
    return person


def _history(
    rnd: random.Random, person: Person, agency: Agency, number: int
) -> tuple[ChildCase, list[StatusTransition], list[Placement]]:
    found = date(2017, 1, 1) + timedelta(days=rnd.randrange(900))
    host = "IQ" if rnd.random() < 0.6 else "SY"
    moves = [StatusTransition(to_status="identified", effective_on=found)]
    places = [Placement(country=host, facility_kind="camp", since=found)]
    status, since = "identified", found
    later = [d for d in MISSION_DAYS if d > found + timedelta(days=60)]
    roll = rnd.random()
    if roll < 0.4 and later:
        flown = rnd.choice(later)
        moves.append(
            StatusTransition(from_status=status, to_status="repatriated", effective_on=flown)
        )
        places.append(Placement(country="RU", facility_kind="hospital", since=flown))
        status, since = "repatriated", flown
        if rnd.random() < 0.8:
            placed = flown + timedelta(days=14)
            moves.append(
                StatusTransition(from_status=status, to_status="placed", effective_on=placed)
            )
            status, since = "placed", placed
    elif roll < 0.45:
        ended = found + timedelta(days=rnd.randrange(30, 400))
        moves.append(
            StatusTransition(from_status=status, to_status="reached_majority", effective_on=ended)
        )
        status, since = "reached_majority", ended
    case = ChildCase(
        reference=f"BN-{number:07d}", child=person, home_region=rnd.choice(REGIONS),
        agency=agency, status=status, status_since=since,
    )  # fmt: skip
    return case, moves, places


def timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def measure(n: int) -> dict[str, float]:
    grouped = StatsQuery(as_of=date(2019, 1, 5), by=("region", "age-band"))
    results = {
        "as_of": timed(lambda: count_children(
            StatsQuery(as_of=date(2019, 1, 5), host="IQ", by=("age-band",))
        )),
        "flow": timed(lambda: count_children(StatsQuery(
            flow="repatriated", flow_from=date(2019, 1, 1), flow_to=date(2019, 12, 31),
            by=("region",),
        ))),
        "grouped": timed(lambda: count_children(grouped)),
        "abroad": timed(lambda: children_abroad(month_starts(date(2017, 1, 1), date(2019, 12, 1)))),
    }  # fmt: skip
    rows = count_children(grouped).rows
    results["protect"] = timed(lambda: protect(table_of(grouped, rows)))
    results["baseline_as_of_per_1k"] = naive_as_of_per_1k()
    results["as_of_per_1k"] = results["as_of"] / n * 1000
    return results


BASELINE_SAMPLE = 2_000


def naive_as_of_per_1k() -> float:
    """The baseline: the obvious way, one case at a time (its status that day from its own
    transitions, its placement, its age), on a sample of cases; seconds per 1,000 cases, to
    set beside `as_of`'s seconds per 1,000 (the whole table's time divided by its size)."""
    day = date(2019, 1, 5)
    cases = list(ChildCase.objects.select_related("child").order_by("pk")[:BASELINE_SAMPLE])
    started = time.perf_counter()
    counts: dict[str, int] = {}
    for case in cases:
        status = case.status_on(day)
        placement = case.placements.filter(since__lte=day).order_by("-since", "-id").first()
        if status is None or placement is None or placement.country != "IQ":
            continue
        ages = case.child.age_range_on(day)
        key = str(ages.youngest) if ages else "unknown"
        counts[key] = counts.get(key, 0) + 1
    return (time.perf_counter() - started) / len(cases) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    pairs = [f"backend={connection.vendor}"]
    done = 0
    for n in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        generate(done, n - done, seed=n)
        done = n
        print(f"{n} children written in {time.perf_counter() - started:.0f} s", flush=True)
        for name, seconds in measure(n).items():
            label = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}m"
            print(f"  {name:22} {seconds:7.2f} s", flush=True)
            pairs.append(f"{label}_{name}_seconds={seconds:.2f}")
    print("statistics " + " ".join(pairs))


if __name__ == "__main__":
    main()
