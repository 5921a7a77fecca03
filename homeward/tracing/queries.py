"""Reading tracing requests: finding them by a name or a reference, and what a
request's page shows of each person sought."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value

from homeward.cases.access import cases_open_to_agency, cases_visible_to
from homeward.cases.models import ChildCase
from homeward.lib.scripts import search_variants
from homeward.matching.latin import russian_readings, with_digraphs
from homeward.people.models import Person
from homeward.people.queries import find_people, folded, one_of, place_among
from homeward.tracing import history, review
from homeward.tracing.models import (
    MatchCandidate,
    MatchDecision,
    MatchingWork,
    SoughtPerson,
    TracingRequest,
)
from homeward.tracing.services import mark_traced_refusal

REFERENCE = re.compile(r"TR-?(\d{1,9})", re.IGNORECASE)


def search_requests(
    requests: QuerySet[TracingRequest], text: str
) -> QuerySet[TracingRequest, TracingRequest]:
    """The requests whose reference is `text`, or whose enquirer or sought people have a
    name that `text` finds as the matching engine reads names (`people.queries.
    find_people`), best first; then those whose sought people's parents have it, word by
    word in any standard. Each is annotated with `search_more` when more people have the
    name than are listed."""
    text = folded(text)
    if not text:
        return requests
    if written := REFERENCE.fullmatch(text):
        return requests.filter(reference=f"TR-{int(written[1]):06d}")
    people = Person.objects.filter(Q(sought_as__request__in=requests) | Q(enquiries__in=requests))
    found = find_people(text, people)
    by_parents = Exists(SoughtPerson.objects.filter(_parents_named(text), request=OuterRef("pk")))
    ranked = _ranked_requests(requests, found.ranked)
    return (
        requests.filter(Q(pk__in=one_of(ranked)) | by_parents)
        .annotate(search_rank=place_among("pk", ranked), search_more=Value(found.more))
        .order_by(F("search_rank").asc(nulls_last=True), "-filed_on", "-id")
    )


def _ranked_requests(requests: QuerySet[TracingRequest], people: list[int]) -> list[int]:
    """The requests of `people` (enquirers or sought), by their best-placed person."""
    place = {pk: index for index, pk in enumerate(people)}
    best: dict[int, int] = {}
    rows: list[tuple[Any, Any]] = [
        *requests.filter(enquirer_id__in=one_of(people)).values_list("pk", "enquirer_id"),
        *requests.filter(sought__person_id__in=one_of(people)).values_list(
            "pk", "sought__person_id"
        ),
    ]
    for request, person in rows:
        best[request] = min(best.get(request, len(people)), place[person])
    return sorted(best, key=lambda pk: (best[pk], pk))


def _parents_named(text: str) -> Q:
    """Sought people whose parents' names have `text` as written, or each word of a
    reading of it in any standard (`matching.latin.russian_readings`), in any order."""
    named = Q(mother_names__icontains=text) | Q(father_names__icontains=text)
    for variant in search_variants(with_digraphs(text)):
        for reading in (variant, *russian_readings(variant)):
            words = Q()
            for word in reading.split():
                words &= Q(parents_search_key__contains=word)
            named |= words
    return named


# Candidates shown at once for each person sought on a request's page.
CANDIDATES_SHOWN = 5


@dataclass(frozen=True)
class ShownCandidate:
    """A child (or a child's relative) proposed for a person sought, as the page shows it."""

    candidate: MatchCandidate
    likelihood: str  # the score in words
    may_mark_traced: bool  # confirming it may also mark the case family traced
    out_of_reach: bool  # the enquirer's agency cannot see the case


@dataclass(frozen=True)
class SoughtOnPage:
    """A person sought, the candidates the user may see, and the decisions taken on them."""

    sought: SoughtPerson
    shown: tuple[ShownCandidate, ...]
    decided: tuple[MatchDecision, ...]


@dataclass(frozen=True)
class RequestPage:
    sought: tuple[SoughtOnPage, ...]
    matching_pending: bool
    history: tuple[history.HistoryEntry, ...]


def request_page(tracing: TracingRequest, user: Any) -> RequestPage:
    """What a request's page shows `user`: only the children the user may see are shown;
    the others are not even counted (a count would tell the enquirer's agency that another
    agency holds the child). They reach whoever sees both: a supervisor with all-agency
    scope, who is told which ones the enquirer's agency cannot see and may refer them."""
    sought = list(tracing.sought.select_related("person").prefetch_related("person__names"))
    visible = cases_visible_to(user)
    enquirers_see = cases_open_to_agency(tracing.agency_id)
    return RequestPage(
        sought=tuple(_sought_on_page(person, visible, enquirers_see) for person in sought),
        matching_pending=matching_pending(tracing),
        history=tuple(history.request_history(tracing, visible)),
    )


def _sought_on_page(
    sought: SoughtPerson, visible: QuerySet[ChildCase], enquirers_see: QuerySet[ChildCase]
) -> SoughtOnPage:
    candidates = review.with_home(
        sought.candidates.select_related("case__child", "case__agency", "relative")
    ).prefetch_related("relative__names", "case__child__names")
    shown = tuple(
        ShownCandidate(
            candidate=candidate,
            likelihood=review.likelihood(candidate.score),
            may_mark_traced=not mark_traced_refusal(candidate.case),
            out_of_reach=not enquirers_see.filter(pk=candidate.case_id).exists(),
        )
        for candidate in candidates.filter(case__in=visible)[:CANDIDATES_SHOWN]
    )
    decided = (
        sought.decisions.filter(case__in=visible)
        .select_related("case__child", "decided_by", "relative")
        .prefetch_related("case__child__names", "relative__names")
    )
    return SoughtOnPage(sought=sought, shown=shown, decided=tuple(decided))


def matching_pending(tracing: TracingRequest) -> bool:
    """Whether the request's people are still waiting for the matching engine."""
    ids = tracing.sought.values_list("pk", flat=True)
    return MatchingWork.objects.filter(kind=MatchingWork.Kind.SOUGHT, object_id__in=ids).exists()
