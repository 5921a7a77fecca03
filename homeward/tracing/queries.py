"""Finding tracing requests by a name or a reference."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value

from homeward.lib.scripts import search_variants
from homeward.matching.latin import russian_readings, with_digraphs
from homeward.people.models import Person
from homeward.people.queries import find_people, folded, one_of, place_among
from homeward.tracing.models import SoughtPerson, TracingRequest

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
