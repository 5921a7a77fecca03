"""Exports: requested on a page, written at once when small and in the background when
large, audited, and downloaded only by whoever asked.

Background work is a django-tasks task on its database backend (`homeward db_worker`
runs it). The Export row carries the progress a page shows; `run_export` claims it with
one conditional UPDATE, so that a task delivered twice writes the file once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record
from homeward.cases.access import opens_case_records
from homeward.exports.choice import (
    ExportChoice,
    ExportRefused,
    audited_choice,
    checked_choice_filters,
    chosen_columns,
)
from homeward.exports.columns import records_for
from homeward.exports.models import SEARCH, Export, ExportFormat, ExportKind
from homeward.exports.running import run_export
from homeward.exports.tasks import write_export

# Re-exported: views and tests reach the refusal, the choice and the writer through here.
__all__ = ["ExportChoice", "ExportRefused", "chosen_columns", "request_export", "run_export"]

# Up to this many records an export is written while the page waits.
INLINE_MAX_ROWS = 2000


def request_export(
    user: Any,
    kind: str,
    fmt: str,
    *,
    include_sensitive: bool = False,
    choice: ExportChoice | None = None,
    today: date | None = None,
) -> Export:
    """Record the request (audited, with the fields, filters and preset chosen) and write
    the file now, or queue it when large."""
    choice = choice or ExportChoice(include_sensitive=include_sensitive)
    if not opens_case_records(user):
        raise ExportRefused(_("Only case staff export records."))
    if kind not in ExportKind.values:
        raise ExportRefused(_("Unknown kind of records %(kind)r.") % {"kind": kind}, field="kind")
    if fmt not in ExportFormat.values:
        raise ExportRefused(_("Unknown format %(fmt)r.") % {"fmt": fmt}, field="format")
    cleaned, filters = checked_choice_filters(kind, choice.filters)
    columns = [c.header for c in chosen_columns(user, kind, choice)]
    today = today or timezone.localdate()
    search = filters.pop(SEARCH, "")  # kept encrypted, apart from the other filters
    export = Export.objects.create(
        requested_by=user, kind=kind, format=fmt, include_sensitive=choice.include_sensitive,
        columns=columns, filters=filters, search=search, counted_on=today,
        preset=choice.preset, rows_total=records_for(user, kind, cleaned, today).count(),
    )  # fmt: skip
    record("export.requested", actor=user, target=export, fields=audited_choice(export))
    if export.rows_total <= INLINE_MAX_ROWS:
        run_export(export.pk)
        export.refresh_from_db()
    else:
        transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


def exports_of(user: Any) -> Any:
    return Export.objects.filter(requested_by=user)[:20]
