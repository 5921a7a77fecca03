"""What changed, read from the audit trail: every change to a case, a tracing request or a
mission writes an entry there, whatever table it touched (names, family, placement...), in
one order (the entries' ids). So the changes feed needs no table of its own, and a
partner's cursor is an entry's id.

A read (viewed, listed, searched, exported, downloaded) or a refusal is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from homeward.audit.models import AuditEntry
from homeward.cases.access import cases_visible_to
from homeward.tracing.access import requests_visible_to

CASE_TYPE = "cases.childcase"
KINDS = {
    CASE_TYPE: ("case", "api:case"),
    "tracing.tracingrequest": ("tracing_request", "api:tracing-request"),
    "missions.mission": ("mission", "api:mission"),
}
READ_ENDINGS = (".viewed", ".listed", ".searched", "exported", ".downloaded", ".denied")
# At most this many entries of the trail are looked through per call: the answer comes
# quickly however many reads lie between two changes, and `more` says to ask again.
SCAN = 5_000


def change_entries() -> QuerySet[AuditEntry]:
    reads = Q()
    for ending in READ_ENDINGS:
        reads |= Q(action__endswith=ending)
    return AuditEntry.objects.filter(object_type__in=KINDS).exclude(reads)


@dataclass(frozen=True)
class Page:
    changes: list[dict[str, Any]]
    next_cursor: int
    more: bool


def changes_since(user: Any, since: int, limit: int) -> Page:
    """The changes after entry `since` to records `user` may open, oldest first."""
    last = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    window_end = max(since, min(last, since + SCAN))
    entries: list[dict[str, Any]] = [
        dict(entry)
        for entry in change_entries()
        .filter(id__gt=since, id__lte=window_end)
        .order_by("id")
        .values("id", "at", "action", "object_type", "object_id", "changed_fields")[: limit + 1]
    ]
    full = len(entries) > limit
    entries = entries[:limit]
    reached = entries[-1]["id"] if full else window_end
    shown = _visible(user, entries)
    return Page([_change(e) for e in entries if e["id"] in shown], reached, reached < last)


def _visible(user: Any, entries: list[dict[str, Any]]) -> set[int]:
    """Ids of the entries about records the user may open now."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry["object_id"].isdigit():
            wanted.setdefault(entry["object_type"], set()).add(int(entry["object_id"]))
    open_ids = {
        CASE_TYPE: set(
            cases_visible_to(user)
            .filter(pk__in=wanted.get(CASE_TYPE, ()))
            .values_list("pk", flat=True)
        ),
        "tracing.tracingrequest": set(
            requests_visible_to(user)
            .filter(pk__in=wanted.get("tracing.tracingrequest", ()))
            .values_list("pk", flat=True)
        ),
        # Every case role sees missions (the missions pages' rule).
        "missions.mission": wanted.get("missions.mission", set()),
    }
    return {
        e["id"]
        for e in entries
        if e["object_id"].isdigit() and int(e["object_id"]) in open_ids[e["object_type"]]
    }


def _change(entry: dict[str, Any]) -> dict[str, Any]:
    kind, url_name = KINDS[entry["object_type"]]
    pk = int(entry["object_id"])
    return {
        "cursor": str(entry["id"]),
        "at": entry["at"],
        "kind": kind,
        "id": pk,
        "url": reverse(url_name, kwargs={"pk": pk}),
        "action": entry["action"],
        "fields": entry["changed_fields"],
    }
