"""Keeping the engine's name keys of each person (`people.models.NameKey`) right.

Every path that writes or removes a person's names ends by calling `index_names` with
those people: `PersonName.save` and `.delete`, `cases.services` (registration, relatives,
name changes, which tracing's enquirers and sought people go through too), merges and their
undo (`cases.merging`). The one path that writes names without the ORM, an import's new
children (`imports.committing.create_children`), inserts `key_rows` of the same names.
`homeward index_names` rebuilds every person's keys (after a change of the engine's
reading of names).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from homeward.matching.name_keys import name_keys
from homeward.people.models import NameKey, Person, PersonName

REBUILD_CHUNK = 2000


def index_names(person_ids: Iterable[int]) -> None:
    """Store the keys of these people's current names, in place of the keys stored."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    names: dict[int, list[str]] = defaultdict(list)
    spellings = PersonName.objects.filter(person_id__in=ids).order_by("id")
    for person_id, full_name in spellings.values_list("person_id", "full_name"):
        names[person_id].append(full_name)
    with transaction.atomic():
        NameKey.objects.filter(person_id__in=ids).delete()
        rows = [NameKey(**row) for pk in ids for row in key_rows(pk, names[pk])]
        NameKey.objects.bulk_create(rows)


def key_rows(person_id: int, full_names: Sequence[str]) -> list[dict[str, Any]]:
    """The NameKey rows of a person known by `full_names`, as attribute -> value."""
    return [{"person_id": person_id, "key": key} for key in name_keys(full_names)]


def rebuild_all(chunk: int = REBUILD_CHUNK) -> int:
    """Every person's keys anew, a chunk of people per transaction; the number of people."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        index_names(ids[start : start + chunk])
    return len(ids)
