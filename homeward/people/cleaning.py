"""Names kept before `lib.scripts.clean_name` guarded every way in, cleaned as it cleans:
zero-width characters, the right-to-left override U+202E, ESC and BEL dropped, letters
composed (NFC), white space made one plain space. What `homeward clean_names` and the
migration `people.0004_clean_stored_names` do.

1. People's spellings (PersonName) are read a chunk of rows at a time, in id order, and
   cleaned in Python (neither SQLite nor PostgreSQL can say in SQL which are not NFC).
2. Each chunk's changed rows are written in one transaction: one UPDATE for all, their
   search keys with them; a spelling that becomes one the person already has from the
   same source is removed (the unique constraint allows one); the people's name keys are
   rebuilt and their cases and sought persons queued for matching again; one audit entry
   per row names the row and the field, never the name.
3. The parents' names of sought persons (variants in one field) the same way.
A spelling with nothing readable left is not touched; its id is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from homeward.audit.services import record_many
from homeward.lib.scripts import UnreadableNameError, cleaned_stored_name, join_keys, search_key
from homeward.people.models import PersonName
from homeward.people.name_keys import index_names

CHUNK = 1000


@dataclass
class Cleaned:
    names: int = 0  # spellings rewritten
    duplicates: int = 0  # spellings removed: the person had the clean one already
    parents: int = 0  # sought persons whose parents' names were rewritten
    left: list[int] = field(default_factory=list)  # PersonName ids with nothing readable


def clean_stored_names(*, by: Any = None, chunk: int = CHUNK) -> Cleaned:
    """Clean every stored name (see the module's docstring); what was done."""
    done = Cleaned()
    for rows in _chunks(PersonName.objects.values_list("pk", "person_id", "full_name", "source"),
                        chunk):  # fmt: skip
        _clean_names(rows, done, by)
    from homeward.tracing.models import SoughtPerson

    sought = SoughtPerson.objects.exclude(mother_names="", father_names="")
    for rows in _chunks(sought.values_list("pk", "mother_names", "father_names"), chunk):
        _clean_parents(rows, done, by)
    return done


def _chunks(rows: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows in id order, a chunk at a time (keyset pagination: no OFFSET)."""
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


def _cleaned(text: str) -> str | None:
    """The clean text if it differs and something readable is left; None otherwise."""
    try:
        clean = cleaned_stored_name(text)
    except UnreadableNameError:  # cannot happen: what it refuses was dropped
        return None
    return clean if clean and clean != text else None


def _clean_names(rows: list[tuple[Any, ...]], done: Cleaned, by: Any) -> None:
    changed = {}
    for pk, person_id, full_name, source in rows:
        clean = _cleaned(full_name)
        if clean is not None:
            changed[pk] = (person_id, clean, source)
        elif full_name and not cleaned_stored_name(full_name):
            done.left.append(pk)
    if not changed:
        return
    with transaction.atomic():
        rewritten, removed = _write_names(changed)
        people = {person_id for person_id, _clean, _source in changed.values()}
        index_names(people)
        _queue_matching(people)
        _audit("people.name_cleaned", "people.personname", rewritten, ["full_name"], by)
        _audit("people.duplicate_name_removed", "people.personname", removed, ["full_name"], by)
    done.names += len(rewritten)
    done.duplicates += len(removed)


def _write_names(changed: dict[int, tuple[int, str, str]]) -> tuple[list[int], list[int]]:
    """Rewrite the changed spellings; remove those the person already has clean."""
    people = {person_id for person_id, _clean, _source in changed.values()}
    kept = {
        (person_id, name, source): pk
        for pk, person_id, name, source in PersonName.objects.filter(person_id__in=people)
        .exclude(pk__in=changed)
        .values_list("pk", "person_id", "full_name", "source")
    }
    rewrite, remove = [], []
    for pk, (person_id, clean, source) in sorted(changed.items()):
        if (person_id, clean, source) in kept:
            remove.append((pk, kept[(person_id, clean, source)]))
        else:
            kept[(person_id, clean, source)] = pk
            rewrite.append(PersonName(pk=pk, full_name=clean, search_key=search_key(clean)))
    _remove_duplicates(remove)
    PersonName.objects.bulk_update(rewrite, ["full_name", "search_key"], batch_size=CHUNK)
    return [name.pk for name in rewrite], [pk for pk, _survivor in remove]


def _remove_duplicates(remove: list[tuple[int, int]]) -> None:
    """Delete each duplicate; the clean spelling it duplicates becomes preferred if it was."""
    if not remove:
        return
    preferred = set(
        PersonName.objects.filter(pk__in=[pk for pk, _ in remove], is_preferred=True).values_list(
            "pk", flat=True
        )
    )
    PersonName.objects.filter(pk__in=[pk for pk, _ in remove]).delete()
    survivors = [survivor for pk, survivor in remove if pk in preferred]
    PersonName.objects.filter(pk__in=survivors).update(is_preferred=True)


def _queue_matching(people: set[int]) -> None:
    from homeward.cases.models import ChildCase
    from homeward.tracing.matching import enqueue
    from homeward.tracing.models import MatchingWork, SoughtPerson

    cases = ChildCase.every.filter(child_id__in=people).values_list("pk", flat=True)
    enqueue(MatchingWork.Kind.CASE, cases)
    sought = SoughtPerson.objects.filter(person_id__in=people).values_list("pk", flat=True)
    enqueue(MatchingWork.Kind.SOUGHT, sought)


def _clean_parents(rows: list[tuple[Any, ...]], done: Cleaned, by: Any) -> None:
    from homeward.tracing.matching import enqueue
    from homeward.tracing.models import (
        MatchingWork,
        SoughtPerson,
        join_variants,
        split_variants,
    )

    changed = []
    for pk, mother, father in rows:
        clean = [
            join_variants(_cleaned(name) or name for name in split_variants(names))
            for names in (mother, father)
        ]
        if clean != [mother, father]:
            changed.append((pk, *clean))
    if not changed:
        return
    updated = [
        SoughtPerson(
            pk=pk, mother_names=mother, father_names=father,
            parents_search_key=join_keys(
                search_key(name) for name in (*split_variants(mother), *split_variants(father))
            ),
        )
        for pk, mother, father in changed
    ]  # fmt: skip
    ids = [pk for pk, _mother, _father in changed]
    with transaction.atomic():
        SoughtPerson.objects.bulk_update(
            updated, ["mother_names", "father_names", "parents_search_key"], batch_size=CHUNK
        )
        enqueue(MatchingWork.Kind.SOUGHT, ids)
        _audit(
            "people.name_cleaned", "tracing.soughtperson", ids, ["father_names", "mother_names"], by
        )
    done.parents += len(changed)


def _audit(action: str, kind: str, ids: list[int], fields: list[str], by: Any) -> None:
    if ids:
        record_many(action, actor=by, targets=[(kind, str(pk), fields) for pk in ids])
