"""An import writes its new children in chunks, hidden until it commits: a commit stopped
half-way shows nothing, the next commit of the same file goes on from where it stopped,
a later failure discards what was staged, and what killed imports leave is swept."""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput
from homeward.imports import committing, services
from homeward.imports.models import BatchStatus, ImportBatch, ImportedRecord, ImportSource
from homeward.imports.rows import Action
from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, MAGOMED, ZAREMA, write_csv
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.tracing.matching import Worker, claim_work
from homeward.tracing.models import MatchingWork

pytestmark = pytest.mark.django_db


def stopped_half_way(batch: ImportBatch, by: User, rows: int) -> None:
    """What a commit killed after its first chunk leaves: that chunk, hidden, and the batch
    marked as being committed by a process that is gone."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.COMMITTING, committing_by=f"{socket.gethostname()}:999999999",
        committing_seen=timezone.now(),
    )  # fmt: skip
    batch.refresh_from_db()
    check = services._check(batch, by)
    creating = [p for p in check.plans if p.action == Action.CREATE][:rows]
    committing.stage_children(creating, batch=batch, by=by, agency=by.staff_profile.agency)


@pytest.fixture
def three_children(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "three.csv", CHILD_HEADERS, [AMINA, ZAREMA, MAGOMED])


def test_a_commit_stopped_half_way_shows_nothing_and_the_next_goes_on_from_there(
    three_children: Path, source: ImportSource, caseworker: User
) -> None:
    batch = services.upload(
        source, "children", io.BytesIO(three_children.read_bytes()), "three.csv", by=caseworker
    )
    stopped_half_way(batch, caseworker, rows=2)
    assert ChildCase.every.count() == 2
    assert not ChildCase.objects.exists() and not cases_visible_to(caseworker).exists()
    with Worker() as worker:  # the matcher leaves hidden cases alone
        assert claim_work(worker.name, 100) == []

    said: list[str] = []
    again, check = services.import_file(
        str(three_children), source=source, kind="children", by=caseworker, write=True,
        said=said.append,
    )  # fmt: skip
    assert again.pk == batch.pk and said == [
        f"Going on with batch {batch.pk} of this file (Being imported)."
    ]
    assert check.problems == [] and again.status == BatchStatus.COMMITTED
    assert (again.created_count, again.unchanged_count) == (3, 0)
    assert ChildCase.objects.count() == 3 == ChildCase.every.count()
    assert AuditEntry.objects.filter(action="case.created").count() == 3
    assert MatchingWork.objects.filter(kind="case").count() == 3
    with Worker() as worker:
        assert len(claim_work(worker.name, 100)) == 3


def test_a_commit_in_progress_elsewhere_is_not_taken_over(
    three_children: Path, source: ImportSource, caseworker: User
) -> None:
    batch = services.upload(
        source, "children", io.BytesIO(three_children.read_bytes()), "three.csv", by=caseworker
    )
    stopped_half_way(batch, caseworker, rows=1)
    alive = f"{socket.gethostname()}:1"  # another process of this machine, alive
    ImportBatch.objects.filter(pk=batch.pk).update(committing_by=alive)
    with pytest.raises(services.ImportRefused, match="being imported right now"):
        services.commit(batch, by=caseworker)


def test_when_the_check_fails_at_last_what_was_staged_is_discarded(
    three_children: Path, source: ImportSource, caseworker: User, make_case: Callable[..., Any]
) -> None:
    batch = services.upload(
        source, "children", io.BytesIO(three_children.read_bytes()), "three.csv", by=caseworker
    )
    stopped_half_way(batch, caseworker, rows=1)  # Amina, hidden
    make_case(  # Zarema registered by hand meanwhile: her row is a duplicate now
        names=[NameInput("Zarema Kurbanova", "consular")],
        birth=BirthDate(BirthPrecision.YEAR, date(2012, 1, 1)),
    )
    check = services.commit(batch, by=caseworker)
    assert check.problems and ChildCase.every.count() == 1  # only the one registered by hand
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED and not batch.committing_by
    assert not ImportedRecord.objects.exists()
    assert AuditEntry.objects.filter(action="import.discarded", object_id=str(batch.pk)).exists()


def test_the_sweep_removes_abandoned_batches_and_files_no_batch_names(
    three_children: Path, source: ImportSource, caseworker: User
) -> None:
    old = services.upload(
        source, "children", io.BytesIO(three_children.read_bytes()), "three.csv", by=caseworker
    )
    stopped_half_way(old, caseworker, rows=2)
    orphan = Path(settings.MEDIA_ROOT) / "imports" / "killed-upload.csv"
    orphan.write_bytes(b"hw2:1:half an upload")
    later = timezone.now() + services.KEEP_UNCOMMITTED + timedelta(days=1)
    os.utime(orphan, (later.timestamp() - 7200, later.timestamp() - 7200))
    old_file = Path(old.file.path)

    assert services.sweep(later) == 2  # the abandoned batch's file and the orphan
    assert not ImportBatch.objects.filter(pk=old.pk).exists() and not old_file.exists()
    assert not orphan.exists() and ChildCase.every.count() == 0
    fresh = services.upload(
        source, "children", io.BytesIO(three_children.read_bytes()), "3.csv", by=caseworker
    )
    assert services.sweep() == 0 and ImportBatch.objects.filter(pk=fresh.pk).exists()


def test_a_mapping_changed_after_a_commit_stopped_half_way_starts_the_commit_again(
    three_children: Path, source: ImportSource, caseworker: User
) -> None:
    batch = services.upload(
        source, "children", io.BytesIO(three_children.read_bytes()), "three.csv", by=caseworker
    )
    stopped_half_way(batch, caseworker, rows=2)
    # Every row now reads differently: a default for a column the file does not have.
    services.save_mapping(source, "children", {}, {"facility_name": "Camp Roj"}, by=caseworker)
    check = services.commit(ImportBatch.objects.get(pk=batch.pk), by=caseworker)
    assert check.problems == []
    assert ChildCase.objects.count() == 3 == ChildCase.every.count()
    assert AuditEntry.objects.filter(action="import.discarded").count() == 1
    assert {c.current_placement().facility_name for c in ChildCase.objects.all()} == {"Camp Roj"}
