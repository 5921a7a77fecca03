"""Writing the audit trail. Every view, command and job records through `record`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from homeward.audit.chain import GENESIS, HASHED_FIELDS, entry_hash
from homeward.audit.context import client_ip
from homeward.audit.models import AuditEntry

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
        actor_name=actor_name or (user.get_username() if user is not None else ""),
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
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.prev_hash = last or GENESIS
        entry.entry_hash = entry_hash(entry.prev_hash, _content(entry))
        entry.save()
    return entry


def record_many(
    action: str,
    *,
    actor: Any,
    targets: Sequence[tuple[str, str, Iterable[str]]],
) -> int:
    """Append one entry per target (object type, object id, changed field names): what
    `record` would write for each, chained in the same order, in one executemany. For
    bulk work (an import, an export) where one `record` per row would be the slow part:
    no model instance is made per entry."""
    user = actor if actor is not None and actor.is_authenticated else None
    profile = getattr(user, "staff_profile", None) if user is not None else None
    meta = AuditEntry._meta
    common: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": user.pk if user is not None else None,
        "actor_name": user.get_username() if user is not None else "",
        "agency_name": profile.agency.name if profile else "",
        "role": profile.role if profile else "",
        "action": action,
        "ip": meta.get_field("ip").to_python(client_ip.get()),
    }
    fields = [_concrete(name) for name in (*COLUMNS, "prev_hash", "entry_hash")]
    at = _concrete("at").get_db_prep_save(common["at"], connection)
    changed_field = _concrete("changed_fields")
    ip = _concrete("ip").get_db_prep_save(common["ip"], connection)
    with transaction.atomic():
        _lock_chain()
        prev = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        prev = prev or GENESIS
        rows = []
        for object_type, object_id, changed in targets:
            content = {
                **common, "object_type": object_type, "object_id": object_id,
                "changed_fields": sorted(set(changed)),
            }  # fmt: skip
            this = entry_hash(prev, content)
            values = [content[name] for name in COLUMNS]
            values[0] = at
            values[COLUMNS.index("changed_fields")] = changed_field.get_db_prep_save(
                content["changed_fields"], connection
            )
            values[COLUMNS.index("ip")] = ip
            rows.append((*values, prev, this))
            prev = this
        table = connection.ops.quote_name(meta.db_table)
        names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # nosec B608: quoted table and column names only
    return len(rows)


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
