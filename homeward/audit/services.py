"""Writing the audit trail. Every view, command and job records through `record`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from homeward.audit.context import client_ip
from homeward.audit.models import AuditEntry


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    fields: Iterable[str] = (),
    actor_name: str = "",
    target_ref: tuple[str, str] | None = None,
) -> AuditEntry:
    """Append one entry. `fields` are the names of changed fields, never their values;
    `target_ref` (type, id) names a record that was asked for but not loaded."""
    user = actor if actor is not None and actor.is_authenticated else None
    ref_type, ref_id = target_ref or ("", "")
    profile = getattr(user, "staff_profile", None) if user is not None else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=actor_name or (user.get_username() if user is not None else ""),
        agency_name=profile.agency.name if profile else "",
        role=profile.role if profile else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else ref_type,
        object_id=str(target.pk) if target is not None else ref_id,
        changed_fields=sorted(set(fields)),
        ip=client_ip.get(),
    )
