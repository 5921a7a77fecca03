"""Exports: only the records in the user's scope, restricted fields only for their readers,
no spreadsheet formulas, every export audited, large ones in the background, and each file
downloadable by its requester alone."""

from __future__ import annotations

import csv
import io
import json
import signal
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from homeward.accounts.models import Agency, Role
from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, RelativeInput
from homeward.conftest import make_user, signed_in
from homeward.exports import services
from homeward.exports.models import Export, ExportStatus
from homeward.exports.writing import neutralised

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)

pytestmark = pytest.mark.django_db

MOTHER = RelativeInput(
    "mother", [NameInput("Мать Тестова", "family")], status="detained",
    detention_facility="Prison (test)", conviction="Membership (test)", sentence="15 years",
)  # fmt: skip


def rows_of(export: Export) -> list[dict[str, str]]:
    with export.file.open("rb") as stored:
        text = stored.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def cases(make_case: Callable[..., ChildCase], other_agency: Agency) -> dict[str, ChildCase]:
    return {
        "own": make_case(relatives=[MOTHER]),
        "other": make_case(owner=other_agency, names=[NameInput("Чужой Ребёнок", "family")]),
    }


def test_an_export_holds_only_the_records_in_the_users_scope(
    caseworker: User, cases: dict[str, ChildCase]
) -> None:
    export = services.request_export(caseworker, "children", "csv")
    assert export.status == ExportStatus.DONE
    assert [row["reference"] for row in rows_of(export)] == [cases["own"].reference]


def test_restricted_fields_go_only_to_roles_that_may_read_them(
    caseworker: User, coordinator: User, cases: dict[str, ChildCase]
) -> None:
    (row,) = rows_of(services.request_export(caseworker, "children", "csv"))
    assert row["mother_conviction"] == "Membership (test)"
    assert "facility_name" not in row and "mother_detention_facility" not in row
    coordinators = rows_of(services.request_export(coordinator, "children", "csv"))
    assert len(coordinators) == 2  # scope: all
    assert "mother_conviction" not in coordinators[0] and "mother_sentence" not in coordinators[0]
    relatives = rows_of(services.request_export(coordinator, "relatives", "csv"))
    assert "conviction" not in relatives[0] and "contact" not in relatives[0]


def test_sensitive_fields_only_when_asked_for(caseworker: User, cases: dict[str, Any]) -> None:
    export = services.request_export(caseworker, "children", "csv", include_sensitive=True)
    (row,) = rows_of(export)
    assert row["facility_name"] == "Orphanage (test)"
    assert row["mother_detention_facility"] == "Prison (test)"


FORMULA = '=HYPERLINK("http://evil.example","click")'
# A name with "=" or "+" is refused when entered (a sign, not a letter); one starting with
# "@" is not, and a spreadsheet may still take it for a formula.
ENTERED_FORMULA = '@HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("text", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"])
def test_a_cell_never_starts_a_formula(text: str) -> None:
    assert neutralised(text) == "'" + text
    assert neutralised("Amina") == "Amina" and neutralised(6) == 6


def test_formula_injection_is_neutralised_in_csv_and_xlsx_not_json(
    caseworker: User, make_case: Callable[..., ChildCase]
) -> None:
    make_case(names=[NameInput(ENTERED_FORMULA, "ngo")])
    (row,) = rows_of(services.request_export(caseworker, "children", "csv"))
    assert row["name"] == "'" + ENTERED_FORMULA
    xlsx = services.request_export(caseworker, "children", "xlsx")
    with xlsx.file.open("rb") as stored:
        sheet = openpyxl.load_workbook(io.BytesIO(stored.read())).active
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("name") + 1).value == "'" + ENTERED_FORMULA
    as_json = services.request_export(caseworker, "children", "json")
    with as_json.file.open("rb") as stored:
        assert json.loads(stored.read())[0]["name"] == ENTERED_FORMULA


def test_each_export_is_audited_with_every_record_it_read(
    caseworker: User, cases: dict[str, ChildCase]
) -> None:
    export = services.request_export(caseworker, "children", "csv")
    requested = AuditEntry.objects.get(action="export.requested")
    assert requested.object_id == str(export.pk) and "mother_conviction" in requested.changed_fields
    assert AuditEntry.objects.filter(action="export.written", object_id=str(export.pk)).exists()
    exported = AuditEntry.objects.filter(action="case.exported")
    assert list(exported.values_list("object_id", flat=True)) == [str(cases["own"].pk)]
    call_command("audit", "verify")


def test_only_the_requester_downloads_an_export(
    caseworker: User, agency: Agency, cases: dict[str, ChildCase]
) -> None:
    export = services.request_export(caseworker, "children", "csv")
    url = reverse("exports:download", args=[export.pk])
    response = signed_in(caseworker).get(url)
    assert response.status_code == 200
    assert cases["own"].reference in b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="export.downloaded").count() == 1
    colleague = make_user("supervisor", agency, Role.SUPERVISOR)
    assert signed_in(colleague).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(export.pk)).exists()


def test_the_file_is_encrypted_on_disk(caseworker: User, cases: dict[str, Any]) -> None:
    export = services.request_export(caseworker, "children", "csv")
    with open(export.file.path, "rb") as raw:
        assert cases["own"].reference.encode() not in raw.read()


def test_analysts_do_not_export(analyst: User) -> None:
    with pytest.raises(services.ExportRefused):
        services.request_export(analyst, "children", "csv")
    assert signed_in(analyst).get(reverse("exports:start")).status_code == 403


# The worker closes its database connection after each task, as a worker must; on
# PostgreSQL that would end the test's wrapping transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_written_in_the_background_by_the_worker(
    caseworker: User, cases: dict[str, Any], monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(services, "INLINE_MAX_ROWS", 0)
    client = signed_in(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:start"), {"kind": "children", "format": "csv"})
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED
    page = client.get(reverse("exports:start")).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting" in page
    # db_worker catches SIGINT, SIGTERM and SIGQUIT for good: give the test run its own back.
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.rows_done == 1
    assert services.run_export(export.pk) is False  # claimed once: never written twice
    assert "Download" in client.get(reverse("exports:start")).content.decode()


def test_the_export_page_requests_and_lists_an_export(caseworker: User, cases: Any) -> None:
    client = signed_in(caseworker)
    response = client.post(reverse("exports:start"), {"kind": "requests", "format": "json"})
    assert response.status_code == 302
    page = client.get(reverse("exports:start")).content.decode()
    assert "is ready" in page and "Download" in page
