"""What needs me today: the start page of everyone who works on cases.

Each list is limited to the cases the user may open. With a past day (`?on=2019-01-10`),
alerts and overdue visits are shown as they stood that day, to look back at a date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, prefetch_related_objects

from homeward.care.services import overdue_visit_parts
from homeward.cases.access import cases_visible_to, visible_cases
from homeward.cases.status import CaseStatus
from homeward.missions import readiness
from homeward.missions.models import ManifestEntry, Mission, MissionStatus
from homeward.missions.services import blockers, ready_cases
from homeward.people.models import names_read
from homeward.rules.services import alert_parts_open_on
from homeward.tracing import review
from homeward.tracing.models import MatchCandidate
from homeward.web.paging import COUNT_CAP

LIST_LIMIT = 50


@dataclass(frozen=True)
class MissionReadiness:
    mission: Mission
    on_board: int
    ready: int

    @property
    def not_ready(self) -> int:
        return self.on_board - self.ready


def missions_in_preparation() -> list[MissionReadiness]:
    """Missions still being prepared, with how many of their children may fly as things
    stand (the checklist done, or a supervisor let them fly without an item): their
    manifests read together, not two readings and a count per mission."""
    preparing = (MissionStatus.PLANNED, MissionStatus.MANIFEST_CONFIRMED)
    missions = list(Mission.objects.filter(status__in=preparing).order_by("departs_on"))
    aboard = ManifestEntry.objects.filter(mission__in=missions, removed_at=None)
    by_mission: dict[int, list[ManifestEntry]] = defaultdict(list)
    for entry in aboard.select_related("case").order_by("id"):
        by_mission[entry.mission_id].append(entry)
    missing = readiness.missing_by_case(e.case for own in by_mission.values() for e in own)
    found = []
    for mission in missions:
        own = by_mission[mission.pk]
        blocking = blockers(mission, own, missing)
        found.append(MissionReadiness(mission, len(own), len(own) - len(blocking)))
    return found


def matches_to_review(user: Any) -> Any:
    """Proposals that are questions; those of a child already home with the enquirer's
    family are counted apart (they only wait to be recorded)."""
    return review.to_review(user).select_related("sought__request", "case__child")


# Proposals read best first at a time while looking for the first to review.
BEST_BATCH = 200
BEST_BATCHES = 3


def best_to_review(user: Any, limit: int) -> list[Any]:
    """The first `limit` proposals to review, best first: the proposals are walked in
    that order from their index (`tracing_candidate_best`) a batch at a time and each
    batch is filtered, rather than every open proposal being read, asked whether its
    child is home and sorted (SQLite's plan of the one query: 46 ms of CPU for an
    all-scope user at 100k children). After a few batches the rest is one query, begun
    after the last proposal walked, so a user who may see few proposals costs no more."""
    to_review = matches_to_review(user)
    best = MatchCandidate.objects.order_by("-score", "id").values_list("score", "pk")
    found: list[Any] = []
    last = None
    for batch in range(BEST_BATCHES):
        walked = list(best[batch * BEST_BATCH : (batch + 1) * BEST_BATCH])
        if not walked:
            return found
        kept = to_review.filter(pk__in=[pk for _, pk in walked])
        found += kept[: limit - len(found)]
        if len(found) >= limit:
            return found
        last = walked[-1]
    score, pk = last  # type: ignore[misc]
    after = Q(score__lt=score) | Q(score=score, pk__gt=pk)
    return found + list(to_review.filter(after)[: limit - len(found)])


def capped_count(rows: Any, cap: int) -> int:
    """How many `rows`, reading no more than `cap` + 1 (past the cap the dashboard says
    "more than"): at 1M children a consul's 3,545 proposals to review were counted by
    joining all 40k proposals to their requests and cases, 140 ms."""
    return int(rows.order_by().values("pk")[: cap + 1].count())


def already_home_count(user: Any) -> int:
    """The open proposals of a child already home with the enquirer's family: read from
    the few cases handed over to a relative (69 of 619k hand-overs at 1M children), not
    by asking the question of every open proposal."""
    from homeward.care.models import HandOver

    to_relatives = HandOver.objects.filter(receiving_relative__isnull=False).values("case_id")
    home = review.home_or_not(review.open_candidates(user).filter(case__in=to_relatives), home=True)
    return int(home.order_by().count())


@dataclass(frozen=True)
class Parts:
    """A list in parts that never share a row, each ordered by `order` and read from an
    index in that order: its first rows are the first rows of each part, merged, and its
    count the sum of theirs (one plan over the union could read neither index in order)."""

    parts: tuple[Any, ...]
    order: tuple[str, str]  # a nullable field, then the primary key
    # Read for the rows kept only (half of those read when there are two parts).
    prefetch: tuple[str | Prefetch, ...] = ()

    def first(self, limit: int) -> list[Any]:
        return self._merged([list(part[:limit]) for part in self.parts], limit)

    def first_and_count(self, limit: int, cap: int) -> tuple[list[Any], int]:
        """`first(limit)` and `count(cap)`, a part whose first rows came short of `limit`
        counted by them (no count query: a dashboard's lists are mostly short)."""
        read = [list(part[:limit]) for part in self.parts]
        found = 0
        for part, rows in zip(self.parts, read, strict=True):
            if len(rows) < limit:
                found += min(len(rows), cap + 1 - found)
            else:
                found += part.order_by().values("pk")[: cap + 1 - found].count()
            if found > cap:
                break
        return self._merged(read, limit), found

    def _merged(self, read: list[list[Any]], limit: int) -> list[Any]:
        rows = [row for part in read for row in part]
        field, pk = self.order
        # Where the database puts a row without a value: last on PostgreSQL, first on SQLite.
        last = connection.features.nulls_order_largest

        def key(row: Any) -> tuple[bool, Any, Any]:
            value = getattr(row, field)
            return ((value is None) == last, value or date.min, getattr(row, pk))

        kept = sorted(rows, key=key)[:limit]
        prefetch_related_objects(kept, *self.prefetch)
        return kept

    def count(self, cap: int | None = None) -> int:
        """The rows of every part; with `cap`, no more than `cap` + 1 are read (past the
        cap the dashboard says "more than": at 1M, a consul's 22k overdue visits were
        counted by hashing half a million cases, 1.1 s)."""
        if cap is None:
            return sum(part.count() for part in self.parts)
        found = 0
        for part in self.parts:
            found += part.order_by().values("pk")[: cap + 1 - found].count()
            if found > cap:
                break
        return found


def alerts_for(user: Any, on: date, today: date | None = None) -> Parts:
    """The custody alerts open on the day, of the cases the user may open."""
    return Parts(
        tuple(
            part.filter(visible_cases(user, "case"))
            .select_related("case__child", "rule")
            .order_by("limit_earliest", "id")
            for part in _as_of(alert_parts_open_on(on), on, today)
        ),
        ("limit_earliest", "id"),
        (names_read("case__child__names"),),
    )


def overdue_for(user: Any, on: date, today: date | None = None) -> Parts:
    """The follow-up visits overdue on the day, of the cases the user may open."""
    return Parts(
        _as_of(overdue_visit_parts(visible_cases(user, "case"), on), on, today),
        ("due_on", "id"),
        (names_read("case__child__names"),),
    )


def _as_of(parts: tuple[Any, Any], on: date, today: date | None) -> tuple[Any, ...]:
    """Both parts (still open; closed since) for a past day; today, the first alone: no
    alert is resolved and no visit made after today, and the second part's list and count
    were two queries that never found a row."""
    return parts[:1] if on == today else parts


def first_and_count(rows: Any, limit: int) -> tuple[list[Any], int]:
    """The first `limit` of `rows` and how many there are: a list that came short of
    `limit` is its own count, without a count query."""
    first = list(rows[:limit])
    return first, len(first) if len(first) < limit else rows.count()


def dashboard(user: Any, on: date, today: date) -> dict[str, Any]:
    visible = cases_visible_to(user)
    alerts = alerts_for(user, on, today)
    overdue = overdue_for(user, on, today)
    ready = ready_cases(user).prefetch_related(names_read("child__names")) if on == today else None
    # Home, but not yet examined: the medical officers' list.
    to_examine = (
        visible.filter(status=CaseStatus.REPATRIATED, merged_into=None)
        .select_related("child")
        .prefetch_related(names_read("child__names"))
        .order_by("status_since", "reference")
    )
    matches = matches_to_review(user)
    first_alerts, alert_count = alerts.first_and_count(LIST_LIMIT, COUNT_CAP)
    first_overdue, overdue_count = overdue.first_and_count(LIST_LIMIT, COUNT_CAP)
    ready_rows, ready_count = first_and_count(ready, LIST_LIMIT) if ready is not None else ([], 0)
    examine, examine_count = first_and_count(to_examine, LIST_LIMIT) if on == today else ([], 0)
    return {
        "on": on,
        "is_today": on == today,
        "alerts": first_alerts,
        "alert_count": alert_count,
        "overdue": first_overdue,
        "overdue_count": overdue_count,
        "count_cap": COUNT_CAP,
        "ready": ready_rows,
        "ready_count": ready_count,
        "to_examine": examine,
        "to_examine_count": examine_count,
        "missions": missions_in_preparation(),
        "matches": best_to_review(user, 10),
        "match_count": capped_count(matches, COUNT_CAP),
        "already_home_count": already_home_count(user),
    }
