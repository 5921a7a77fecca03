"""Writing the audit trail. Every view, command and job records through `record`."""

from __future__ import annotations

from collections.abc import Iterable
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


def _lock_chain() -> None:
    """One writer at a time, so that two entries never claim the same predecessor. SQLite
    already has one writer per database (transactions begin IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}
