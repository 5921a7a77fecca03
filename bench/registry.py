"""A regional registry's worth of invented children, for the page and load benchmarks.

    .venv/bin/python bench/registry.py --children 100000 --data-dir /tmp/registry-100k
    DATABASE_URL=postgres://... .venv/bin/python bench/registry.py --children 1000000

Loads the demo scenario (its agencies, staff, missions and custody rules; sign in as
`supervisor`, `consul`, `medic`... with the demo password), then adds N children written
straight into the tables, a chunk at a time, as the import's bulk writer does
(`imports.bulk.insert`: COPY on PostgreSQL). Each child has two or three spellings
(Cyrillic, Latin, sometimes Arabic, with their search keys), a birth date to the day, the
year or not at all, a home region, an agency of the demo (so each caseworker's scope holds
a share) and a history from 2017 to last month along the case flow: placements abroad,
missions every two weeks, placement at home with hand-over and follow-up visits (some
overdue), a few cases ended or on hold. Around them: readiness checks, custody-rule
alerts, tracing requests with proposed matches (some decided) and audit entries
(`case.created` for each, chained). Everything is seeded: the same N gives the same data.

The database is built once and reused: a benchmark copies the SQLite file, or points at
the PostgreSQL database. Statistics kept up to date by the services (if the code has
them) are rebuilt at the end with `homeward rebuild_statistics`, when that command exists.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _configure() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--data-dir", help="SQLite: the data folder (HOMEWARD_DATA_DIR)")
    args = parser.parse_args()
    if args.data_dir:
        os.environ["HOMEWARD_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    global CHILDREN
    CHILDREN = args.children


CHILDREN = 0
CHUNK = 20_000
SEED = 21
TODAY = date(2026, 12, 1)  # the registry's "now": histories end before it
FIRST_DAY = date(2017, 1, 1)
MISSION_EVERY = timedelta(days=14)
REGIONS = [
    "RU-DA", "RU-CE", "RU-IN", "RU-KB", "RU-KC", "RU-SE", "RU-AD", "RU-STA", "RU-KDA",
    "RU-MOW", "RU-SPE", "RU-TA", "RU-BA", "RU-AST", "RU-ROS", "RU-VGG", "RU-SAR", "RU-NIZ",
    "RU-SVE", "RU-CHE",
]  # fmt: skip
ABROAD = [("IQ", "detention_with_mother"), ("IQ", "state_orphanage"), ("IQ", "camp"),
          ("SY", "camp"), ("SY", "detention_with_mother")]  # fmt: skip
# The caseworkers' agencies get most children; the coordinating authority a few.
AGENCY_SHARES = [("consular", 0.4), ("ngo", 0.3), ("dagestan", 0.2), ("occr", 0.1)]
CASEWORKER_OF = {"consular": "consul", "ngo": "ngo", "dagestan": "dagestan", "occr": "supervisor"}
FLOW = [
    "identified", "verified", "family_traced", "consent_obtained", "cleared_to_leave",
    "assigned_to_mission", "repatriated", "examined", "placed", "in_follow_up", "closed",
]  # fmt: skip
# The statuses a case never leaves (cases.status.FINAL), whose visits are marked ended.
FINAL = {"closed", "reached_majority", "died", "placed_abroad"}


@dataclass
class Chunk:
    """The rows of one chunk of children, by table (attribute name -> value)."""

    people: list[dict[str, Any]] = field(default_factory=list)
    names: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    hand_overs: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    manifest: list[dict[str, Any]] = field(default_factory=list)


class Registry:
    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from homeward.accounts.models import Agency
        from homeward.demo.scenario import AGENCIES
        from homeward.rules.models import CustodyRule

        self.rng = random.Random(SEED)
        self.agencies = {key: Agency.objects.get(name=AGENCIES[key][0]).pk for key in AGENCIES}
        users = get_user_model().objects
        self.workers = {key: users.get(username=name).pk for key, name in CASEWORKER_OF.items()}
        self.rule = CustodyRule.objects.filter(host_country="IQ").order_by("pk").first()
        self.missions: dict[date, list[list[int]]] = {}
        self.keys: dict[str, str] = {}

    # --- one child ------------------------------------------------------------------

    def child(self, chunk: Chunk, ids: dict[str, Iterator[int]]) -> None:
        rng = self.rng
        person_id, case_id = next(ids["person"]), next(ids["case"])
        sex = rng.choice("fm")
        born = date(2003, 1, 1) + timedelta(days=rng.randrange(365 * 20))
        chunk.people.append(self._person(person_id, sex, born))
        self._names(chunk, ids, person_id, sex)
        agency = rng.choices([a for a, _ in AGENCY_SHARES], [w for _, w in AGENCY_SHARES])[0]
        worker = self.workers[agency]
        found = FIRST_DAY + timedelta(days=rng.randrange((TODAY - FIRST_DAY).days - 30))
        status, since = self._history(chunk, ids, case_id, found, worker)
        for visit in reversed(chunk.visits):  # this case's, as the services would mark them
            if visit["case_id"] != case_id:
                break
            visit["case_ended"] = status in FINAL
        chunk.cases.append({
            "id": case_id, "reference": f"HW-{case_id:06d}", "child_id": person_id,
            "home_region": rng.choice(REGIONS), "agency_id": self.agencies[agency],
            "assigned_to_id": worker if rng.random() < 0.5 else None,
            "status": status, "status_since": since, "registered_by_id": worker,
            "merged_into_id": None,
        })  # fmt: skip

    def _person(self, pk: int, sex: str, born: date) -> dict[str, Any]:
        from homeward.people.models import Person

        person = Person(sex=sex, nationality="RU")
        roll = self.rng.random()
        if roll < 0.6:
            person.birth_precision, person.birth_date = "year", born.replace(month=1, day=1)
        elif roll < 0.95:
            person.birth_precision, person.birth_date = "day", born
        person.derive_birth_range()
        row = {name: getattr(person, name) for name in (
            "sex", "nationality", "birth_precision", "birth_date", "birth_earliest",
            "birth_latest", "birth_midpoint",
        )}  # fmt: skip
        return row | {"id": pk}

    def _names(self, chunk: Chunk, ids: dict[str, Iterator[int]], person: int, sex: str) -> None:
        from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS, family_name

        rng = self.rng
        given = rng.choice(GIRLS if sex == "f" else BOYS)
        father = rng.choice(BOYS)
        family = family_name(rng.choice(FAMILY_NAMES), sex)
        ending = ("ovna", "овна") if sex == "f" else ("ovich", "ович")
        spellings = [
            (f"{given[1]} {father[1]}{ending[1]} {family[1]}", "Cyrl", "consular", True),
            (f"{given[0]} {father[0]}{ending[0]} {family[0]}", "Latn", "ngo", False),
        ]
        if rng.random() < 0.3:
            spellings.append(
                (f"{given[2]} {father[2]} {family[2]}", "Arab", "host_authority", False)
            )
        for full, script, source, preferred in spellings:
            chunk.names.append({
                "id": next(ids["name"]), "person_id": person, "full_name": full,
                "script": script, "source": source, "is_preferred": preferred,
                "search_key": self._key(full),
            })  # fmt: skip

    def _key(self, full: str) -> str:
        from homeward.lib.scripts import search_key

        if full not in self.keys:
            self.keys[full] = search_key(full)
        return self.keys[full]

    def _history(
        self, chunk: Chunk, ids: dict[str, Iterator[int]], case: int, found: date, worker: int
    ) -> tuple[str, date]:
        """The case's moves along the flow from `found`, with its placements, until a step
        would fall after TODAY; a few end otherwise or pause."""
        rng = self.rng
        country, kind = rng.choice(ABROAD)
        self._move(chunk, ids, case, "", "identified", found, worker)
        self._place(chunk, ids, case, country, kind, found, worker)
        status, day = "identified", found
        while status != "closed":
            roll = rng.random()
            if roll < 0.015 and FLOW.index(status) < FLOW.index("repatriated"):
                ending = rng.choice(["reached_majority", "died", "placed_abroad"])
                ended = day + timedelta(days=rng.randrange(10, 200))
                if ended < TODAY:
                    self._move(chunk, ids, case, status, ending, ended, worker)
                    return ending, ended
            if roll > 0.995:
                held = day + timedelta(days=rng.randrange(10, 100))
                if held < TODAY:
                    self._move(chunk, ids, case, status, "on_hold", held, worker)
                    return "on_hold", held
            following = FLOW[FLOW.index(status) + 1]
            next_day = self._next_day(following, day)
            if next_day >= TODAY:
                break
            if following == "assigned_to_mission":
                flies = next_day + timedelta(days=7)
                mission = self._mission(flies)
                if mission is None:  # the next flights are full: stays cleared to leave
                    break
                self._board(chunk, case, mission, flies, travelled=True if flies < TODAY else None)
            self._move(chunk, ids, case, status, following, next_day, worker)
            self._step(chunk, ids, case, following, next_day, worker, country)
            status, day = following, next_day
        return status, day

    def _next_day(self, following: str, day: date) -> date:
        if following == "assigned_to_mission":
            return self._mission_day(day + timedelta(days=7)) - timedelta(days=7)
        if following == "repatriated":
            return day + timedelta(days=7)
        if following == "examined":
            return day + timedelta(days=2)
        if following == "closed":  # a year of follow-up at least
            return day + timedelta(days=self.rng.randrange(365, 900))
        return day + timedelta(days=self.rng.randrange(30, 400))

    def _step(
        self, chunk: Chunk, ids: dict[str, Iterator[int]], case: int, status: str, day: date,
        worker: int, abroad: str,
    ) -> None:  # fmt: skip
        if status == "cleared_to_leave":
            for item in ("identity_verified", "citizenship_confirmed", "consent_recorded",
                         "exit_clearance", "travel_document", "fit_to_fly"):  # fmt: skip
                chunk.checks.append({"case_id": case, "item": item, "done_on": day,
                                     "evidence": "", "recorded_by_id": worker})  # fmt: skip
        elif status == "repatriated":
            self._place(chunk, ids, case, "RU", "hospital", day, worker)
        elif status == "placed":
            self._place(chunk, ids, case, "RU", "with_relatives", day, worker)
            self._hand_over(chunk, ids, case, day, worker)
        elif status == "verified" and abroad == "IQ" and self.rng.random() < 0.05:
            self._alert(chunk, case, day)

    def _mission_day(self, earliest: date) -> date:
        first = date(2017, 3, 5)
        steps = max(0, -(-(earliest - first).days // MISSION_EVERY.days))
        return first + steps * MISSION_EVERY

    def _board(self, chunk: Chunk, case: int, mission: int, day: date, travelled: Any) -> None:
        chunk.manifest.append({
            "mission_id": mission, "case_id": case, "seat": "",
            "receiving_region": "", "added_at": _at(day - timedelta(days=7)),
            "added_reason": "", "removed_reason": "", "travelled": travelled,
            "not_travelled_reason": "", "override_reason": "",
        })  # fmt: skip

    def _mission(self, day: date) -> int | None:
        """A flight that day with a free seat: flights of the past carry up to 200
        children (as many flights a day as needed), a flight still to come up to 60 and
        only one a day (None when it is full)."""
        from homeward.missions.models import Mission

        flights = self.missions.setdefault(day, [])
        arrived = day < TODAY
        seats = 200 if arrived else 60
        if flights and flights[-1][1] < seats:
            flights[-1][1] += 1
            return flights[-1][0]
        if flights and not arrived:
            return None
        mission = Mission.objects.create(
            code=f"RB-{day:%Y%m%d}-{len(flights) + 1}", name=f"Registry flight of {day}",
            departure_airport="BGW", arrival_airport="ZIA", departs_on=day,
            arrives_on=day, capacity=seats, status="arrived" if arrived else "planned",
            arrived_at=_at(day) if arrived else None,
        )  # fmt: skip
        flights.append([mission.pk, 1])
        return mission.pk

    def _hand_over(
        self, chunk: Chunk, ids: dict[str, Iterator[int]], case: int, day: date, worker: int
    ) -> None:
        from homeward.care.services import months_after

        hand_over = next(ids["hand_over"])
        chunk.hand_overs.append({
            "id": hand_over, "case_id": case, "handed_over_on": day,
            "receiver_kind": "state_institution", "receiving_relative_id": None,
            "institution": "Regional children's home", "region": "RU-DA", "town": "",
            "recorded_by_id": worker,
        })  # fmt: skip
        for months in (1, 3, 6, 12):
            due = months_after(day, months)
            visited = due if due < TODAY - timedelta(days=30) and self.rng.random() < 0.97 else None
            chunk.visits.append({
                "case_id": case, "hand_over_id": hand_over, "months_after": months,
                "due_on": due, "visited_on": visited,
                "visited_by_id": worker if visited else None, "schooling": "", "health": "",
                "psychosocial_support": "", "concerns": "", "case_ended": False,
            })  # fmt: skip

    def _alert(self, chunk: Chunk, case: int, day: date) -> None:
        if self.rule is None:
            return
        resolved = day + timedelta(days=60) if self.rng.random() < 0.7 else None
        chunk.alerts.append({
            "case_id": case, "rule_id": self.rule.pk, "kind": "due", "limit_earliest": day,
            "limit_latest": day, "message": "The child turns three in detention.",
            "raised_on": day, "evaluated_on": day,
            "resolved_on": resolved if resolved and resolved < TODAY else None,
            "resolved_by_id": None, "resolution": "Placed with relatives" if resolved else "",
        })  # fmt: skip

    def _move(
        self, chunk: Chunk, ids: dict[str, Iterator[int]], case: int, before: str, after: str,
        day: date, worker: int,
    ) -> None:  # fmt: skip
        chunk.moves.append({
            "id": next(ids["move"]), "case_id": case, "from_status": before,
            "to_status": after, "effective_on": day, "recorded_by_id": worker,
            "reason": "Registered" if not before else "",
        })  # fmt: skip

    def _place(
        self, chunk: Chunk, ids: dict[str, Iterator[int]], case: int, country: str, kind: str,
        day: date, worker: int,
    ) -> None:  # fmt: skip
        chunk.places.append({
            "id": next(ids["place"]), "case_id": case, "country": country,
            "facility_kind": kind, "facility_name": "", "since": day, "recorded_by_id": worker,
        })  # fmt: skip


def _at(day: date) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, clock(12)))


def write_chunk(registry: Registry, size: int) -> None:
    from django.db import transaction

    from homeward.care.models import FollowUpVisit, HandOver
    from homeward.cases.models import ChildCase, Placement, StatusTransition
    from homeward.imports.bulk import insert, reserve_ids
    from homeward.missions.models import ManifestEntry, ReadinessCheck
    from homeward.people.models import Person, PersonName
    from homeward.rules.models import RuleAlert

    with transaction.atomic():
        ids = {
            "person": iter(reserve_ids(Person, size)),
            "case": iter(reserve_ids(ChildCase, size)),
            "name": iter(reserve_ids(PersonName, 3 * size)),
            "move": iter(reserve_ids(StatusTransition, 12 * size)),
            "place": iter(reserve_ids(Placement, 4 * size)),
            "hand_over": iter(reserve_ids(HandOver, size)),
        }
        chunk = Chunk()
        for _ in range(size):
            registry.child(chunk, ids)
        insert(Person, chunk.people)
        insert(PersonName, chunk.names)
        insert(ChildCase, chunk.cases)
        insert(StatusTransition, chunk.moves)
        insert(Placement, chunk.places)
        insert(HandOver, chunk.hand_overs)
        insert(FollowUpVisit, chunk.visits)
        insert(ReadinessCheck, chunk.checks)
        insert(RuleAlert, chunk.alerts)
        insert(ManifestEntry, chunk.manifest)
        _audit(chunk)


def _audit(chunk: Chunk) -> None:
    from django.contrib.auth import get_user_model

    from homeward.audit.services import record_many

    by_worker: dict[int, list[tuple[str, str, list[str]]]] = {}
    for case in chunk.cases:
        by_worker.setdefault(case["registered_by_id"], []).append(
            ("cases.childcase", str(case["id"]), [])
        )
    for worker, targets in by_worker.items():
        user = get_user_model().objects.get(pk=worker)
        record_many("case.created", actor=user, targets=targets)


def add_tracing(registry: Registry, count: int) -> None:
    """`count` open tracing requests seeking a child, each with a proposed match (a third
    of them decided), as the matching would leave them."""
    from django.db import transaction
    from django.db.models import Max, Min
    from django.utils import timezone

    from homeward.cases.models import ChildCase
    from homeward.imports.bulk import insert, reserve_ids
    from homeward.people.models import Person, PersonName
    from homeward.tracing.models import (
        MatchCandidate,
        MatchDecision,
        SoughtPerson,
        TracingRequest,
    )

    rng = registry.rng
    bounds = ChildCase.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    now = timezone.now()
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        with transaction.atomic():
            people = reserve_ids(Person, 2 * size)
            names = iter(reserve_ids(PersonName, 2 * size))
            requests = reserve_ids(TracingRequest, size)
            sought = reserve_ids(SoughtPerson, size)
            rows: dict[str, list[dict[str, Any]]] = {k: [] for k in "prnscd"}
            for i in range(size):
                enquirer, child = people[2 * i], people[2 * i + 1]
                agency = registry.agencies[rng.choice(["consular", "ngo", "dagestan"])]
                for pk in (enquirer, child):
                    rows["p"].append({"id": pk, "sex": "u", "nationality": "RU",
                                      "birth_precision": "unknown"})  # fmt: skip
                    rows["n"].append({"id": next(names), "person_id": pk,
                                      "full_name": f"Enquirer {pk}", "script": "Latn",
                                      "source": "family", "is_preferred": True,
                                      "search_key": f"enquirer {pk}"})  # fmt: skip
                rows["r"].append({
                    "id": requests[i], "reference": f"TR-{requests[i]:06d}", "agency_id": agency,
                    "enquirer_id": enquirer, "enquirer_relationship": "grandmother",
                    "enquirer_contact": "", "enquirer_place": "", "who_left": "", "left_on": "",
                    "left_for": "", "story": "", "status": "open", "closed_reason": "",
                    "closed_on": None, "filed_on": TODAY - timedelta(days=rng.randrange(2000)),
                    "filed_by_id": registry.workers["consular"],
                })  # fmt: skip
                rows["s"].append({"id": sought[i], "request_id": requests[i], "kind": "child",
                                  "person_id": child, "mother_names": "", "father_names": "",
                                  "last_known_place": "", "parents_search_key": ""})  # fmt: skip
                case = rng.randint(low, high)
                score = rng.uniform(0.1, 0.99)
                pair = {"sought_id": sought[i], "case_id": case, "relative_id": None}
                if rng.random() < 0.33:
                    rows["d"].append(pair | {
                        "decision": rng.choice(["confirmed", "rejected"]),
                        "score_when_decided": score, "reason": "",
                        "decided_by_id": registry.workers["consular"],
                    })  # fmt: skip
                rows["c"].append(pair | {
                    "score": score, "match_weight": 3.0, "explanation": {},
                    "explanation_text": "names agree", "computed_at": now,
                })  # fmt: skip
            insert(Person, rows["p"])
            insert(PersonName, rows["n"])
            insert(TracingRequest, rows["r"])
            insert(SoughtPerson, rows["s"])
            insert(MatchCandidate, rows["c"])
            insert(MatchDecision, rows["d"])


def main() -> None:
    _configure()
    import django

    django.setup()
    from django.core.management import call_command, get_commands
    from django.db import connection

    started = time.perf_counter()
    call_command("demo", no_serve=True, verbosity=0)
    print(f"demo loaded in {time.perf_counter() - started:.0f} s", flush=True)
    registry = Registry()
    written = 0
    while written < CHILDREN:
        size = min(CHUNK, CHILDREN - written)
        write_chunk(registry, size)
        written += size
        print(f"{written} children in {time.perf_counter() - started:.0f} s", flush=True)
    add_tracing(registry, CHILDREN // 25)
    print(f"tracing requests in {time.perf_counter() - started:.0f} s", flush=True)
    if "rebuild_statistics" in get_commands():
        call_command("rebuild_statistics")
        print(f"statistics rebuilt in {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"registry of {CHILDREN} children written in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
