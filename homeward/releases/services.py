"""Preparing, approving and rejecting public releases of figures.

A release is a table from `statistics.services.count_children`, checked by the disclosure
engine (`homeward.disclosure`) before a supervisor sees it (in the background when the
table is large: `ReleasePreparation` carries the request and its progress), and kept as
it was checked: the query, the rules, every cell's outcome and a hash over all three.
Approval re-runs the engine's audit on the stored table, so what is approved is what was
proved safe.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record
from homeward.cases.access import profile_of
from homeward.disclosure import (
    TOTAL,
    DisclosureError,
    DisclosureRules,
    Progress,
    ProtectedTable,
    Reason,
    Table,
    exposed_cells,
    protect,
)
from homeward.lib.agebands import AgeBand, parse_bands
from homeward.refusals import Refusal
from homeward.releases.access import can_approve_releases, can_prepare_releases
from homeward.releases.models import (
    PreparationStatus,
    Release,
    ReleasePreparation,
    ReleaseStatus,
)
from homeward.statistics.services import SEPARATE, UNCERTAIN, StatsQuery, count_children

MAX_DIMENSIONS = 3
# Up to this many cells (totals included) a table is protected while the page waits: a
# region by age-band table of 20 regions and 6 bands has 147. Measured on one core:
# 66 cells 0.3 s, 441 cells 9 s, 861 cells 33 s, 1,806 cells 126 s.
INLINE_MAX_CELLS = 150
BLANK = "x"  # how a suppressed cell is printed in a published table


class ReleaseError(Refusal):
    """A release refused by a rule; `field` names the input at fault, when there is one."""


def prepare_release(title: str, query: StatsQuery, rules: DisclosureRules, *, by: Any) -> Release:
    """Count, protect and keep a table for a supervisor to approve, now, whatever its size."""
    preparation = request_release(title, query, rules, by=by, at_once=True)
    if preparation.release is None:
        raise ReleaseError(preparation.error or "The release could not be prepared.")
    return preparation.release


def request_release(
    title: str,
    query: StatsQuery,
    rules: DisclosureRules,
    *,
    by: Any,
    at_once: bool = False,
) -> ReleasePreparation:
    """Count the table and keep the request (audited); protect it now when it has at most
    INLINE_MAX_CELLS cells (or `at_once`), otherwise queue it for `homeward db_worker`:
    secondary suppression of a large table takes minutes, not a web request's seconds."""
    _check_request(title, query, by)
    if not query.window and query.as_of is None:
        query = _pinned(query)
    result = count_children(query)
    table = table_of(result.query, result.rows)
    preparation = ReleasePreparation.objects.create(
        title=title.strip(), parameters=parameters_of(query), rules=_rules_dict(rules),
        counts=_counts_of(table), description=result.description, age_note=result.age_note,
        cells=len(table.cells()), requested_by=by,
    )  # fmt: skip
    record("releases.requested", actor=by, target=preparation)
    if at_once or preparation.cells <= INLINE_MAX_CELLS:
        run_preparation(preparation.pk)
        preparation.refresh_from_db()
    else:
        from homeward.releases.tasks import protect_release_table

        transaction.on_commit(lambda: protect_release_table.enqueue(preparation.pk))
    return preparation


def _check_request(title: str, query: StatsQuery, by: Any) -> None:
    if not can_prepare_releases(profile_of(by)):
        raise ReleaseError(_("Only analysts prepare public releases."))
    if not title.strip():
        raise ReleaseError(_("Give the release a title."), field="title")
    if not 1 <= len(query.by) <= MAX_DIMENSIONS:
        raise ReleaseError(
            _("A release is a table: group by 1 to %(max_dimensions)s dimensions.")
            % {"max_dimensions": MAX_DIMENSIONS},
            field="by",
        )


def run_preparation(preparation_id: int) -> bool:
    """Protect one requested table and keep the release, if nobody else is doing it; False
    if already claimed. A table the engine cannot protect fails with the engine's words."""
    claimed = ReleasePreparation.objects.filter(
        pk=preparation_id, status=PreparationStatus.QUEUED
    ).update(status=PreparationStatus.RUNNING)
    if claimed != 1:
        return False
    preparation = ReleasePreparation.objects.select_related("requested_by").get(pk=preparation_id)
    try:
        protected = protect(_table(preparation), rules_of(preparation), _reporter(preparation_id))
    except DisclosureError as error:
        _fail(preparation_id, str(error))
        return True
    except Exception as error:
        _fail(preparation_id, str(error))
        raise
    _keep(preparation, protected)
    return True


def _reporter(preparation_id: int, every_seconds: float = 1.0) -> Progress:
    """Writes the engine's progress to the row, at most once a second (and the first)."""
    last = [-every_seconds]

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every_seconds or done == total:
            last[0] = now
            ReleasePreparation.objects.filter(pk=preparation_id).update(
                stage=stage, done=done, total=total
            )

    return report


def _fail(preparation_id: int, message: str) -> None:
    ReleasePreparation.objects.filter(pk=preparation_id).update(
        status=PreparationStatus.FAILED, error=message[:1000], finished_at=timezone.now()
    )


def put_back(preparation_id: int) -> bool:
    """A preparation whose worker died half-way, back in the queue: nothing of it was kept
    (the release is written in one transaction at the end). True if it was."""
    waiting = ReleasePreparation.objects.filter(
        pk=preparation_id, status=PreparationStatus.RUNNING
    ).update(status=PreparationStatus.QUEUED)
    return waiting == 1


def _keep(preparation: ReleasePreparation, protected: ProtectedTable) -> Release:
    content = {
        "parameters": preparation.parameters,
        "rules": protected.as_dict()["rules"],
        "table": protected.as_dict(),
    }
    by = preparation.requested_by
    with transaction.atomic():
        release = Release.objects.create(
            title=preparation.title,
            description=preparation.description,
            age_note=preparation.age_note,
            rules_note=protected.rules.describe(),
            primary_cells=len(protected.keys_with(Reason.PRIMARY)),
            secondary_cells=len(protected.keys_with(Reason.SECONDARY)),
            content_hash=_hash(content),
            prepared_by=by,
            **content,
        )
        preparation.release, preparation.status = release, PreparationStatus.DONE
        preparation.finished_at = timezone.now()
        preparation.save(update_fields=["release", "status", "finished_at"])
        record("releases.prepared", actor=by, target=release)
    return release


def preparations_of(user: Any) -> list[ReleasePreparation]:
    """The user's requests not yet a release (waiting, being checked, or failed)."""
    return list(ReleasePreparation.objects.filter(requested_by=user, release=None)[:10])


@transaction.atomic
def approve_release(release: Release, *, by: Any, note: str = "") -> Release:
    release = _locked(release)
    _check_decision(release, by)
    table = stored_table(release)
    suppressed = [tuple(c["key"]) for c in release.table["cells"] if c["shown"] is None]
    if _hash(_content(release)) != release.content_hash:
        raise ReleaseError(
            _("The stored table has changed since it was checked; prepare it again.")
        )
    if exposed_cells(table, suppressed, rules_of(release)):
        raise ReleaseError(_("The table no longer passes the disclosure audit; prepare it again."))
    return _decide(release, ReleaseStatus.APPROVED, by=by, note=note)


@transaction.atomic
def reject_release(release: Release, *, by: Any, reason: str) -> Release:
    release = _locked(release)
    _check_decision(release, by)
    if not reason.strip():
        raise ReleaseError(_("Say why the release is rejected."), field="reason")
    return _decide(release, ReleaseStatus.REJECTED, by=by, note=reason)


def _locked(release: Release) -> Release:
    """The release as stored now, locked until the decision is saved: an approval and a
    rejection at the same moment are one after the other, and the second finds the
    release decided (the caller's copy may have been read before either)."""
    return Release.objects.select_for_update().get(pk=release.pk)


def _check_decision(release: Release, by: Any) -> None:
    if not can_approve_releases(profile_of(by)):
        raise ReleaseError(_("Only supervisors approve or reject public releases."))
    if release.status != ReleaseStatus.AWAITING_APPROVAL:
        raise ReleaseError(
            _("This release is already %(lower)s.")
            % {"lower": release.get_status_display().lower()}
        )
    if release.prepared_by_id == by.pk:
        raise ReleaseError(_("A release is approved by someone other than who prepared it."))


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


def _counts_of(table: Table) -> dict[str, Any]:
    return {
        "dimensions": list(table.dimensions),
        "categories": [list(c) for c in table.categories],
        "cells": [[*key, count] for key, count in table.counts.items()],
    }


def _table(preparation: ReleasePreparation) -> Table:
    data = preparation.counts
    counts = {tuple(cell[:-1]): int(cell[-1]) for cell in data["cells"]}
    return Table(tuple(data["dimensions"]), tuple(tuple(c) for c in data["categories"]), counts)


def _rules_dict(rules: DisclosureRules) -> dict[str, Any]:
    return {
        "threshold": rules.threshold,
        "zeros_are_sensitive": rules.zeros_are_sensitive,
        "rounding_base": rules.rounding_base,
    }


def stored_table(release: Release) -> Table:
    data = release.table
    counts = {
        tuple(c["key"]): c["value"] for c in data["cells"] if TOTAL not in c["key"] and c["value"]
    }
    return Table(tuple(data["dimensions"]), tuple(tuple(c) for c in data["categories"]), counts)


def rules_of(release: Release | ReleasePreparation) -> DisclosureRules:
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
