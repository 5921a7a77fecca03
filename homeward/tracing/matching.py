"""The Django side of matching: records in, the engine's candidates stored, decisions kept.

Work is queued whenever a sought person or a child's identity changes, and done by
`homeward match` (a background command), never during a page load.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings as django_settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from homeward.cases.models import ChildCase, DuplicateCandidate, Relationship, committing_imports
from homeward.cases.signals import case_identity_changed
from homeward.matching.engine import find_candidates
from homeward.matching.records import Candidate, PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS, Settings
from homeward.people.models import Person
from homeward.tracing.models import (
    Decision,
    MatchCandidate,
    MatchDecision,
    MatchingWork,
    MatchingWorker,
    RequestStatus,
    SoughtKind,
    SoughtPerson,
    split_variants,
)

Kind = MatchingWork.Kind
log = logging.getLogger("homeward.matching")
# Proposing a merge asks more certainty than proposing a child to a family.
DUPLICATE_THRESHOLD = 0.95


def enqueue(kind: str, ids: Iterable[int]) -> None:
    MatchingWork.objects.bulk_create([MatchingWork(kind=kind, object_id=pk) for pk in ids])


@receiver(case_identity_changed)
def _queue_changed_case(sender: Any, case: ChildCase, **kwargs: Any) -> None:
    enqueue(Kind.CASE, [case.pk])


# --- records for the engine -------------------------------------------------------------

# Proposing a child to a family shows every likely one. A request's probability is shared
# among the children it may be (one child registered twice by two agencies gets about half
# at each), so a bar at one half would hide both; the ranking and the score say the rest.
PROPOSAL_THRESHOLD = 0.1
# Whom each kind of sought person is looked for among: children, or their relatives.
RELATIVES_SOUGHT = {
    SoughtKind.MOTHER: (Relationship.MOTHER,),
    SoughtKind.OTHER: tuple(r for r in Relationship.values if r != Relationship.MOTHER),
}


def record_id(kind: str, pk: int) -> str:
    """The engine's id of a case, a sought person or a relative. Kinds are kept apart: the
    engine takes a left and a right record of one id for one record (which does not
    compete), and sought person 7 is not case 7."""
    return f"{kind}-{pk}"


def pk_of(engine_id: str) -> int:
    return int(engine_id.rpartition("-")[2])


def _names(person: Any) -> tuple[str, ...]:
    return tuple(name.full_name for name in person.names.all()) if person else ()


def case_record(case: ChildCase) -> PersonRecord:
    parents = {m.relationship: m.person for m in case.family.all() if m.is_parent}
    child = case.child
    return PersonRecord(
        id=record_id("case", case.pk),
        names=_names(child),
        sex=child.sex if child.sex in ("f", "m") else None,
        birth=child.birth,
        mother=_names(parents.get(Relationship.MOTHER)),
        father=_names(parents.get(Relationship.FATHER)),
        place=_first_place(case),
    )


def _first_place(case: ChildCase) -> str:
    """Where the child was first placed (a camp, an orphanage): the place nearest to a
    relative's "last known place". Countries are left out: nearly every child shares one."""
    placements = sorted(case.placements.all(), key=lambda p: (p.since, p.pk))
    return next((p.facility_name for p in placements if p.facility_name.strip()), "")


def relative_record(person: Person) -> PersonRecord:
    """A registered relative as the engine reads them (their own parents are not kept)."""
    return PersonRecord(
        id=record_id("person", person.pk),
        names=_names(person),
        sex=person.sex if person.sex in ("f", "m") else None,
        birth=person.birth,
    )


def sought_record(sought: SoughtPerson) -> PersonRecord:
    person = sought.person
    return PersonRecord(
        id=record_id("sought", sought.pk),
        names=_names(person),
        sex=person.sex if person.sex in ("f", "m") else None,
        birth=person.birth,
        mother=tuple(split_variants(sought.mother_names)),
        father=tuple(split_variants(sought.father_names)),
        place=sought.last_known_place,
    )


class Registry:
    """What sought people are matched against: the children of live (not merged) cases,
    and the relatives in their families by relationship, each relative once however
    many of the siblings' cases name them."""

    def __init__(self) -> None:
        cases = (
            ChildCase.objects.filter(merged_into=None)
            .select_related("child")
            .prefetch_related("child__names", "family__person__names", "placements")
        )
        self.children: list[PersonRecord] = []
        self._relatives: dict[str, dict[int, PersonRecord]] = defaultdict(dict)
        # Each relative's cases, by relationship: (person, relationship) -> case ids.
        self.cases_of: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
        for case in cases:
            self.children.append(case_record(case))
            for member in case.family.all():
                self.cases_of[member.person_id, member.relationship].append(case.pk)
                if member.person_id not in self._relatives[member.relationship]:
                    record = relative_record(member.person)
                    self._relatives[member.relationship][member.person_id] = record

    def relatives(self, relationships: Iterable[str]) -> list[PersonRecord]:
        found: dict[int, PersonRecord] = {}
        for relationship in relationships:
            found.update(self._relatives[relationship])
        return list(found.values())

    def relative_cases(self, person_id: int, relationships: Iterable[str]) -> list[int]:
        return sorted({case for r in relationships for case in self.cases_of[person_id, r]})


def _sought(ids: Iterable[int] | None = None) -> list[SoughtPerson]:
    sought = SoughtPerson.objects.filter(request__status=RequestStatus.OPEN)
    sought = sought.select_related("person").prefetch_related("person__names")
    if ids is not None:
        sought = sought.filter(pk__in=list(ids))
    return list(sought)


# --- the background work ----------------------------------------------------------------


def lease() -> timedelta:
    """How long a worker may go unseen before its claims are free again. It renews its
    lease a few times a lease while it lives (Worker)."""
    return timedelta(seconds=django_settings.HOMEWARD_MATCHING_LEASE_SECONDS)


def live_workers() -> Any:
    return MatchingWorker.objects.filter(seen_at__gte=timezone.now() - lease())


class Worker:
    """This process (or thread) as a matching worker, for as long as the `with` lasts:
    registered, renewed in the background every third of a lease, and gone at the end
    with its claims released. Killed, it is simply not renewed: its claims are free again
    one lease later."""

    def __init__(self) -> None:
        self.name = uuid.uuid4().hex
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew, daemon=True, name="matching lease")

    def __enter__(self) -> Worker:
        MatchingWorker.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
        MatchingWorker.objects.create(
            name=self.name, host=socket.gethostname()[:255], pid=os.getpid(),
            seen_at=timezone.now(),
        )  # fmt: skip
        self._renewer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._renewer.join()
        MatchingWork.objects.filter(claimed_by=self.name).update(claimed_by="", claimed_at=None)
        MatchingWorker.objects.filter(name=self.name).delete()

    def _renew(self) -> None:
        try:
            while not self._stop.wait(lease().total_seconds() / 3):
                try:
                    MatchingWorker.objects.filter(name=self.name).update(seen_at=timezone.now())
                except DatabaseError:
                    log.warning("Could not renew the matching lease; trying again.", exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def claim_work(worker: str, limit: int) -> list[MatchingWork]:
    """Claim up to `limit` queued rows for `worker`: a row updated by us is ours. Rows
    claimed by a worker that is no longer alive (not seen for a lease) are claimed again.
    Cases an import is still writing wait until it commits (they are hidden till then)."""
    pending = ChildCase.every.filter(import_batch__in=committing_imports()).values("pk")
    claimable = ~Q(claimed_by__in=live_workers().values("name")) & ~Q(
        kind=Kind.CASE, object_id__in=pending
    )
    open_ids = list(
        MatchingWork.objects.filter(claimable).order_by("id").values_list("id", flat=True)[:limit]
    )
    MatchingWork.objects.filter(claimable, id__in=open_ids).update(
        claimed_at=timezone.now(), claimed_by=worker
    )
    return list(MatchingWork.objects.filter(claimed_by=worker))


class Match(NamedTuple):
    """A proposal to store: the sought person, the case, and the relative of that case's
    family the sought person may be (None when a child is sought)."""

    sought_id: int
    case_id: int
    relative_id: int | None
    candidate: Candidate


def run_matching(
    limit: int = 1000, *, parallel: bool = False, worker: Worker | None = None
) -> tuple[int, int]:
    """Do one batch of queued work as `worker` (this call alone, if none is given); returns
    (records done, candidates now stored).

    A sought person whose record changed is matched against the whole registry. A child
    whose record changed may now be, or no longer be, someone's candidate, and changes the
    share of every other candidate of those requests: the requests that had it as a
    candidate, or now block with it, are matched again against the whole registry.

    The engine forks worker processes for long lists only when `parallel` (the `homeward
    match` command): forking inside a threaded web server could deadlock."""
    if worker is None:
        with Worker() as one_batch:
            return run_matching(limit, parallel=parallel, worker=one_batch)
    settings = replace(DEFAULT_SETTINGS, threshold=PROPOSAL_THRESHOLD)
    settings = settings if parallel else replace(settings, workers=1)
    work = claim_work(worker.name, limit)
    if not work:
        return 0, 0
    sought_ids = {w.object_id for w in work if w.kind == Kind.SOUGHT}
    case_ids = {w.object_id for w in work if w.kind == Kind.CASE}
    registry = Registry()
    affected = set(sought_ids)
    if case_ids:
        changed = [record for record in registry.children if pk_of(record.id) in case_ids]
        open_sought = _sought()
        affected |= _touching(changed, registry, case_ids, settings, open_sought)
        _store_duplicates(find_candidates(changed, registry.children, settings))
        sought = [s for s in open_sought if s.pk in affected]
    else:
        sought = _sought(affected)
    found = list(_matches(sought, registry, settings))
    # Only open requests are matched, so only theirs are replaced: a request closed while
    # its work waited keeps its candidates.
    stored = _store(found, {s.pk for s in sought})
    MatchingWork.objects.filter(claimed_by=worker.name).delete()
    return len(work), stored


def _touching(
    changed: list[PersonRecord], registry: Registry, case_ids: set[int], settings: Settings,
    sought: list[SoughtPerson],
) -> set[int]:  # fmt: skip
    """Of the open requests' sought people (`sought`), those that had a candidate in the
    changed cases, or that share a blocking key with a changed child or relative (so may
    now have one)."""
    proposed = MatchCandidate.objects.filter(
        case_id__in=case_ids, sought__request__status=RequestStatus.OPEN
    )
    touching = set(proposed.values_list("sought_id", flat=True))
    probe = replace(settings, threshold=0.0)
    children = [s for s in sought if s.kind == SoughtKind.CHILD]
    touching |= _lefts(children, changed, probe, registry.children)
    for kind, relationships in RELATIVES_SOUGHT.items():
        everyone = registry.relatives(relationships)
        relatives = [
            record
            for record in everyone
            if set(registry.relative_cases(pk_of(record.id), relationships)) & case_ids
        ]
        if relatives:
            of_kind = [s for s in sought if s.kind == kind]
            touching |= _lefts(of_kind, relatives, probe, everyone)
    return touching


def _lefts(
    sought: list[SoughtPerson], right: list[PersonRecord], settings: Settings,
    registry: list[PersonRecord],
) -> set[int]:  # fmt: skip
    if not sought or not right:
        return set()
    records = [sought_record(s) for s in sought]
    found = find_candidates(records, right, settings, registry=registry)
    return {pk_of(c.left_id) for c in found}


def _matches(sought: list[SoughtPerson], registry: Registry, settings: Settings) -> Iterable[Match]:
    """Each sought person's candidates against the whole registry, pairs a caseworker has
    decided left out: a child decided on is neither proposed again nor shares the
    probability; a relative said to be "not this one" is ruled out in every case, while
    one confirmed is still proposed in her other children's cases."""
    decided = _decided({s.pk for s in sought})
    children = [s for s in sought if s.kind == SoughtKind.CHILD]
    if children:
        excluded = {(record_id("sought", s), record_id("case", c)) for s, c in decided.pairs}
        records = [sought_record(s) for s in children]
        for c in find_candidates(records, registry.children, settings, excluded=excluded):
            yield Match(pk_of(c.left_id), pk_of(c.right_id), None, c)
    for kind, relationships in RELATIVES_SOUGHT.items():
        of_kind = [s for s in sought if s.kind == kind]
        relatives = registry.relatives(relationships)
        if not of_kind or not relatives:
            continue
        excluded = {
            (record_id("sought", s), record_id("person", p)) for s, p in decided.rejected_people
        }
        records = [sought_record(s) for s in of_kind]
        for c in find_candidates(records, relatives, settings, excluded=excluded):
            sought_id, person_id = pk_of(c.left_id), pk_of(c.right_id)
            for case in registry.relative_cases(person_id, relationships):
                if (sought_id, case) not in decided.pairs:
                    yield Match(sought_id, case, person_id, c)


class Decided(NamedTuple):
    """What caseworkers have decided for some sought people: (sought, case) pairs, a pair
    also standing for the case its case was merged into (one child); and (sought, person)
    for each relative rejected."""

    pairs: set[tuple[int, int]]
    rejected_people: set[tuple[int, int]]


def _decided(sought_ids: set[int]) -> Decided:
    rows = MatchDecision.objects.filter(sought_id__in=sought_ids).values_list(
        "sought_id", "case_id", "case__merged_into_id", "relative_id", "decision"
    )
    decided = Decided(set(), set())
    for sought, case, kept, relative, decision in rows:
        decided.pairs.add((sought, case))
        if kept is not None:
            decided.pairs.add((sought, kept))
        if relative is not None and decision == Decision.REJECTED:
            decided.rejected_people.add((sought, relative))
    return decided


@transaction.atomic
def _store(found: list[Match], sought_ids: set[int]) -> int:
    """Replace the stored candidates of the sought people just matched: each pair once, as
    first found (the better of two relatives in one case), none decided meanwhile."""
    MatchCandidate.objects.filter(sought_id__in=sought_ids).delete()
    decided = _decided(sought_ids).pairs
    now = timezone.now()
    rows: dict[tuple[int, int], MatchCandidate] = {}
    for m in found:
        pair = (m.sought_id, m.case_id)
        if pair in rows or pair in decided:
            continue
        rows[pair] = MatchCandidate(
            sought_id=m.sought_id,
            case_id=m.case_id,
            relative_id=m.relative_id,
            score=m.candidate.score,
            match_weight=m.candidate.match_weight,
            explanation=_explanation(m.candidate),
            explanation_text=m.candidate.explanation.text,
            computed_at=now,
        )
    MatchCandidate.objects.bulk_create(rows.values(), ignore_conflicts=True)
    return len(rows)


def _explanation(candidate: Candidate) -> list[dict[str, Any]]:
    return [
        {"field": f.field, "level": f.level, "weight": round(f.weight, 2), "outcome": f.outcome}
        for f in candidate.explanation.fields
    ]


def _same_child(candidate: Candidate) -> bool:
    """Brothers and sisters share parents: a duplicate must also agree on the child's own
    name, sex and age, not only on the family."""
    own = {f.field: f for f in candidate.explanation.fields if f.field in ("names", "sex", "age")}
    return (
        own.get("names") is not None
        and own["names"].outcome == "agreed"
        and all(f.outcome != "disagreed" for f in own.values())
    )


def _store_duplicates(found: Iterable[Candidate]) -> None:
    """Pairs of cases that may be one child; a pair already known (or dismissed) stays as it is."""
    now = timezone.now()
    pairs = {
        tuple(sorted((pk_of(c.left_id), pk_of(c.right_id)))): c
        for c in found
        if c.left_id != c.right_id and c.score >= DUPLICATE_THRESHOLD and _same_child(c)
    }
    DuplicateCandidate.objects.bulk_create(
        [
            DuplicateCandidate(
                first_id=first,
                second_id=second,
                score=c.score,
                explanation=_explanation(c),
                computed_at=now,
            )
            for (first, second), c in pairs.items()
        ],
        ignore_conflicts=True,
    )
