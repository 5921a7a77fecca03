"""The health endpoint's figures, for monitoring: does the database take writes, is there
room in the data folder, is a matching worker alive, and where did the audit chain last
anchor. Nothing personal."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import DatabaseError

from homeward.audit import services as audit_services
from homeward.operations.storage import (
    beat,
    check_folder,
    data_folder,
    minimum_free_bytes,
    storage_problem_here,
)
from homeward.tracing.matching import live_workers
from homeward.tracing.models import MatchingWork, MatchingWorker


def health() -> dict[str, Any]:
    database = _database()
    folder = check_folder(data_folder())
    storage = {
        "writable": folder.writable,
        "free_bytes": folder.free_bytes,
        "minimum_free_bytes": minimum_free_bytes(),
        "low": folder.low_on_space,
    }
    failing = not database["writable"] or not folder.writable or folder.low_on_space
    return {
        "status": "failing" if failing else "ok",
        "database": database,
        "storage": storage,
        "matching": _matching(),
        "audit": {"last_anchor": last_audit_anchor()},
    }


def _database() -> dict[str, Any]:
    try:
        beat("health")
    except DatabaseError as error:
        problem = storage_problem_here(error)
        return {"writable": False, "problem": problem.trouble if problem else "error"}
    return {"writable": True, "problem": None}


def _matching() -> dict[str, Any]:
    try:
        last = MatchingWorker.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen = last.first()
        return {
            "workers_alive": live_workers().count(),
            "last_seen": seen.isoformat() if seen else None,
            "queued": MatchingWork.objects.count(),
        }
    except DatabaseError:
        return {"workers_alive": None, "last_seen": None, "queued": None}


def last_audit_anchor() -> dict[str, Any] | None:
    """The audit chain's last anchor (count, head, when) if the audit trail keeps anchors
    (`audit.services.last_anchor`); None while it does not."""
    last_anchor = getattr(audit_services, "last_anchor", None)
    if last_anchor is None:
        return None
    anchor = last_anchor()
    if anchor is None:
        return None
    if dataclasses.is_dataclass(anchor) and not isinstance(anchor, type):
        return dataclasses.asdict(anchor)  # at, count, head, head_id
    return anchor if isinstance(anchor, dict) else {"anchor": str(anchor)}
