"""The Django side of matching: records in, the engine's candidates stored, decisions kept.

Work is queued whenever a sought person or a child's identity changes, and done by
`homeward match` (a background command), never during a page load.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from homeward.cases.models import ChildCase, DuplicateCandidate, Relationship
from homeward.cases.signals import case_identity_changed
from homeward.matching.engine import find_candidates
from homeward.matching.records import Candidate, PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS
from homeward.tracing.models import (
    MatchCandidate,
    MatchDecision,
    MatchingWork,
    RequestStatus,
    SoughtPerson,
)

Kind = MatchingWork.Kind
# Proposing a merge asks more certainty than proposing a child to a family.
DUPLICATE_THRESHOLD = 0.95


def enqueue(kind: str, ids: Iterable[int]) -> None:
    MatchingWork.objects.bulk_create([MatchingWork(kind=kind, object_id=pk) for pk in ids])


@receiver(case_identity_changed)
def _queue_changed_case(sender: Any, case: ChildCase, **kwargs: Any) -> None:
    enqueue(Kind.CASE, [case.pk])


# --- records for the engine -------------------------------------------------------------


def _names(person: Any) -> tuple[str, ...]:
    return tuple(name.full_name for name in person.names.all()) if person else ()


def case_record(case: ChildCase) -> PersonRecord:
    parents = {m.relationship: m.person for m in case.family.all() if m.is_parent}
    child = case.child
    return PersonRecord(
        id=str(case.pk),
        names=_names(child),
        sex=child.sex if child.sex in ("f", "m") else None,
        birth=child.birth,
        mother=_names(parents.get(Relationship.MOTHER)),
        father=_names(parents.get(Relationship.FATHER)),
    )


def sought_record(sought: SoughtPerson) -> PersonRecord:
    person = sought.person
    return PersonRecord(
        id=str(sought.pk),
        names=_names(person),
        sex=person.sex if person.sex in ("f", "m") else None,
        birth=person.birth,
        mother=tuple(n for n in sought.mother_names.split(" | ") if n),
        father=tuple(n for n in sought.father_names.split(" | ") if n),
        place=sought.last_known_place,
    )


def _cases(ids: Sequence[int] | None = None) -> list[PersonRecord]:
    cases = (
        ChildCase.objects.filter(merged_into=None)
        .select_related("child")
        .prefetch_related("child__names", "family__person__names")
    )
    if ids is not None:
        cases = cases.filter(pk__in=ids)
    return [case_record(case) for case in cases]


def _sought(ids: Sequence[int] | None = None) -> list[PersonRecord]:
    sought = SoughtPerson.objects.filter(request__status=RequestStatus.OPEN)
    sought = sought.select_related("person").prefetch_related("person__names")
    if ids is not None:
        sought = sought.filter(pk__in=ids)
    return [sought_record(s) for s in sought]


# --- the background work ----------------------------------------------------------------


def claim_work(limit: int) -> tuple[str, list[MatchingWork]]:
    """Claim up to `limit` queued rows for this worker: a row updated by us is ours."""
    worker = uuid.uuid4().hex
    open_ids = list(
        MatchingWork.objects.filter(claimed_at=None).values_list("id", flat=True)[:limit]
    )
    MatchingWork.objects.filter(id__in=open_ids, claimed_at=None).update(
        claimed_at=timezone.now(), claimed_by=worker
    )
    return worker, list(MatchingWork.objects.filter(claimed_by=worker))


def run_matching(limit: int = 1000, *, parallel: bool = False) -> tuple[int, int]:
    """Do one batch of queued work; returns (records done, candidates now stored).

    The engine forks worker processes for long lists only when `parallel` (the `homeward
    match` command): forking inside a threaded web server could deadlock."""
    settings = DEFAULT_SETTINGS if parallel else replace(DEFAULT_SETTINGS, workers=1)
    worker, work = claim_work(limit)
    if not work:
        return 0, 0
    sought_ids = sorted({w.object_id for w in work if w.kind == Kind.SOUGHT})
    case_ids = sorted({w.object_id for w in work if w.kind == Kind.CASE})
    found: list[Candidate] = []
    registry = _cases()
    if sought_ids:
        found += find_candidates(_sought(sought_ids), registry, settings)
    if case_ids:
        # Requests against the changed children only, their names' typos read against
        # the whole registry, as when a request is matched against every child.
        wanted = {str(pk) for pk in case_ids}
        changed = [record for record in registry if record.id in wanted]
        found += find_candidates(_sought(), changed, settings, registry=registry)
        _store_duplicates(find_candidates(changed, registry, settings))
    stored = _store(found, sought_ids, case_ids)
    MatchingWork.objects.filter(claimed_by=worker).delete()
    return len(work), stored


@transaction.atomic
def _store(found: list[Candidate], sought_ids: list[int], case_ids: list[int]) -> int:
    """Replace the stored candidates of the records just worked on; decided pairs are
    never proposed again."""
    MatchCandidate.objects.filter(sought_id__in=sought_ids).delete()
    MatchCandidate.objects.filter(case_id__in=case_ids).delete()
    decided = set(MatchDecision.objects.values_list("sought_id", "case_id"))
    now = timezone.now()
    rows = {
        (int(c.left_id), int(c.right_id)): MatchCandidate(
            sought_id=int(c.left_id),
            case_id=int(c.right_id),
            score=c.score,
            match_weight=c.match_weight,
            explanation=_explanation(c),
            explanation_text=c.explanation.text,
            computed_at=now,
        )
        for c in found
        if (int(c.left_id), int(c.right_id)) not in decided
    }
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
        tuple(sorted((int(c.left_id), int(c.right_id)))): c
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
