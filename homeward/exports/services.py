"""Exports: requested on a page, written at once when small and in the background when
large, audited, and downloaded only by whoever asked.

Background work is a django-tasks task on its database backend (`homeward db_worker`
runs it). The Export row carries the progress a page shows; `run_export` claims it with
one conditional UPDATE, so that a task delivered twice writes the file once.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from homeward.audit.services import record, record_many
from homeward.cases.access import opens_case_records
from homeward.cases.services import CaseError
from homeward.exports import writing
from homeward.exports.columns import audited_targets, columns_for, records_for
from homeward.exports.models import Export, ExportFormat, ExportKind, ExportStatus

# Up to this many records an export is written while the page waits.
INLINE_MAX_ROWS = 2000


class ExportRefused(CaseError):
    pass


def request_export(user: Any, kind: str, fmt: str, *, include_sensitive: bool = False) -> Export:
    """Record the request (audited) and write the file now, or queue it when large."""
    if not opens_case_records(user):
        raise ExportRefused("Only case staff export records.")
    if kind not in ExportKind.values:
        raise ExportRefused(f"Unknown kind of records {kind!r}.", field="kind")
    if fmt not in ExportFormat.values:
        raise ExportRefused(f"Unknown format {fmt!r}.", field="format")
    columns = [c.header for c in columns_for(user, kind, include_sensitive)]
    export = Export.objects.create(
        requested_by=user, kind=kind, format=fmt, include_sensitive=include_sensitive,
        columns=columns, rows_total=records_for(user, kind).count(),
    )  # fmt: skip
    record("export.requested", actor=user, target=export, fields=columns)
    if export.rows_total <= INLINE_MAX_ROWS:
        run_export(export.pk)
        export.refresh_from_db()
    else:
        from homeward.exports.tasks import write_export

        transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


def run_export(export_id: int) -> bool:
    """Write one export's file, if nobody else is writing it; False if already claimed."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if claimed != 1:
        return False
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    try:
        _write(export)
    except Exception as error:
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        raise
    return True


def _write(export: Export) -> None:
    user = export.requested_by
    if not opens_case_records(user):
        raise ExportRefused("The requester may no longer open case records.")
    columns = columns_for(user, export.kind, export.include_sensitive)
    records = list(records_for(user, export.kind).iterator(chunk_size=2000))
    Export.objects.filter(pk=export.pk).update(rows_total=len(records))

    def progress(done: int) -> None:
        Export.objects.filter(pk=export.pk).update(rows_done=done)

    rows = ([column.value(r) for column in columns] for r in records)
    content = writing.write(export.format, [c.header for c in columns], rows, progress)
    with transaction.atomic():
        export.file.save(f"export.{export.format}", ContentFile(content), save=False)
        export.status, export.finished_at = ExportStatus.DONE, timezone.now()
        export.rows_done = export.rows_total = len(records)
        export.columns = [c.header for c in columns]
        export.save()
        # Every record read, as a read on its own page is: one entry each, at once.
        record_many(f"{_noun(export.kind)}.exported", actor=user,
                    targets=audited_targets(export.kind, records))  # fmt: skip
        record("export.written", actor=user, target=export, fields=export.columns)


def _noun(kind: str) -> str:
    return "tracing" if kind == ExportKind.REQUESTS else "case"


def exports_of(user: Any) -> Any:
    return Export.objects.filter(requested_by=user)[:20]
