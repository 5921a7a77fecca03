"""Importing field teams' spreadsheets: the functions the pages and `homeward import` call.

1. `upload` keeps the file (encrypted) as a batch of one source and kind.
2. `save_mapping` records which column holds what, for every later file of the source.
3. `dry_run` checks every row and keeps the report (row, column, reason); nothing else
   is written.
4. `commit` checks again and writes everything in one transaction, or nothing if any row
   has a problem; the batch keeps its counts and one audit entry names it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.audit.services import record
from homeward.cases.access import can_change_cases, profile_of
from homeward.cases.services import CaseError
from homeward.imports import bulk, committing
from homeward.imports.checking import ALIASES, Batch, Check
from homeward.imports.checking import check_rows as _check_rows
from homeward.imports.models import BatchStatus, ImportBatch, ImportKind, ImportSource
from homeward.imports.reading import Table, UnreadableFileError, read_table
from homeward.imports.rows import Action, Columns, Problem
from homeward.imports.targets import effective_mapping, targets_for
from homeward.lib.memory import without_cyclic_gc
from homeward.people.models import NameSource

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class ImportRefused(CaseError):
    """An upload, mapping or commit refused; `field` names the input at fault."""


def check_may_import(user: Any, agency: Agency | None = None) -> Agency:
    """The user's agency, if they may import into it (a case-writing role)."""
    profile = profile_of(user)
    if profile is None or not can_change_cases(user):
        raise ImportRefused("Only case staff who change cases may import records.")
    if agency is not None and profile.agency_id != agency.pk:
        raise ImportRefused("This import source belongs to another agency.")
    return profile.agency


def source_named(user: Any, name: str) -> ImportSource:
    """The user's agency's source of that name, made on first use."""
    agency = check_may_import(user)
    name = " ".join(name.split())
    if not name:
        raise ImportRefused("Name the source (for example “KoBo, Iraq team”).", field="source")
    source, _ = ImportSource.objects.get_or_create(agency=agency, name=name[:100])
    return source


def upload(
    source: ImportSource, kind: str, content: IO[bytes], name: str, *, by: Any
) -> ImportBatch:
    check_may_import(by, source.agency)
    if kind not in ImportKind.values:
        raise ImportRefused(f"Unknown kind of records {kind!r}.", field="kind")
    data = content.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ImportRefused("The file is empty.", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.", field="file"
        )
    try:
        read_table(io.BytesIO(data), name)
    except UnreadableFileError as error:
        raise ImportRefused(str(error), field="file") from None
    batch = ImportBatch(
        source=source, kind=kind, original_name=name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(), uploaded_by=_user(by),
    )  # fmt: skip
    with transaction.atomic():
        batch.save()  # the row first: the file is encrypted for it (bound to its id)
        batch.file.save(name, ContentFile(data))
        record("import.uploaded", actor=by, target=batch)
    return batch


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def table_of(batch: ImportBatch) -> Table:
    with batch.file.open("rb") as stored:
        data = stored.read()
    return read_table(io.BytesIO(data), batch.original_name)


def save_mapping(
    source: ImportSource,
    kind: str,
    mapping: Mapping[str, str],
    defaults: Mapping[str, str],
    *,
    by: Any,
    name_source: str | None = None,
) -> None:
    """Remember which column holds each target field (and defaults) for this source."""
    check_may_import(by, source.agency)
    known = {t.name for t in targets_for(kind)}
    for target in [*mapping, *defaults]:
        if target not in known:
            raise ImportRefused(f"Unknown field {target!r} for {kind}.", field=target)
    if name_source is not None and name_source not in NameSource.values:
        raise ImportRefused(f"Unknown name source {name_source!r}.", field="name_source")
    source.mapping = {**source.mapping, kind: {t: h for t, h in mapping.items() if h}}
    source.defaults = {**source.defaults, kind: {t: v for t, v in defaults.items() if v}}
    if name_source is not None:
        source.name_source = name_source
    source.save()
    record("import.mapping_saved", actor=by, target=source, fields=[kind])


def mapping_problems(kind: str, columns: Columns) -> list[Problem]:
    """Required fields with neither a column nor a default: no row could pass."""
    return [
        Problem(1, "", f"No column is mapped to “{target.label}” and it has no default.")
        for target in targets_for(kind)
        if target.required and target.name not in columns.index
        and target.name not in columns.defaults
    ]  # fmt: skip


def _check(batch: ImportBatch, by: Any) -> Check:
    with without_cyclic_gc():
        return _check_file(batch, by)


def _check_file(batch: ImportBatch, by: Any) -> Check:
    table = table_of(batch)
    source = batch.source
    mapping = effective_mapping(batch.kind, table.headers, source.mapping.get(batch.kind, {}))
    columns = Columns(table.headers, mapping, source.defaults.get(batch.kind, {}))
    problems = mapping_problems(batch.kind, columns)
    if problems:
        check = Check(batch.kind, problems=problems)
        check.rows = sum(1 for _ in table.rows)
        return check
    context = Batch(source, batch.kind, by, columns, timezone.localdate())
    return _check_rows(context, table.rows)


class _Rollback(Exception):
    pass


def _try_updates(check: Check, batch: ImportBatch, by: Any) -> None:
    """Run the changed rows through the services and roll everything back: a refusal that
    only the service can see (a placement dated before the current one) shows in the
    dry run, not first at commit."""
    updates = [p for p in check.plans if p.action == Action.UPDATE]
    if not updates:
        return
    try:
        with transaction.atomic():
            for plan in updates:
                try:
                    with transaction.atomic():
                        committing.update_for(plan, batch=batch, by=by)
                except CaseError as error:
                    check.problems.append(_row_problem(check, plan.number, error))
            raise _Rollback
    except _Rollback:
        pass
    check.problems.sort(key=lambda p: p.row)


def _row_problem(check: Check, number: int, error: CaseError) -> Problem:
    target = ALIASES[check.kind].get(error.field or "", error.field or "")
    column = check.columns.label(target) if check.columns and target else target
    return Problem(number, column, error.message)


def dry_run(batch: ImportBatch, *, by: Any) -> Check:
    """Check every row and keep the report on the batch; write nothing else."""
    check_may_import(by, batch.source.agency)
    check = _check(batch, by)
    if not check.problems:
        _try_updates(check, batch, by)
    committed = batch.status == BatchStatus.COMMITTED
    _keep_report(batch, check, batch.status if committed else BatchStatus.CHECKED)
    return check


def _keep_report(batch: ImportBatch, check: Check, status: str) -> None:
    batch.report = check.report()
    batch.status = status
    batch.checked_at = timezone.now()
    batch.save(update_fields=["report", "status", "checked_at"])


def commit(batch: ImportBatch, *, by: Any) -> Check:
    """Check again and write every row in one transaction; nothing if any row fails."""
    agency = check_may_import(by, batch.source.agency)
    if batch.status == BatchStatus.COMMITTED:
        raise ImportRefused("This file has been imported already.")
    check = _check(batch, by)
    if check.problems:
        _keep_report(batch, check, BatchStatus.CHECKED)
        return check
    try:
        with without_cyclic_gc(), bulk.roomy_cache(), transaction.atomic():
            created, updated = committing.apply_plans(
                check.plans, batch=batch, by=by, agency=agency
            )
            _mark_committed(batch, check, by, created, updated)
    except committing.RowFailed as failed:
        check.problems.append(_row_problem(check, failed.plan.number, failed.error))
        batch.refresh_from_db()
        _keep_report(batch, check, BatchStatus.CHECKED)
    return check


def _mark_committed(batch: ImportBatch, check: Check, by: Any, created: int, updated: int) -> None:
    batch.report = check.report()
    batch.status = BatchStatus.COMMITTED
    batch.committed_at = batch.checked_at = timezone.now()
    batch.committed_by = _user(by)
    batch.created_count, batch.updated_count = created, updated
    batch.unchanged_count = check.count(Action.UNCHANGED) + check.count(Action.UPDATE) - updated
    batch.save()
    # One entry for the batch (its counts are on the batch); each record has its own.
    record("import.committed", actor=by, target=batch, fields=[batch.kind])


def import_file(
    path: str, *, source: ImportSource, kind: str, by: Any, write: bool
) -> tuple[ImportBatch, Check]:
    """What `homeward import` does: upload, then a dry run or a commit."""
    with open(path, "rb") as content:
        batch = upload(source, kind, content, path.rsplit("/", 1)[-1], by=by)
    check = commit(batch, by=by) if write else dry_run(batch, by=by)
    return batch, check
