"""Exports: requested on a page, written at once when small and in the background when
large, audited, and downloaded only by whoever asked.

Background work is a django-tasks task on its database backend (`homeward db_worker`
runs it). The Export row carries the progress a page shows; `run_export` claims it with
one conditional UPDATE, so that a task delivered twice writes the file once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record, record_many
from homeward.cases.access import opens_case_records
from homeward.cases.forms import checked_filters
from homeward.cases.services import CaseError
from homeward.exports import writing
from homeward.exports.columns import (
    COLUMNS,
    PRESETS,
    Column,
    audited_targets,
    columns_for,
    label_of,
    records_for,
)
from homeward.exports.models import Export, ExportFormat, ExportKind, ExportStatus
from homeward.protection.sensitivity import Restricted

# Up to this many records an export is written while the page waits.
INLINE_MAX_ROWS = 2000


class ExportRefused(CaseError):
    pass


@dataclass(frozen=True)
class ExportChoice:
    """What to export beyond the kind and format: the case list's filters (as its query
    string gives them), the fields (headers; none: every field the user may have) or a
    preset of fields, and whether sensitive fields are asked for."""

    filters: Mapping[str, str] = field(default_factory=dict)
    columns: Sequence[str] = ()
    preset: str = ""
    include_sensitive: bool = False


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
    cleaned, filters = _checked_filters(kind, choice.filters)
    columns = [c.header for c in chosen_columns(user, kind, choice)]
    today = today or timezone.localdate()
    export = Export.objects.create(
        requested_by=user, kind=kind, format=fmt, include_sensitive=choice.include_sensitive,
        columns=columns, filters=filters, counted_on=today, preset=choice.preset,
        rows_total=records_for(user, kind, cleaned, today).count(),
    )  # fmt: skip
    record("export.requested", actor=user, target=export, fields=audited_choice(export))
    if export.rows_total <= INLINE_MAX_ROWS:
        run_export(export.pk)
        export.refresh_from_db()
    else:
        from homeward.exports.tasks import write_export

        transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


def audited_choice(export: Export) -> list[str]:
    """The audit entry names the fields, the filters set and the preset (names only: a
    filter's value may be a child's name, and the export row keeps it)."""
    names = [*export.columns, *(f"filter.{name}" for name in export.filters)]
    return names + ([f"preset.{export.preset}"] if export.preset else [])


def _checked_filters(kind: str, given: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    if not given:
        return {}, {}
    if kind == ExportKind.REQUESTS:
        raise ExportRefused(
            _("The case list's filters select children's cases and their relatives, "
              "not tracing requests."), field="kind",
        )  # fmt: skip
    try:
        return checked_filters(given)
    except CaseError as error:
        raise ExportRefused(error.message, field=error.field) from None


def chosen_columns(user: Any, kind: str, choice: ExportChoice) -> list[Column]:
    """The columns asked for, in the table's order, each checked against the user's role;
    every column the user may have (as before fields could be chosen) when none is."""
    headers = list(choice.columns)
    if choice.preset:
        presets = PRESETS[kind]
        if choice.preset not in presets:
            raise ExportRefused(_("Unknown preset %(name)r.") % {"name": choice.preset}, "preset")
        headers = headers or list(presets[choice.preset].headers)
    if not headers:
        return columns_for(user, kind, choice.include_sensitive)
    known = {c.header: c for c in COLUMNS[kind]}
    unknown = [h for h in headers if h not in known]
    if unknown:
        raise ExportRefused(
            _("No such field: %(names)s.") % {"names": ", ".join(unknown)}, field="columns"
        )
    for header in headers:
        _check_column(user, known[header], choice.include_sensitive)
    return [c for c in COLUMNS[kind] if c.header in set(headers)]


def _check_column(user: Any, column: Column, include_sensitive: bool) -> None:
    if column.allowed(user, include_sensitive):
        return
    if isinstance(column.classification, Restricted):
        message = _("%(field)s is restricted: your role may not read it.")
    else:
        message = _("%(field)s is a sensitive field: tick “Include sensitive fields” to export it.")
    raise ExportRefused(message % {"field": label_of(column.header)}, field="columns")


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
        raise ExportRefused(_("The requester may no longer open case records."))
    choice = ExportChoice(
        export.filters, export.columns, include_sensitive=export.include_sensitive
    )
    columns = chosen_columns(user, export.kind, choice)
    cleaned, _chosen = _checked_filters(export.kind, export.filters)
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


def exports_of(user: Any) -> Any:
    return Export.objects.filter(requested_by=user)[:20]
