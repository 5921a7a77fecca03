"""A large file is imported by `homeward worker`, not inside the request: the commit button
(and the API) queue it, the report page shows how far it is and refreshes itself, nobody
sees its cases until all are written, and the same page shows the result when done."""

from __future__ import annotations

import io
import signal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.api.tests.helpers import KeyClient, make_key
from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.imports import services
from homeward.imports.models import BatchStatus, ImportBatch, ImportSource
from homeward.imports.services import ImportRefused
from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, ZAREMA

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
FILE = "\n".join(",".join(r) for r in (CHILD_HEADERS, AMINA, ZAREMA)).encode() + b"\n"


def run_the_tasks() -> None:
    """What `homeward worker` does with the queued tasks (django-tasks' worker sets its own
    signal handlers: the test's are put back)."""
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def large(monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "INLINE_MAX_ROWS", 1)


# django-tasks' worker closes its connection after each task: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_imported_in_the_background_with_its_progress(
    large: None, caseworker: User, source: ImportSource, django_capture_on_commit_callbacks: Any
) -> None:
    batch = services.upload(source, "children", io.BytesIO(FILE), "f.csv", by=caseworker)
    services.dry_run(batch, by=caseworker)
    client = signed_in(caseworker)
    commit = reverse("imports:commit", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(commit)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.TO_COMMIT and not ChildCase.every.exists()
    page = client.get(reverse("imports:report", args=[batch.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "imported in the background" in page
    assert "0 of 2 new records written" in page and f'action="{commit}"' not in page
    with pytest.raises(ImportRefused, match="being imported already"):
        services.request_commit(batch, by=caseworker)  # a second click queues nothing

    run_the_tasks()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.rows_read) == (BatchStatus.COMMITTED, 2, 2)
    assert ChildCase.objects.count() == 2
    page = client.get(reverse("imports:report", args=[batch.pk])).content.decode()
    assert "Result" in page and 'http-equiv="refresh"' not in page
    assert services.run_commit(batch.pk, caseworker.pk) is False  # claimed once


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_died_half_way_is_taken_up_without_writing_a_row_twice(
    large: None, caseworker: User, source: ImportSource, django_capture_on_commit_callbacks: Any
) -> None:
    from homeward.imports.tests.test_interrupted import stopped_half_way

    batch = services.upload(source, "children", io.BytesIO(FILE), "f.csv", by=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_commit(batch, by=caseworker) is False
    # Its worker wrote one chunk of one row and was killed; the worker's put-back:
    stopped_half_way(batch, caseworker, rows=1)
    assert services.put_back_commit(batch.pk) is True
    assert ChildCase.every.count() == 1 and not ChildCase.objects.exists()  # still hidden

    run_the_tasks()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert ChildCase.objects.count() == 2 == ChildCase.every.count()


@pytest.mark.django_db(transaction=True)
def test_the_api_queues_a_large_commit_through_the_same_service(
    large: None, agency: Agency, django_capture_on_commit_callbacks: Any
) -> None:
    client = KeyClient(make_key(agency, "caseworker"))
    upload = io.BytesIO(FILE)
    upload.name = "kobo.csv"
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/api/v1/imports/",
            {"file": upload, "source": "KoBo", "kind": "children", "commit": True},
            HTTP_IDEMPOTENCY_KEY="large",
        )
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "to_commit" and not ChildCase.every.exists()
    run_the_tasks()
    read = client.get(sent.json()["url"]).json()
    assert (read["status"], read["created"]) == ("committed", 2)
    assert ImportBatch.objects.get().committed_by is not None


@pytest.mark.django_db(transaction=True)
def test_a_large_relatives_file_is_imported_in_the_background_too(
    large: None, caseworker: User, source: ImportSource, django_capture_on_commit_callbacks: Any
) -> None:
    from homeward.cases.models import FamilyMember
    from homeward.imports.tests.test_kinds import RELATIVE_HEADERS

    children = services.upload(source, "children", io.BytesIO(FILE), "c.csv", by=caseworker)
    services.commit(children, by=caseworker)
    rows = [["r-1", "k-1", "grandmother", "Патимат Исаева", "f", "alive", ""],
            ["r-2", "k-2", "aunt", "Хадижат Исаева", "f", "alive", ""]]  # fmt: skip
    data = "\n".join(",".join(r) for r in (RELATIVE_HEADERS, *rows)).encode() + b"\n"
    batch = services.upload(source, "relatives", io.BytesIO(data), "r.csv", by=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_commit(batch, by=caseworker) is False
    page = signed_in(caseworker).get(reverse("imports:report", args=[batch.pk])).content.decode()
    assert "written all at once at the end" in page and not FamilyMember.objects.exists()
    run_the_tasks()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (BatchStatus.COMMITTED, 2)
    assert FamilyMember.objects.count() == 2
