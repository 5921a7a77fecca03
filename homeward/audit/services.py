"""Writing the audit trail. Every view, command and job records through `record`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from homeward.audit.chain import GENESIS, HASHED_FIELDS, _plain, digest, entry_hash
from homeward.audit.context import actor_name_of, client_ip
from homeward.audit.keys import chain_key
from homeward.audit.models import AuditEntry

if TYPE_CHECKING:
    from homeward.audit.verification import Anchor

# Any constant: the key of the PostgreSQL advisory lock that puts audit writes in one line.
CHAIN_LOCK_KEY = 7_041_977


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    fields: Iterable[str] = (),
    actor_name: str = "",
    target_ref: tuple[str, str] | None = None,
) -> AuditEntry:
    """Append one entry to the hash chain. `fields` are the names of changed fields, never
    their values; `target_ref` (type, id) names a record that was asked for but not loaded."""
    user = actor if actor is not None and actor.is_authenticated else None
    profile = getattr(user, "staff_profile", None) if user is not None else None
    ref_type, ref_id = target_ref or ("", "")
    entry = AuditEntry(
        at=timezone.now(),
        actor=user,
        actor_name=actor_name or actor_name_of(user),
        agency_name=profile.agency.name if profile else "",
        role=profile.role if profile else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else ref_type,
        object_id=str(target.pk) if target is not None else ref_id,
        changed_fields=sorted(set(fields)),
        # Normalised as the database will keep it, so the hash matches what is read back.
        ip=AuditEntry._meta.get_field("ip").to_python(client_ip.get()),
    )
    with transaction.atomic():
        _lock_chain()
        key = chain_key().secret
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.prev_hash = last or GENESIS
        entry.entry_hash = entry_hash(entry.prev_hash, _content(entry), key)
        entry.save()
    return entry


def record_many(
    action: str,
    *,
    actor: Any,
    targets: Sequence[tuple[str, str, Iterable[str]]],
) -> int:
    """Append one entry per target (object type, object id, changed field names): what
    `record` would write for each, chained in the same order, in one executemany (COPY on
    PostgreSQL). For bulk work (an import, an export) where one `record` per row would be
    the slow part: no model instance is made per entry, and the parts of the hashed text
    that every entry shares are written once."""
    user = actor if actor is not None and actor.is_authenticated else None
    profile = getattr(user, "staff_profile", None) if user is not None else None
    common: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": user.pk if user is not None else None,
        "actor_name": actor_name_of(user),
        "agency_name": profile.agency.name if profile else "",
        "role": profile.role if profile else "",
        "action": action,
        "ip": _concrete("ip").to_python(client_ip.get()),
    }
    fields = [_concrete(name) for name in (*COLUMNS, "prev_hash", "entry_hash")]
    stored = [common[name] for name in _SHARED]
    stored[0] = _concrete("at").get_db_prep_save(common["at"], connection)
    stored[6] = _concrete("ip").get_db_prep_save(common["ip"], connection)
    changed_field = _concrete("changed_fields")
    prepared: dict[tuple[str, ...], Any] = {}  # changed fields as the database takes them
    canonical = _CanonicalText(common)
    with transaction.atomic():
        _lock_chain()
        key = chain_key().secret
        prev = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev = prev or GENESIS
        rows: list[tuple[Any, ...]] = []
        for object_type, object_id, changed in targets:
            names = tuple(sorted(set(changed)))
            if names not in prepared:
                prepared[names] = changed_field.get_db_prep_save(list(names), connection)
            this = digest(canonical.text(prev, object_type, object_id, names), key)
            if not rows:  # the shortcut must give what the chain's own hash gives
                content = {**common, "object_type": object_type, "object_id": object_id,
                           "changed_fields": list(names)}  # fmt: skip
                assert this == entry_hash(prev, content, key), "record_many's hash differs"
            rows.append(
                (*stored[:6], object_type, object_id, prepared[names], stored[6], prev, this)
            )
            prev = this
        insert_rows(AuditEntry._meta.db_table, [str(f.column) for f in fields], rows)
    return len(rows)


# The hashed columns every entry of a record_many shares, in COLUMNS order around the
# three that differ (object_type, object_id, changed_fields).
_SHARED = ("at", "actor_id", "actor_name", "agency_name", "role", "action", "ip")


class _CanonicalText:
    """chain.entry_hash's text, with the JSON of the shared values made once."""

    def __init__(self, common: dict[str, Any]) -> None:
        def dumps(values: list[Any]) -> str:
            return json.dumps(values, ensure_ascii=False, separators=(",", ":"))[1:-1]

        self._dumps = dumps
        self._head = dumps([_plain(common[name]) for name in _SHARED[:6]])
        self._tail = dumps([_plain(common["ip"])])

    def text(self, prev: str, object_type: str, object_id: str, names: tuple[str, ...]) -> bytes:
        middle = self._dumps([object_type, object_id, list(names)])
        return f'["{prev}",{self._head},{middle},{self._tail}]'.encode()


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Write prepared rows into `table` in one go: COPY on PostgreSQL (one stream instead of
    a statement a row), one executemany on SQLite. Shared with the import's bulk writer."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # nosec B608: quoted table and column names only


def _concrete(name: str) -> models.Field[Any, Any]:
    field = AuditEntry._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


# The columns record_many writes besides the two hashes: the hashed ones, in their order.
COLUMNS = HASHED_FIELDS


def _lock_chain() -> None:
    """One writer at a time, so that two entries never claim the same predecessor. SQLite
    already has one writer per database (transactions begin IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def last_anchor() -> Anchor | None:
    """When the trail was last proved intact and anchored (count and head hash), for a
    health page or a monitor; None if never."""
    from homeward.audit.verification import last_anchor as read_last_anchor

    return read_last_anchor()
