"""Time `count_children` on an existing registry (`bench/registry.py`): as-of counts by two
dimensions on four days, a flow and the children-abroad series; median wall and CPU.

    HOMEWARD_DATA_DIR=/tmp/registry-100k .venv/bin/python bench/time_statistics.py 3
    DATABASE_URL=postgres://... .venv/bin/python bench/time_statistics.py 3

Run it from the checkout to time (its `homeward` is imported from the current folder).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
import django

django.setup()

from homeward.statistics.series import children_abroad, month_starts  # noqa: E402
from homeward.statistics.services import StatsQuery, count_children  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def _load() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def timed(label: str, work: Callable[[], object]) -> None:
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall, cpu = sorted(walls)[RUNS // 2], sorted(cpus)[RUNS // 2]
    print(f"| {label} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms |", flush=True)


def main() -> None:  # fmt: skip
    print("load average", _load())
    timed("today, region x age band", lambda: count_children(StatsQuery(by=("region", "age-band"))))
    timed(
        "2019-01-05, in Iraq, by age band",
        lambda: count_children(StatsQuery(as_of=date(2019, 1, 5), host="IQ", by=("age-band",))),
    )
    timed(
        "2022-06-30, host x status",
        lambda: count_children(StatsQuery(as_of=date(2022, 6, 30), by=("host", "status"))),
    )
    timed(
        "2024-03-01, sex x placement, uncertain apart",
        lambda: count_children(
            StatsQuery(as_of=date(2024, 3, 1), by=("sex", "placement"), age_counting="separate")
        ),
    )
    timed(
        "repatriated in 2025, by region",
        lambda: count_children(
            StatsQuery(
                flow="repatriated",
                flow_from=date(2025, 1, 1),
                flow_to=date(2025, 12, 31),
                by=("region",),
            )
        ),
    )
    timed(
        "placed 2018 to 2022, host x mission",
        lambda: count_children(
            StatsQuery(
                flow="placed",
                flow_from=date(2018, 1, 1),
                flow_to=date(2022, 12, 31),
                by=("host", "mission"),
            )
        ),
    )
    timed(
        "children abroad, 120 month starts",
        lambda: children_abroad(month_starts(date(2017, 1, 1), date(2026, 12, 1))),
    )
    print("load average", _load())


if __name__ == "__main__":
    main()
