"""Writing an export's file, now or from the worker: claimed once, written, audited."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record, record_many
from homeward.cases.access import opens_case_records
from homeward.exports import writing
from homeward.exports.choice import (
    ExportChoice,
    ExportRefused,
    audited_choice,
    checked_choice_filters,
    chosen_columns,
)
from homeward.exports.columns import audited_targets, records_for
from homeward.exports.models import Export, ExportKind, ExportStatus


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


def put_back(export_id: int) -> bool:
    """An export whose writer died half-way, back in the queue: nothing of it was kept (the
    file and its status are saved in one transaction at the end). True if it was."""
    return (
        Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
            status=ExportStatus.QUEUED, rows_done=0
        )
        == 1
    )


def _write(export: Export) -> None:
    user = export.requested_by
    if not opens_case_records(user):
        raise ExportRefused(_("The requester may no longer open case records."))
    choice = ExportChoice(
        export.chosen_filters, export.columns, include_sensitive=export.include_sensitive
    )
    columns = chosen_columns(user, export.kind, choice)
    cleaned, _chosen = checked_choice_filters(export.kind, export.chosen_filters)
    records = list(records_for(user, export.kind, cleaned, export.counted_on).iterator(2000))
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
        record("export.written", actor=user, target=export, fields=audited_choice(export))


def _noun(kind: str) -> str:
    return "tracing" if kind == ExportKind.REQUESTS else "case"
