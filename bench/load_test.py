"""Many users at once against a running Homeward: p50/p95/p99 per endpoint, requests per
second, errors, and a check that no write was lost.

    HOMEWARD_DEMO_MODE=true .venv/bin/homeward serve --port 8021 --workers 2 &
    .venv/bin/python bench/load_test.py --port 8021 --users 40 --seconds 60
    .venv/bin/python bench/load_test.py --port 8021 --users 40 --seconds 120 --think 5 \
        --server-group $(ps -o pgid= -p SERVER_PID)

The server must hold the demo's staff (`bench/registry.py` builds such a registry) and run
in demo mode (no second factor). Only 127.0.0.1 is accepted. Each virtual user signs in
as one of the demo's roles (caseworkers of three agencies, a supervisor, a medical
officer, a mission coordinator, an analyst, in turns), collects case pages from its case
list, then does what its role does: lists (with filters), searches, case pages,
dashboards, statistics as of a random day by two dimensions, and as a caseworker writes
notes and registers children. It stops after `--seconds` or `--requests`.

Without `--think` a user asks again the moment an answer comes: that measures the server
saturated (by Little's law each waits users / throughput, whatever the page). People
pause between clicks: `--think S` makes each user wait a random time of mean S seconds
(exponential, as in a Poisson stream of clicks) before each request, the first included
so that the users do not start in step. `--server-group PGID` adds the CPU time the
server's processes (that process group: `homeward serve` and its workers) spent during
the run, per request.

At the end every note and registration the server accepted is looked for on the case page
(a missing one is a lost write). Reads and writes are summed apart. The last line is
name=value pairs: requests, seconds, requests per second, errors, 5xx, lost writes, p95 of
reads and of writes in ms. Needs httpx (`pip install -e .[bench]`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

try:
    import httpx
except ImportError:  # pragma: no cover
    raise SystemExit(
        "bench/load_test.py needs httpx: .venv/bin/pip install -e '.[bench]'"
    ) from None

PASSWORD = "homeward-demo"  # the demo's, printed by `homeward demo`
ROLES = ["consul", "supervisor", "ngo", "medic", "dagestan", "coordinator", "consul", "analyst"]
CASEWORKERS = {"consul", "ngo", "dagestan"}
NAMES = ["Амина", "Magomed", "Fatima Aliyeva", "Хадижат", "Yusup", "Patimat"]
DIMENSIONS = ["age-band", "region", "sex", "status", "host", "placement"]
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
WRITES = {"add a note", "register a child"}


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: int = 0
    # What the server accepted: (who wrote it, the page that shows it, the text).
    written: list[tuple[User, str, str]] = field(default_factory=list)


class User:
    def __init__(self, base: str, role: str, results: Results, rng: random.Random) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False)
        self.role, self.results, self.rng = role, results, rng
        self.cases: list[int] = []

    async def sign_in(self) -> None:
        page = await self.client.get("/sign-in/")
        response = await self.client.post(
            "/sign-in/",
            data={
                "username": self.role,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self._csrf(page),
            },
        )
        if response.status_code != 302:
            raise SystemExit(f"{self.role} could not sign in: {response.status_code}")
        if self.role != "analyst":
            listed = await self.client.get(f"/cases/?page={self.rng.randrange(1, 40)}")
            self.cases += [int(pk) for pk in CASE_LINK.findall(listed.text)]

    def _csrf(self, page: httpx.Response) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")

    async def timed(
        self, name: str, method: str, url: str, **kwargs: object
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError:
            self.results.errors[name] += 1
            return None
        self.results.times[name].append(time.perf_counter() - started)
        if response.status_code >= 500:
            self.results.server_errors += 1
        if response.status_code >= 400:
            self.results.errors[name] += 1
        return response

    async def act(self) -> None:
        choices = self._choices()
        name = self.rng.choices(list(choices), weights=[w for w, _ in choices.values()])[0]
        await choices[name][1]()

    def _choices(self) -> dict[str, tuple[int, object]]:
        rng = self.rng
        get = self.timed
        pick = lambda: rng.choice(self.cases)  # noqa: E731
        day = date(2017, 6, 1) + timedelta(days=rng.randrange(3400))
        two = rng.sample(DIMENSIONS, 2)
        stats_url = f"/statistics/?as_of={day}&by={two[0]}&by={two[1]}"
        if self.role == "analyst":
            return {"statistics": (1, lambda: get("statistics", "GET", stats_url))}
        filtered = f"/cases/?status=verified&region=RU-DA&page={rng.randrange(1, 5)}"
        reference = f"/cases/?q=HW-{rng.choice(self.cases):06d}"
        listed = f"/cases/?page={rng.randrange(1, 200)}"
        named = f"/cases/?q={rng.choice(NAMES)}"
        choices: dict[str, tuple[int, object]] = {
            "dashboard": (10, lambda: get("dashboard", "GET", "/")),
            "case list": (15, lambda: get("case list", "GET", listed)),
            "case list, filtered": (5, lambda: get("case list, filtered", "GET", filtered)),
            "search by name": (5, lambda: get("search by name", "GET", named)),
            "search by reference": (3, lambda: get("search by reference", "GET", reference)),
            "case page": (30, lambda: get("case page", "GET", f"/cases/{pick()}/")),
            "statistics": (3, lambda: get("statistics", "GET", stats_url)),
        }  # fmt: skip
        if self.role == "coordinator":
            choices["missions"] = (10, lambda: get("missions", "GET", "/missions/"))
        if self.role in CASEWORKERS:
            choices["add a note"] = (12, self.add_note)
            choices["register a child"] = (3, self.register)
        return choices

    async def add_note(self) -> None:
        case = self.rng.choice(self.cases)
        page = await self.client.get(f"/cases/{case}/notes/")
        text = f"load test note {uuid.uuid4().hex}"
        data = {"text": text, "csrfmiddlewaretoken": self._csrf(page)}
        response = await self.timed("add a note", "POST", f"/cases/{case}/notes/", data=data)
        if response is not None and response.status_code == 302:
            self.results.written.append((self, f"/cases/{case}/", text))

    async def register(self) -> None:
        page = await self.client.get("/cases/register/")
        marker = uuid.uuid4().hex[:10]
        name = f"Loadtest {marker}"
        data = {
            "csrfmiddlewaretoken": self._csrf(page), "names-TOTAL_FORMS": "1",
            "names-INITIAL_FORMS": "0", "names-MIN_NUM_FORMS": "1", "names-MAX_NUM_FORMS": "20",
            "names-0-full_name": name, "names-0-script": "", "names-0-source": "consular",
            "sex": self.rng.choice("fm"), "birth_known": "2014-03", "nationality": "RU",
            "home_region": "RU-DA", "identified_on": "2026-11-01", "country": "IQ",
            "facility_kind": "camp", "facility_name": "", "mother_name": "",
            "mother_status": "unknown", "father_name": "", "father_status": "unknown",
        }  # fmt: skip
        response = await self.timed("register a child", "POST", "/cases/register/", data=data)
        if response is not None and response.status_code == 302:
            self.results.written.append((self, response.headers["location"], name))


async def run_user(user: User, until: float, budget: list[int], think: float) -> None:
    while time.perf_counter() < until and budget[0] > 0:
        if think:
            # Not past the end: a long last pause would stretch the run's seconds.
            pause = user.rng.expovariate(1 / think)
            await asyncio.sleep(min(pause, max(0.0, until - time.perf_counter())))
            if time.perf_counter() >= until:
                break
        budget[0] -= 1
        await user.act()


def group_cpu(group: int) -> float:
    """User and system CPU seconds of the live processes of a process group (their own,
    not their waited-for children's)."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[2]) == group:  # fields from the state on: pgrp is the third
            spent += int(fields[11]) + int(fields[12])  # utime, stime
    return spent / ticks


async def lost_writes(results: Results) -> int:
    """Notes and registrations the server accepted that their case pages do not show (each
    read by the user who wrote it)."""
    lost = 0
    for user, url, text in results.written:
        page = await user.client.get(url)
        lost += page.status_code != 200 or text not in page.text
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many in all")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument(
        "--think", type=float, default=0, help="mean pause in seconds before each request"
    )
    parser.add_argument(
        "--server-group", type=int, help="process group of the server: its CPU per request"
    )
    args = parser.parse_args()
    if args.host != "127.0.0.1":
        raise SystemExit("This load test runs against 127.0.0.1 only.")
    base = f"http://{args.host}:{args.port}"
    rng = random.Random(args.seed)
    results = Results()
    users = [
        User(base, ROLES[i % len(ROLES)], results, random.Random(rng.random()))
        for i in range(args.users)
    ]
    for start in range(0, len(users), 4):  # a few at a time: signing in is slow on purpose
        await asyncio.gather(*(u.sign_in() for u in users[start : start + 4]))
    print(f"{len(users)} users signed in; load average {_load()}", flush=True)
    cpu = group_cpu(args.server_group) if args.server_group else 0.0
    started = time.perf_counter()
    budget = [args.requests]
    until = started + args.seconds
    await asyncio.gather(*(run_user(u, until, budget, args.think) for u in users))
    seconds = time.perf_counter() - started
    if args.server_group:
        cpu = group_cpu(args.server_group) - cpu
    print(f"load average at the end: {_load()}")
    lost = await lost_writes(results)
    report(results, seconds, lost, args.think, cpu if args.server_group else None)
    await asyncio.gather(*(u.client.aclose() for u in users))


def report(
    results: Results, seconds: float, lost: int, think: float, server_cpu: float | None
) -> None:
    print("| endpoint | requests | p50 ms | p95 ms | p99 ms | errors |\n|---|---|---|---|---|---|")
    for name in sorted(results.times):
        t = results.times[name]
        p50, p95, p99 = (1000 * percentile(t, share) for share in (0.5, 0.95, 0.99))
        print(f"| {name} | {len(t)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {results.errors[name]} |")
    reads = [x for n, t in results.times.items() if n not in WRITES for x in t]
    writes = [x for n, t in results.times.items() if n in WRITES for x in t]
    total = len(reads) + len(writes)
    errors = sum(results.errors.values())
    cpu = (
        f"server_cpu_ms={1000 * server_cpu / max(total, 1):.0f} " if server_cpu is not None else ""
    )
    print(
        f"load think_s={think:g} requests={total} seconds={seconds:.1f} rps={total / seconds:.1f} "
        f"reads_p50_ms={1000 * percentile(reads, 0.5) if reads else 0:.0f} "
        f"writes_p50_ms={1000 * percentile(writes, 0.5) if writes else 0:.0f} {cpu}"
        f"reads_p95_ms={1000 * percentile(reads, 0.95) if reads else 0:.0f} "
        f"writes_p95_ms={1000 * percentile(writes, 0.95) if writes else 0:.0f} "
        f"writes={len(writes)} lost_writes={lost} errors={errors} 5xx={results.server_errors}"
    )


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    asyncio.run(main())
