"""Finding people by name as the matching engine reads names: any script, any standard,
any order, a middle name left out, a typo; best first."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Page
from django.db import connection
from django.db.models import CharField, Model, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, NullIf, StrIndex

from homeward.matching.name_keys import (
    READING,
    WORD,
    NameQuery,
    read_query,
    stored_readings,
)
from homeward.people.models import NameKey

# The most people a name finds, ranked by the engine's comparison: a name more people have
# (a family name alone, in a large registry) finds the first this many, and says so.
RANK_LIMIT = 1000
# At most this many more people are ranked whose name is the search's with a typo.
NEAR_LIMIT = 1000
# Readings are the keys from "r:" up to this (":" and ";" are neighbours in ASCII).
READING_END = "r;"

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class PeopleFound:
    """The people a searched name finds, their ids best first; `more` when more people
    have the name as written than `RANK_LIMIT` (the most that are ranked)."""

    ranked: list[int]
    more: bool = False


def find_people(text: str, records: QuerySet[M, M], person: str = "") -> PeopleFound:
    """The people of `records` (at the lookup path `person`: "child" of a case; "" when
    `records` are people) that the name `text` finds.

    1. Read `text` as the engine reads names (`matching.name_keys.read_query`) and look up
       its keys: each pair of its words, or its one word.
    2. Look up the keys with a word a letter away as well, for the words that may be
       typos, as the engine reads typos (`NameQuery.typos`).
    3. Rank the people found by the engine's comparison of their stored readings with the
       search's, and keep those it calls the same name.

    At most `RANK_LIMIT` people are ranked, so that a search costs about the same however
    common the name (the first found, when more have it).

    The keys are joined to `records`, not `records` listed for the keys: the database
    reads the few people of a key from its index, not every record in scope.
    """
    query = read_query(text)
    if query is None:
        return PeopleFound([])
    path = f"{person}__" if person else ""
    exact = _people_with(query.keys(), records, path, RANK_LIMIT + 1)
    if len(exact) > RANK_LIMIT:
        return PeopleFound(_ranked(query, exact[:RANK_LIMIT]), more=True)
    typos = query.typos(lambda word: _known(word, records, path), found=bool(exact))
    near = _people_with(query.near_keys(typos), records, path, NEAR_LIMIT, exact)
    return PeopleFound(_ranked(query.with_typos(typos), [*exact, *near]))


def _people_with(
    keys: Sequence[str], records: QuerySet[M, M], path: str, limit: int, skip: Sequence[int] = ()
) -> list[int]:
    """The people of `records` with one of `keys`, at most `limit`, not those of `skip`."""
    if not keys:
        return []
    keyed = records.filter(**{f"{path}name_keys__key__in": keys})
    if skip:
        keyed = keyed.exclude(**{f"{path}pk__in": one_of(skip)})
    return list(keyed.values_list(f"{path}pk", flat=True).order_by().distinct()[:limit])


def _known(word: str, records: QuerySet[M, M], path: str) -> bool:
    """Whether a name among `records` has a word of this skeleton: among those the user
    may see, so that what is looked up says nothing of the others."""
    return records.filter(**{f"{path}name_keys__key": WORD + word}).exists()


def _ranked(query: NameQuery, people: list[int]) -> list[int]:
    """`people` the engine calls the same name as the search, best first. People with
    the same readings (one name spelled alike) are compared once."""
    readings: dict[int, list[str]] = defaultdict(list)
    stored = NameKey.objects.filter(
        person_id__in=one_of(people), key__gte=READING, key__lt=READING_END
    )
    for person_id, key in stored.values_list("person_id", "key"):
        readings[person_id].append(key)
    by_readings: dict[tuple[str, ...], int | None] = {}
    ranks: dict[int, int] = {}
    for pk in people:
        own = tuple(sorted(readings[pk]))
        if own not in by_readings:
            by_readings[own] = query.rank(stored_readings(own))
        if (rank := by_readings[own]) is not None:
            ranks[pk] = rank
    return sorted(ranks, key=lambda pk: (ranks[pk], pk))


def in_order_of(records: QuerySet[M, M], field: str, found: PeopleFound) -> QuerySet[M, M]:
    """`records` whose `field` is one of the people `found`, best first: annotated with
    `search_rank` (`place_among`) and `search_more`, whether more people have the name
    than were ranked."""
    ranked = records.filter(**{f"{field}__in": one_of(found.ranked)})
    return ranked.annotate(
        search_rank=place_among(field, found.ranked), search_more=Value(found.more)
    ).order_by("search_rank")


def place_among(field: str, ids: Sequence[int]) -> NullIf:
    """Where `field` stands among `ids` (null when it is none of them): the place of
    ",id," in one string of them all, one expression to compile and run where a CASE
    would have a branch per id."""
    places = Value("," + ",".join(map(str, ids)) + ",")
    own = Concat(Value(","), Cast(field, CharField()), Value(","))
    return NullIf(StrIndex(places, own), Value(0))


def one_of(ids: Sequence[int]) -> RawSQL:
    """`ids` as a subquery for `__in` that takes them as one parameter (a PostgreSQL
    array, a JSON list for SQLite): as a list, each of a thousand ids found is a parameter
    that Django and the driver prepare one by one, which cost more than the query."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def more_found(page: Page[Any]) -> bool:
    """Whether the records a search listed (a page of them) say that more people have the
    name than were ranked (`PeopleFound.more`)."""
    listed = list(page.object_list)
    return bool(listed) and bool(getattr(listed[0], "search_more", False))


def folded(text: str) -> str:
    return " ".join(text.split())
