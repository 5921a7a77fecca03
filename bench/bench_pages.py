"""Every page's time for each role, on a registry built by `bench/registry.py`, with two
versions of the code side by side in the same run.

    .venv/bin/python bench/bench_pages.py --after .:/tmp/registry-100k
    .venv/bin/python bench/bench_pages.py \\
        --before /path/to/main-worktree:/tmp/registry-100k-main --after .:/tmp/registry-100k
    .venv/bin/python bench/bench_pages.py --after .:postgres://postgres@127.0.0.1:5432/registry

Each version is `CODE:DATABASE`: a checkout of Homeward, and the data folder of an SQLite
registry or a PostgreSQL URL (a version whose code adds tables needs its own copy,
migrated). Each runs in a process of its own, signed in with the test client (no network,
no server; the demo's second factor is off), and the two take turns: every page is asked
`--rounds` times `--repeat` requests, first of one version then of the other, so that the
machine's other load falls on both alike. Printed per page and version: p50 and p95 of the
wall time, the CPU time of the Django process per request (the database server's own CPU
is not in it on PostgreSQL), and the number of queries (counted once, apart). The load
average is printed before and after. The last line is name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess  # nosec B404: runs this same script as the worker
import sys
import time
from pathlib import Path
from typing import Any

import page_client

HERE = Path(__file__).resolve()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- the worker: one version of the code, in its own process -------------------------------


def worker(code: str, database: str, read_only: bool) -> None:
    page_client.setup(code, database, read_only)
    clients: dict[str, Any] = {}
    pages = _pages()
    print(json.dumps({"pages": pages}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        role, url = ask["role"], ask["url"]
        client = clients.get(role) or clients.setdefault(role, page_client.signed_in(role))
        if ask.get("queries"):
            print(json.dumps({"queries": _queries(client, url)}), flush=True)
            continue
        walls, cpus = [], []
        for _ in range(ask["repeat"]):
            wall, cpu = time.perf_counter(), time.process_time()
            response = page_client.ask(client, url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            if response.status_code != 200:
                raise SystemExit(f"{role} {url}: {response.status_code}")
        print(json.dumps({"walls": walls, "cpus": cpus}), flush=True)


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page_client.ask(client, url)
    return len(captured.captured_queries)


def _pages() -> list[dict[str, str]]:
    """(role, page, url): the pages each role opens, on records of the registry (not the
    demo's): a case of the consul's agency, the planned flight, a tracing request."""
    from homeward.accounts.models import Agency
    from homeward.cases.models import ChildCase
    from homeward.demo.scenario import AGENCIES
    from homeward.missions.models import Mission
    from homeward.tracing.models import TracingRequest

    consular = Agency.objects.get(name=AGENCIES["consular"][0])
    cases = ChildCase.objects.filter(agency=consular, reference__startswith="HW-")
    count = cases.count()
    case = cases.order_by("pk")[count // 2]
    last = ChildCase.objects.order_by("-pk").first()
    assert last is not None
    mission = Mission.objects.filter(status="planned").order_by("-departs_on").first()
    arrived = Mission.objects.filter(status="arrived").order_by("-departs_on").first()
    request = TracingRequest.objects.filter(agency=consular).order_by("-pk").first()
    assert mission and arrived and request
    pages = [
        ("consul", "dashboard", "/"),
        ("consul", "case list", "/cases/"),
        ("consul", "case list, page 100", "/cases/?page=100"),
        ("consul", "case list, status and host", "/cases/?status=verified&host=IQ"),
        ("consul", "case list, age band and region", "/cases/?age_band=0-2&region=RU-DA"),
        ("consul", "case page", f"/cases/{case.pk}/"),
        ("consul", "register a child (form)", "/cases/register/"),
        ("consul", "tracing requests", "/tracing/"),
        ("consul", "tracing request", f"/tracing/{request.pk}/"),
        ("consul", "statistics", "/statistics/"),
        ("supervisor", "dashboard", "/"),
        ("supervisor", "case list", "/cases/"),
        ("supervisor", "case list, visits due", "/cases/?visit_due_by=2026-12-01"),
        ("supervisor", "case page", f"/cases/{last.pk}/"),
        ("supervisor", "duplicates", "/cases/duplicates/"),
        ("supervisor", "statistics", "/statistics/"),
        ("supervisor", "statistics, region x age band 2019-01-05",
         "/statistics/?as_of=2019-01-05&by=region&by=age-band"),
        ("supervisor", "statistics, host x status 2024-06-30",
         "/statistics/?as_of=2024-06-30&by=host&by=status"),
        ("medic", "dashboard", "/"),
        ("medic", "case list", "/cases/"),
        ("coordinator", "dashboard", "/"),
        ("coordinator", "missions", "/missions/"),
        ("coordinator", "planned mission", f"/missions/{mission.pk}/"),
        ("coordinator", "arrived mission", f"/missions/{arrived.pk}/"),
        ("analyst", "statistics", "/statistics/"),
        ("analyst", "releases", "/releases/"),
    ]  # fmt: skip
    return [{"role": r, "page": p, "url": u} for r, p, u in pages]


# --- the conductor ---------------------------------------------------------------------------


class Version:
    def __init__(self, label: str, spec: str, read_only: bool) -> None:
        code, _, database = spec.partition(":")
        self.label = label
        flags = ["--read-only"] if read_only else []
        self.process = subprocess.Popen(  # nosec B603: this script, with our own arguments
            [sys.executable, str(HERE), "--worker", code, database, *flags],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pages = self._read()["pages"]
        self.walls: dict[int, list[float]] = {}
        self.cpus: dict[int, list[float]] = {}
        self.queries: dict[int, int] = {}

    def ask(self, **what: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(what) + "\n")
        self.process.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"{self.label}: the worker stopped")
        return dict(json.loads(line))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("CODE", "DATABASE"), help=argparse.SUPPRESS)
    parser.add_argument("--before", help="CODE:DATABASE of the version to compare with")
    parser.add_argument("--after", required=False, help="CODE:DATABASE of this version")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help="pages whose role or name contains this")
    parser.add_argument(
        "--after-only", default="", help="role:page pairs (comma-separated) not asked of before"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="leave nothing written (page_client.py)"
    )
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, args.read_only)
        return
    if not args.after:
        parser.error("--after is required")
    print(f"load average before: {_load()}", flush=True)
    versions = [Version("before", args.before, args.read_only)] if args.before else []
    versions.append(Version("after", args.after, args.read_only))
    pages = versions[-1].pages
    chosen = [
        i
        for i, page in enumerate(pages)
        if not args.only or args.only in page["role"] or args.only in page["page"]
    ]
    skipped = {pair.strip() for pair in args.after_only.split(",") if pair.strip()}
    for i in chosen:
        page = pages[i]
        asked = [
            v
            for v in versions
            if f"{page['role']}:{page['page']}" not in skipped or v.label == "after"
        ]
        for version in asked:
            version.queries[i] = version.ask(role=page["role"], url=page["url"], queries=True)[
                "queries"
            ]  # also the warm-up
        for _ in range(args.rounds):
            for version in asked:
                got = version.ask(role=page["role"], url=page["url"], repeat=args.repeat)
                version.walls.setdefault(i, []).extend(got["walls"])
                version.cpus.setdefault(i, []).extend(got["cpus"])
        print(_line(page, versions, i), flush=True)
    for version in versions:
        version.close()
    print(f"load average after: {_load()}")
    print("pages " + " ".join(_pairs(pages, versions, chosen)))


def _line(page: dict[str, str], versions: list[Version], i: int) -> str:
    cells = [page["role"], page["page"]]
    for version in versions:
        if i not in version.walls:
            cells.append("not measured")
            continue
        walls, cpus = version.walls[i], version.cpus[i]
        cells.append(
            f"{1000 * statistics.median(walls):.0f} / {1000 * _percentile(walls, 0.95):.0f} ms, "
            f"CPU {1000 * statistics.mean(cpus):.0f} ms, {version.queries[i]} q"
        )
    return "| " + " | ".join(cells) + " |"


def _pairs(pages: list[dict[str, str]], versions: list[Version], chosen: list[int]) -> list[str]:
    pairs = []
    for i in chosen:
        name = f"{pages[i]['role']}_{pages[i]['page']}".replace(" ", "_").replace(",", "")
        for version in versions:
            if i not in version.walls:
                continue
            p95 = 1000 * _percentile(version.walls[i], 0.95)
            pairs.append(f"{version.label}_{name}_p95_ms={p95:.0f}")
    return pairs


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
