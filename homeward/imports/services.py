"""Importing field teams' spreadsheets: the functions the pages and `homeward import` call.

1. `upload` keeps the file (encrypted) as a batch of one source and kind.
2. `save_mapping` records which column holds what, for every later file of the source.
3. `dry_run` checks every row and keeps the report (row, column, reason); nothing else
   is written.
4. `commit` checks again and writes everything in one transaction, or nothing if any row
   has a problem; the batch keeps its counts and one audit entry names it.

Pages and the API ask through `request_dry_run` and `request_commit`: a small file is
checked or written while they wait, a large one by `homeward worker` (imports.tasks).
"""

from __future__ import annotations

import hashlib
import io
import os
import socket
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Agency
from homeward.accounts.staff import acting_user
from homeward.audit.services import record
from homeward.cases.access import can_change_cases, profile_of
from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError
from homeward.imports import bulk, committing
from homeward.imports.checking import Batch, Check, alias_of
from homeward.imports.checking import check_rows as _check_rows
from homeward.imports.models import (
    BatchStatus,
    ImportBatch,
    ImportedRecord,
    ImportKind,
    ImportSource,
)
from homeward.imports.reading import Table, UnreadableFileError, read_table, row_estimate
from homeward.imports.rows import Action, Columns, Problem
from homeward.imports.targets import effective_mapping, targets_for
from homeward.lib.memory import without_cyclic_gc
from homeward.people.models import NameSource

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# Up to about this many rows a dry run or a commit runs while the page waits (a second or
# two); a larger file is checked or written by `homeward worker` while the report page
# shows how far it is.
INLINE_MAX_ROWS = 2000
PROGRESS_EVERY = 2000

Progress = Callable[[int], None]


class ImportRefused(CaseError):
    """An upload, mapping or commit refused; `field` names the input at fault."""


def check_may_import(user: Any, agency: Agency | None = None) -> Agency:
    """The user's agency, if they may import into it (a case-writing role)."""
    profile = profile_of(user)
    if profile is None or not can_change_cases(user):
        raise ImportRefused(_("Only case staff who change cases may import records."))
    if agency is not None and profile.agency_id != agency.pk:
        raise ImportRefused(_("This import source belongs to another agency."))
    return profile.agency


def source_named(user: Any, name: str) -> ImportSource:
    """The user's agency's source of that name, made on first use."""
    agency = check_may_import(user)
    name = " ".join(name.split())
    if not name:
        raise ImportRefused(_("Name the source (for example “KoBo, Iraq team”)."), field="source")
    source, _created = ImportSource.objects.get_or_create(agency=agency, name=name[:100])
    return source


def upload(
    source: ImportSource, kind: str, content: IO[bytes], name: str, *, by: Any
) -> ImportBatch:
    check_may_import(by, source.agency)
    if kind not in ImportKind.values:
        raise ImportRefused(_("Unknown kind of records %(kind)r.") % {"kind": kind}, field="kind")
    data = content.read(MAX_UPLOAD_BYTES + 1)
    if not data:
        raise ImportRefused(_("The file is empty."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            _("The file is larger than %(max_upload_bytes)s MB.")
            % {"max_upload_bytes": MAX_UPLOAD_BYTES // 2**20},
            field="file",
        )
    try:
        read_table(io.BytesIO(data), name)
    except UnreadableFileError as error:
        raise ImportRefused(str(error), field="file") from None
    batch = ImportBatch(
        source=source, kind=kind, original_name=name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(), uploaded_by=acting_user(by),
    )  # fmt: skip
    with transaction.atomic():
        batch.save()  # the row first: the file is encrypted for it (bound to its id)
        batch.file.save(name, ContentFile(data))
        record("import.uploaded", actor=by, target=batch)
    return batch


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
            raise ImportRefused(
                _("Unknown field %(target)r for %(kind)s.") % {"target": target, "kind": kind},
                field=target,
            )
    if name_source is not None and name_source not in NameSource.values:
        raise ImportRefused(
            _("Unknown name source %(name_source)r.") % {"name_source": name_source},
            field="name_source",
        )
    source.mapping = {**source.mapping, kind: {t: h for t, h in mapping.items() if h}}
    source.defaults = {**source.defaults, kind: {t: v for t, v in defaults.items() if v}}
    if name_source is not None:
        source.name_source = name_source
    source.save()
    record("import.mapping_saved", actor=by, target=source, fields=[kind])


def name(target: Any) -> dict[str, str]:
    return {"label": target.shown}


def mapping_problems(kind: str, columns: Columns) -> list[Problem]:
    """Required fields with neither a column nor a default: no row could pass."""
    return [
        Problem(1, "", _("No column is mapped to “%(label)s” and it has no default.") % name(t))
        for t in targets_for(kind)
        if t.required and t.name not in columns.index
        and t.name not in columns.defaults
    ]  # fmt: skip


def _check(batch: ImportBatch, by: Any, progress: Progress | None = None) -> Check:
    try:
        with without_cyclic_gc():
            return _check_file(batch, by, progress)
    except UnreadableFileError as error:  # found as the rows stream: a cell too long
        raise ImportRefused(str(error), field="file") from None


def _check_file(batch: ImportBatch, by: Any, progress: Progress | None = None) -> Check:
    table = table_of(batch)
    if progress is not None:
        table = Table(table.headers, _counted(table.rows, progress))
    source = batch.source
    mapping = effective_mapping(batch.kind, table.headers, source.mapping.get(batch.kind, {}))
    columns = Columns(table.headers, mapping, source.defaults.get(batch.kind, {}))
    problems = mapping_problems(batch.kind, columns)
    if problems:
        check = Check(batch.kind, problems=problems)
        check.rows = sum(1 for _row in table.rows)
        return check
    context = Batch(source, batch.kind, by, columns, timezone.localdate())
    return _check_rows(context, table.rows)


def _try_updates(check: Check, batch: ImportBatch, by: Any) -> None:
    """Run the changed rows through the services and roll everything back: a refusal that
    only the service can see (a placement dated before the current one) shows in the
    dry run, not first at commit."""
    updates = [p for p in check.plans if p.action == Action.UPDATE]
    if not updates:
        return
    with transaction.atomic():
        for plan in updates:
            try:
                with transaction.atomic():
                    committing.update_for(plan, batch=batch, by=by)
            except CaseError as error:
                check.problems.append(_row_problem(check, plan.number, error))
        transaction.set_rollback(True)
    check.problems.sort(key=lambda p: p.row)


def _row_problem(check: Check, number: int, error: CaseError) -> Problem:
    target = alias_of(check.kind, error) or error.field or ""
    column = check.columns.label(target) if check.columns and target else target
    return Problem(number, column, error.message)


def _counted(rows: Iterator[Any], progress: Progress) -> Iterator[Any]:
    count = 0
    for count, row in enumerate(rows, start=1):
        if count % PROGRESS_EVERY == 0:
            progress(count)
        yield row
    progress(count)


def request_dry_run(batch: ImportBatch, *, by: Any) -> bool:
    """Check a small file now (True); queue a large one for the background (False)."""
    check_may_import(by, batch.source.agency)
    if batch.status in (BatchStatus.QUEUED, BatchStatus.CHECKING):
        raise ImportRefused(_("This file is being checked already."))
    _refuse_while_committing(batch)
    if _rows_of(batch) <= INLINE_MAX_ROWS:
        dry_run(batch, by=by)
        return True
    from homeward.imports.tasks import check_in_background

    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED, rows_read=0, error="")
    transaction.on_commit(lambda: check_in_background.enqueue(batch.pk, by.pk))
    record("import.dry_run_queued", actor=by, target=batch)
    return False


def run_dry_run(batch_id: int, user_id: int) -> bool:
    """The background dry run of one batch, if nobody else is running it (claimed with one
    conditional UPDATE, as exports are); False if already claimed."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.CHECKING
    )
    if claimed != 1:
        return False
    _run_claimed(batch_id, user_id, dry_run, failed={"status": BatchStatus.UPLOADED})
    return True


def _run_claimed(
    batch_id: int, user_id: int, work: Callable[..., Any], *, failed: dict[str, Any]
) -> None:
    """Run a claimed batch's background `work` (dry run or commit) with its progress kept
    on the row; a refusal or a failure is kept there too (with the `failed` columns), and
    only a failure is raised on to the worker."""
    batch = ImportBatch.objects.select_related("source").get(pk=batch_id)
    user = get_user_model().objects.get(pk=user_id)

    def progress(done: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(rows_read=done)

    try:
        work(batch, by=user, progress=progress)
    except Exception as error:
        message = error.message if isinstance(error, ImportRefused) else str(error)
        ImportBatch.objects.filter(pk=batch_id).update(error=message[:1000], **failed)
        if not isinstance(error, ImportRefused):
            raise


def _rows_of(batch: ImportBatch) -> int:
    with batch.file.open("rb") as stored:
        return row_estimate(stored.read(), batch.original_name)


def request_commit(batch: ImportBatch, *, by: Any) -> bool:
    """Write a small file now (True); queue a large one for `homeward worker` (False),
    which writes it as `commit` does, in chunks, and goes on after the chunks a killed
    worker wrote (`put_back_commit`)."""
    check_may_import(by, batch.source.agency)
    _refuse_uncommittable(batch)
    _refuse_while_committing(batch)
    if _rows_of(batch) <= INLINE_MAX_ROWS:
        commit(batch, by=by)
        return True
    from homeward.imports.tasks import commit_in_background

    # One conditional UPDATE: of two clicks (or a click and a worker putting it back),
    # one queues it.
    queued = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
        status=BatchStatus.TO_COMMIT, rows_read=0, error="", committing_by="",
        committing_seen=None,
    )  # fmt: skip
    if queued != 1:
        raise ImportRefused(_("This file is being imported already."))
    batch.status = BatchStatus.TO_COMMIT
    transaction.on_commit(lambda: commit_in_background.enqueue(batch.pk, by.pk))
    record("import.commit_queued", actor=by, target=batch)
    return False


def _refuse_uncommittable(batch: ImportBatch) -> None:
    if batch.status == BatchStatus.COMMITTED:
        raise ImportRefused(_("This file has been imported already."))
    if batch.status in (BatchStatus.QUEUED, BatchStatus.CHECKING):
        raise ImportRefused(_("This file is being checked; commit it once the report is ready."))


def _refuse_while_committing(batch: ImportBatch) -> None:
    if is_being_committed(batch):
        raise ImportRefused(_("This file is being imported already."))


def is_being_committed(batch: ImportBatch) -> bool:
    """Waiting for a worker, or being written by a process still alive."""
    if batch.status == BatchStatus.TO_COMMIT:
        return True
    return (
        batch.status == BatchStatus.COMMITTING
        and bool(batch.committing_by)
        and batch.committing_by != _committer()
        and _alive(batch.committing_by, batch.committing_seen)
    )


def run_commit(batch_id: int, user_id: int) -> bool:
    """The background commit of one batch, if nobody else is running it (claimed with one
    conditional UPDATE); False if already claimed. A refusal or a row's problem is kept
    on the batch for its page."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.TO_COMMIT).update(
        status=BatchStatus.COMMITTING, committing_by=_committer(), committing_seen=timezone.now()
    )
    if claimed != 1:
        return False
    _run_claimed(batch_id, user_id, commit, failed={})
    return True


def put_back_commit(batch_id: int) -> bool:
    """A background commit whose worker died half-way, back in the queue: what it wrote
    stays hidden, and the next worker goes on after it. True if it was."""
    waiting = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.COMMITTING).update(
        status=BatchStatus.TO_COMMIT, committing_by="", committing_seen=None
    )
    return waiting == 1


def put_back(batch_id: int) -> bool:
    """A background dry run whose worker died half-way, back in the queue: a dry run keeps
    its report only at the end. True if it was."""
    waiting = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.CHECKING).update(
        status=BatchStatus.QUEUED, rows_read=0
    )
    return waiting == 1


def dry_run(batch: ImportBatch, *, by: Any, progress: Progress | None = None) -> Check:
    """Check every row and keep the report on the batch; write nothing else."""
    check_may_import(by, batch.source.agency)
    check = _check(batch, by, progress)
    if not check.problems:
        _try_updates(check, batch, by)
    # A batch being committed keeps its status: the cases it wrote stay hidden till then.
    kept = batch.status in (BatchStatus.COMMITTED, BatchStatus.COMMITTING, BatchStatus.TO_COMMIT)
    _keep_report(batch, check, batch.status if kept else BatchStatus.CHECKED)
    return check


def _keep_report(batch: ImportBatch, check: Check, status: str) -> None:
    batch.report = check.report()
    batch.status = status
    batch.checked_at = timezone.now()
    batch.rows_read, batch.error = check.rows, ""
    batch.save(update_fields=["report", "status", "checked_at", "rows_read", "error"])


def commit(batch: ImportBatch, *, by: Any, progress: Progress | None = None) -> Check:
    """Check again and write every row, or nothing if any row fails. New children are
    written in short transactions, hidden until the last one shows them all
    (imports.committing); a commit killed half-way is taken up by the next `commit` of
    the same batch, which goes on after the chunks already written."""
    agency = check_may_import(by, batch.source.agency)
    _refuse_uncommittable(batch)
    _take_for_commit(batch)
    try:
        return _commit(batch, by, agency, progress)
    finally:
        # Failed or done: nobody is committing it now. A failed commit's batch stays
        # "committing" (what it wrote stays hidden) for the next commit to take up.
        ImportBatch.objects.filter(pk=batch.pk).update(committing_by="", committing_seen=None)


def _commit(batch: ImportBatch, by: Any, agency: Agency, progress: Progress | None) -> Check:
    check = _check(batch, by, progress)
    if _rereads_what_it_wrote(batch, check):
        # The mapping changed since a killed commit wrote its chunks: they no longer
        # match the rows as now read. Start again from nothing.
        committing.discard_staged(batch, by=by)
        check = _check(batch, by)
    if check.problems:
        return _not_committed(batch, check, by)
    try:
        with without_cyclic_gc(), bulk.roomy_cache():
            committing.stage_children(
                check.plans, batch=batch, by=by, agency=agency,
                heartbeat=lambda: _still_committing(batch),
            )  # fmt: skip
            with transaction.atomic():
                created, updated = committing.apply_plans(
                    check.plans, batch=batch, by=by, agency=agency
                )
                created += committing.staged(batch)
                _mark_committed(batch, check, by, created, updated)  # shows them all
    except committing.RowFailed as failed:
        check.problems.append(_row_problem(check, failed.plan.number, failed.error))
        return _not_committed(batch, check, by)
    return check


def _rereads_what_it_wrote(batch: ImportBatch, check: Check) -> bool:
    written = set(ChildCase.every.filter(import_batch=batch).values_list("pk", flat=True))
    return any(p.action == Action.UPDATE and p.object_id in written for p in check.plans)


def _not_committed(batch: ImportBatch, check: Check, by: Any) -> Check:
    """Nothing imported: what an earlier, killed commit staged goes too."""
    committing.discard_staged(batch, by=by)
    batch.refresh_from_db()
    _keep_report(batch, check, BatchStatus.CHECKED)
    return check


def _committer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# A commit not heard of this long (another machine's, which cannot be asked) is given up.
COMMIT_SILENCE = timedelta(minutes=10)


def _take_for_commit(batch: ImportBatch) -> None:
    """Mark the batch as being committed by this process; refused while another live
    process is committing it."""
    fresh = ImportBatch.objects.filter(pk=batch.pk).values_list("committing_by", "committing_seen")
    committer, seen = fresh.get()
    if committer and committer != _committer() and _alive(committer, seen):
        raise ImportRefused(_("This file is being imported right now (by another process)."))
    batch.status, batch.committing_by = BatchStatus.COMMITTING, _committer()
    batch.committing_seen = timezone.now()
    batch.save(update_fields=["status", "committing_by", "committing_seen"])


def _alive(committer: str, seen: Any) -> bool:
    host, _, pid = committer.rpartition(":")
    if host != socket.gethostname():
        return seen is not None and timezone.now() - seen < COMMIT_SILENCE
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def _still_committing(batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(committing_seen=timezone.now())


def _mark_committed(batch: ImportBatch, check: Check, by: Any, created: int, updated: int) -> None:
    batch.report = check.report()
    batch.status = BatchStatus.COMMITTED
    batch.committing_by, batch.committing_seen = "", None
    batch.committed_at = batch.checked_at = timezone.now()
    batch.committed_by = acting_user(by)
    batch.created_count, batch.updated_count = created, updated
    batch.rows_read, batch.error = check.rows, ""
    # Rows a killed commit of this batch had staged are "unchanged" to this check.
    staged_before = created - check.count(Action.CREATE)
    unchanged = check.count(Action.UNCHANGED) - staged_before
    batch.unchanged_count = unchanged + check.count(Action.UPDATE) - updated
    batch.save()
    # One entry for the batch (its counts are on the batch); each record has its own.
    record("import.committed", actor=by, target=batch, fields=[batch.kind])


def import_file(
    path: str, *, source: ImportSource, kind: str, by: Any, write: bool,
    said: Callable[[str], None] = lambda _: None,
) -> tuple[ImportBatch, Check]:  # fmt: skip
    """What `homeward import` does: upload, then a dry run or a commit. The same file
    again, while its earlier batch is not committed (killed, say), goes on with that
    batch instead of uploading another copy."""
    sweep()
    with open(path, "rb") as content:
        digest = hashlib.file_digest(content, "sha256").hexdigest()
        batch = resumable_batch(source, kind, digest, by)
        if batch is None:
            content.seek(0)
            batch = upload(source, kind, content, path.rsplit("/", 1)[-1], by=by)
        else:
            said(
                _("Going on with batch %(pk)s of this file (%(status)s).")
                % {"pk": batch.pk, "status": batch.get_status_display()}
            )
    check = commit(batch, by=by) if write else dry_run(batch, by=by)
    return batch, check


def resumable_batch(source: ImportSource, kind: str, digest: str, by: Any) -> ImportBatch | None:
    """The user's latest uncommitted batch of this very file, if any."""
    mine = ImportBatch.objects.filter(
        source=source, kind=kind, file_sha256=digest, uploaded_by=acting_user(by)
    )
    return mine.exclude(status=BatchStatus.COMMITTED).order_by("-id").first()


# Uploaded files nobody committed are kept this long (a person may come back to them).
KEEP_UNCOMMITTED = timedelta(days=14)
# A file in the imports folder with no batch, this old, is a killed upload's.
ORPHAN_AGE = timedelta(hours=1)


def sweep(now: Any = None) -> int:
    """Remove what killed or abandoned imports left: batches never committed and untouched
    for KEEP_UNCOMMITTED (with their file and anything they staged), and files no batch
    names. Returns how many files went."""
    now = now or timezone.now()
    removed = 0
    old = ImportBatch.objects.exclude(status=BatchStatus.COMMITTED).filter(
        uploaded_at__lt=now - KEEP_UNCOMMITTED
    )
    for batch in old.exclude(committing_seen__gte=now - KEEP_UNCOMMITTED):
        if batch.committing_by and _alive(batch.committing_by, batch.committing_seen):
            continue
        committing.discard_staged(batch, by=None)
        if not ImportedRecord.objects.filter(Q(first_batch=batch) | Q(last_batch=batch)).exists():
            batch.file.delete(save=False)
            batch.delete()
            removed += 1
    return removed + _remove_orphan_files(now)


def _remove_orphan_files(now: Any) -> int:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    if not folder.exists():
        return 0
    named = set(ImportBatch.objects.values_list("file", flat=True))
    removed = 0
    for path in folder.iterdir():
        age = now.timestamp() - path.stat().st_mtime
        if f"imports/{path.name}" not in named and age > ORPHAN_AGE.total_seconds():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
