"""Throughput of the API's case list at 100k cases: requests per second and latency.

    .venv/bin/python bench/bench_api_list.py                  # 100k cases, SQLite
    .venv/bin/python bench/bench_api_list.py --size 10000 --requests 200
    scripts/with-postgres .venv/bin/python bench/bench_api_list.py

bench_statistics' seeded generator writes N children (with one Cyrillic name each) into a
throwaway database; `homeward serve` (Waitress, 8 threads) serves it on 127.0.0.1; a
supervisor's key of national scope reads `GET /api/v1/cases/` (50 cases a page, each
listed case audited) in three ways:

1. `walk`: one client following `next` from the first page, as a partner's sync does;
2. `filtered`: one client asking status=placed&region=RU-DA (the current placement and
   age are computed for each row), following `next`;
3. `parallel`: 4 clients walking from four places at once.

Prints requests per second, p50 and p95 latency for each, and one line of name=value pairs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_statistics
import httpx
from api_server import make_key, served
from django.core.management import call_command
from django.db import connection

from homeward.cases.models import ChildCase
from homeward.people.models import PersonName

GIVEN = ["Амина", "Зарема", "Мадина", "Патимат", "Магомед", "Ахмед", "Ислам", "Саид"]
FAMILY = ["Исаева", "Курбанова", "Омарова", "Гасанова", "Алиев", "Магомедов", "Рамазанов"]


def with_names() -> None:
    """One Cyrillic name per child, as registration would write it."""
    rnd = random.Random(7)
    people = ChildCase.objects.values_list("child_id", flat=True)
    rows = []
    for person_id in people.iterator(chunk_size=5000):
        name = f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
        rows.append(
            PersonName(
                person_id=person_id,
                full_name=name,
                script="Cyrl",
                source="consular",
                is_preferred=True,
                search_key=name.lower(),
            )
        )
    PersonName.objects.bulk_create(rows, batch_size=5000)


def walk(client: httpx.Client, first: str, count: int, latencies: list[float]) -> None:
    url: str | None = first
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url or first)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
        url = response.json()["next"]


def run(base: str, key: str, name: str, first_urls: list[str], per_client: int) -> dict[str, float]:
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    clients = [httpx.Client(base_url=base, headers=headers, timeout=60) for _ in first_urls]
    threads = [
        threading.Thread(target=walk, args=(c, u, per_client, latencies))
        for c, u in zip(clients, first_urls, strict=True)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    figures = {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
    }
    print(
        f"{name:9} {figures['requests']:5} requests  {figures['rps']:7.1f} req/s  "
        f"p50 {figures['p50_ms']:6.1f} ms  p95 {figures['p95_ms']:6.1f} ms",
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="per scenario")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    bench_statistics.generate(1, args.size)
    with_names()
    written = time.perf_counter() - started
    print(f"{args.size} cases written in {written:.0f} s ({connection.vendor})", flush=True)
    key = make_key("B1")
    connection.close()
    data_dir = bench_statistics.os.environ.get("HOMEWARD_DATA_DIR", "")
    ids = list(ChildCase.objects.order_by("pk").values_list("pk", flat=True)[:: args.size // 4])
    pairs = [f"backend={connection.vendor}", f"size={args.size}"]
    with served(data_dir) as base:
        plan = {
            "walk": (["/api/v1/cases/"], args.requests),
            "filtered": (["/api/v1/cases/?status=placed&region=RU-DA"], args.requests),
            "parallel": ([f"/api/v1/cases/?after={pk}" for pk in ids[:4]], args.requests // 4),
        }
        for name, (firsts, per_client) in plan.items():
            figures = run(base, key, name, firsts, per_client)
            pairs += [f"{name}_{k}={v:.1f}" for k, v in figures.items()]
    print("api_list " + " ".join(pairs))


if __name__ == "__main__":
    main()
