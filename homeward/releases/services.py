"""Preparing, approving and rejecting public releases of figures.

A release is a table from `statistics.services.count_children`, checked by the disclosure
engine (`homeward.disclosure`) before a supervisor sees it, and kept as it was checked:
the query, the rules, every cell's outcome and a hash over all three. Approval re-runs the
engine's audit on the stored table, so what is approved is what was proved safe.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.audit.services import record
from homeward.cases.access import profile_of
from homeward.disclosure import (
    TOTAL,
    DisclosureError,
    DisclosureRules,
    Reason,
    Table,
    exposed_cells,
    protect,
)
from homeward.lib.agebands import AgeBand, parse_bands
from homeward.releases.access import can_approve_releases, can_prepare_releases
from homeward.releases.models import Release, ReleaseStatus
from homeward.statistics.services import SEPARATE, UNCERTAIN, StatsQuery, count_children

MAX_DIMENSIONS = 3
BLANK = "x"  # how a suppressed cell is printed in a published table


class ReleaseError(Exception):
    """A release refused by a rule; `field` names the input at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def prepare_release(title: str, query: StatsQuery, rules: DisclosureRules, *, by: Any) -> Release:
    """Count, protect and keep a table for a supervisor to approve."""
    if not can_prepare_releases(profile_of(by)):
        raise ReleaseError("Only analysts prepare public releases.")
    if not title.strip():
        raise ReleaseError("Give the release a title.", field="title")
    if not 1 <= len(query.by) <= MAX_DIMENSIONS:
        raise ReleaseError(
            f"A release is a table: group by 1 to {MAX_DIMENSIONS} dimensions.", field="by"
        )
    if not query.window and query.as_of is None:
        query = _pinned(query)
    result = count_children(query)
    try:
        protected = protect(table_of(result.query, result.rows), rules)
    except DisclosureError as error:
        raise ReleaseError(str(error)) from None
    content = {
        "parameters": parameters_of(query),
        "rules": protected.as_dict()["rules"],
        "table": protected.as_dict(),
    }
    with transaction.atomic():
        release = Release.objects.create(
            title=title.strip(),
            description=result.description,
            age_note=result.age_note,
            rules_note=rules.describe(),
            primary_cells=len(protected.keys_with(Reason.PRIMARY)),
            secondary_cells=len(protected.keys_with(Reason.SECONDARY)),
            content_hash=_hash(content),
            prepared_by=by,
            **content,
        )
        record("releases.prepared", actor=by, target=release)
    return release


def approve_release(release: Release, *, by: Any, note: str = "") -> Release:
    _check_decision(release, by)
    table = stored_table(release)
    suppressed = [tuple(c["key"]) for c in release.table["cells"] if c["shown"] is None]
    if _hash(_content(release)) != release.content_hash:
        raise ReleaseError("The stored table has changed since it was checked; prepare it again.")
    if exposed_cells(table, suppressed, rules_of(release)):
        raise ReleaseError("The table no longer passes the disclosure audit; prepare it again.")
    return _decide(release, ReleaseStatus.APPROVED, by=by, note=note)


def reject_release(release: Release, *, by: Any, reason: str) -> Release:
    _check_decision(release, by)
    if not reason.strip():
        raise ReleaseError("Say why the release is rejected.", field="reason")
    return _decide(release, ReleaseStatus.REJECTED, by=by, note=reason)


def _check_decision(release: Release, by: Any) -> None:
    if not can_approve_releases(profile_of(by)):
        raise ReleaseError("Only supervisors approve or reject public releases.")
    if release.status != ReleaseStatus.AWAITING_APPROVAL:
        raise ReleaseError(f"This release is already {release.get_status_display().lower()}.")
    if release.prepared_by_id == by.pk:
        raise ReleaseError("A release is approved by someone other than who prepared it.")


def _decide(release: Release, status: str, *, by: Any, note: str) -> Release:
    with transaction.atomic():
        release.status, release.decided_by = status, by
        release.decided_at, release.decision_note = timezone.now(), note.strip()
        release.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        action = "approved" if status == ReleaseStatus.APPROVED else "rejected"
        record(f"releases.{action}", actor=by, target=release, fields=["status"])
    return release


# --- the table, its parameters and its rules as stored ---------------------------------


def table_of(query: StatsQuery, rows: list[dict[str, Any]]) -> Table:
    """The engine's table: age bands in their order (empty ones included), others as counted."""
    categories: dict[str, list[str]] = {}
    if "age-band" in query.by:
        uncertain = [UNCERTAIN] if query.age_counting == SEPARATE else []
        categories["age-band"] = [b.label for b in query.bands] + uncertain
    return Table.from_rows(query.by, rows, categories=categories)


def stored_table(release: Release) -> Table:
    data = release.table
    counts = {
        tuple(c["key"]): c["value"] for c in data["cells"] if TOTAL not in c["key"] and c["value"]
    }
    return Table(tuple(data["dimensions"]), tuple(tuple(c) for c in data["categories"]), counts)


def rules_of(release: Release) -> DisclosureRules:
    return DisclosureRules(**release.rules)


def parameters_of(query: StatsQuery) -> dict[str, Any]:
    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "as_of": day(query.as_of),
        "repatriated_on": day(query.repatriated_on),
        "flow": query.flow,
        "flow_from": day(query.flow_from),
        "flow_to": day(query.flow_to),
        "host": query.host,
        "statuses": list(query.statuses),
        "by": list(query.by),
        "bands": ",".join(_band_spec(b) for b in query.bands),
        "age_counting": query.age_counting,
    }


def query_of(parameters: dict[str, Any]) -> StatsQuery:
    """The statistics query a release was made from: count it again to reproduce it."""

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return StatsQuery(
        as_of=day(parameters["as_of"]),
        repatriated_on=day(parameters["repatriated_on"]),
        flow=parameters["flow"],
        flow_from=day(parameters["flow_from"]),
        flow_to=day(parameters["flow_to"]),
        host=parameters["host"],
        statuses=tuple(parameters["statuses"]),
        by=tuple(parameters["by"]),
        bands=tuple(parse_bands(parameters["bands"])),
        age_counting=parameters["age_counting"],
    )


def _pinned(query: StatsQuery) -> StatsQuery:
    """ "Today" written down, so the release can be counted again later."""
    return query_of(parameters_of(query) | {"as_of": query.day.isoformat()})


def _band_spec(band: AgeBand) -> str:
    if band.label.startswith("below ") and band.oldest is not None:
        return f"below-{band.oldest + 1}"
    return band.label


def _content(release: Release) -> dict[str, Any]:
    return {"parameters": release.parameters, "rules": release.rules, "table": release.table}


def _hash(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
