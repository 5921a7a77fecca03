"""Relatives and tracing requests, XLSX files, KoBoToolbox headers and `homeward import`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from homeward.cases.models import ChildCase, FamilyMember
from homeward.imports import services
from homeward.imports.models import ImportSource
from homeward.imports.tests.conftest import AMINA, ZAREMA, write_xlsx
from homeward.tracing.models import MatchingWork, TracingRequest

pytestmark = pytest.mark.django_db

Run = Callable[..., Any]
RELATIVE_HEADERS = ["external_id", "child_external_id", "relationship", "name_cyrillic", "sex",
                    "status", "place"]  # fmt: skip
REQUEST_HEADERS = ["external_id", "enquirer_name_cyrillic", "enquirer_relationship", "filed_on",
                   "sought_name_cyrillic", "sought_birth", "mother_name"]  # fmt: skip


def test_relatives_join_the_imported_childs_family(run_import: Run) -> None:
    run_import([AMINA, ZAREMA], commit=True)
    rows = [
        ["r-1", "k-1", "мачеха", "Патимат Исаева", "f", "detained", ""],
        ["r-2", "k-1", "grandmother", "Хадижат Исаева", "f", "alive", "Махачкала"],
        ["r-3", "k-1", "mother", "Другая Мать", "f", "alive", ""],
        ["r-4", "k-9", "aunt", "Тётя", "f", "alive", ""],
    ]
    _, check = run_import(rows, headers=RELATIVE_HEADERS, kind="relatives")
    problems = {(p.row, p.column): p.reason for p in check.problems}
    assert "Unknown value “мачеха”" in problems[(2, "relationship")]
    assert problems[(5, "child_external_id")].startswith("No child with the id “k-9”")
    assert len(problems) == 2
    rows[0][2] = "мать"  # the relationship words are read in Russian and Arabic too
    rows[2][2] = "aunt"
    rows[3][1] = "k-2"
    batch, check = run_import(rows, headers=RELATIVE_HEADERS, kind="relatives", commit=True)
    assert check.problems == [] and batch.created_count == 4
    amina = ChildCase.objects.get(child__names__full_name="Amina Isaeva")
    assert amina.family_member("mother").status == "detained"  # type: ignore[union-attr]
    assert FamilyMember.objects.filter(case=amina).count() == 3
    again, check = run_import(rows, headers=RELATIVE_HEADERS, kind="relatives", commit=True)
    assert (again.created_count, again.unchanged_count) == (0, 4)


def test_a_second_mother_is_a_duplicate(run_import: Run) -> None:
    run_import([AMINA], commit=True)
    rows = [["r-1", "k-1", "mother", "Патимат Исаева", "f", "detained", ""],
            ["r-2", "k-1", "mother", "Другая Мать", "f", "alive", ""]]  # fmt: skip
    _, check = run_import(rows, headers=RELATIVE_HEADERS, kind="relatives", commit=True)
    assert [(p.row, p.column) for p in check.problems] == [(3, "relationship")]
    assert FamilyMember.objects.count() == 0


def test_tracing_requests_are_filed_and_queued_for_matching(run_import: Run) -> None:
    rows = [["t-1", "Хадижат Исаева", "grandmother", "2019-01-10", "Амина", "~6@2019-01-10",
             "Патимат"]]  # fmt: skip
    batch, check = run_import(rows, headers=REQUEST_HEADERS, kind="requests", commit=True)
    assert check.problems == [] and batch.created_count == 1
    request = TracingRequest.objects.get()
    assert request.sought.get().mother_names == "Патимат"
    assert MatchingWork.objects.filter(kind="sought").count() == 1
    rows[0][6] = "Патимат Исаева"
    batch, check = run_import(rows, headers=REQUEST_HEADERS, kind="requests", commit=True)
    assert batch.updated_count == 1
    assert TracingRequest.objects.get().sought.get().mother_names == "Патимат Исаева"
    duplicate = [["t-2", *rows[0][1:]]]
    _, check = run_import(duplicate, headers=REQUEST_HEADERS, kind="requests")
    assert check.problems[0].reason.startswith("Duplicate of an existing record: TR-")


def test_a_refusal_of_the_sought_person_is_reported_against_its_column(run_import: Run) -> None:
    # The tracing service names the sought person's field by attribute (within "sought").
    rows = [["t-1", "Хадижат Исаева", "grandmother", "2019-01-10", "Амина", "~6@2019-01-10",
             "Xадижат"]]  # fmt: skip
    _, check = run_import(rows, headers=REQUEST_HEADERS, kind="requests")
    assert [(p.row, p.column) for p in check.problems] == [(2, "mother_name")]
    assert "mixes letters" in check.problems[0].reason


def test_an_xlsx_file_with_kobo_headers_and_date_cells(
    tmp_path: Path, source: ImportSource, caseworker: User
) -> None:
    headers = ["_id", "group_child/name_ru", "group_child/gender", "group_child/dob",
               "_submission_time", "location/country"]  # fmt: skip
    rows = [["5001", "Зарема Курбанова", "female", date(2012, 5, 3),
             datetime(2018, 4, 1, 10, 30), "IQ"]]  # fmt: skip
    path = write_xlsx(tmp_path / "kobo.xlsx", headers, rows)
    mapping = {"external_id": "_id", "name_cyrillic": "group_child/name_ru",
               "sex": "group_child/gender", "birth": "group_child/dob",
               "identified_on": "_submission_time", "host_country": "location/country"}  # fmt: skip
    services.save_mapping(source, "children", mapping, {"nationality": "RU"}, by=caseworker)
    batch, check = services.import_file(
        str(path), source=source, kind="children", by=caseworker, write=True
    )
    assert check.problems == [] and batch.created_count == 1
    case = ChildCase.objects.get()
    assert case.child.birth_date == date(2012, 5, 3) and case.status_since == date(2018, 4, 1)


def test_the_command_checks_then_imports(tmp_path: Path, caseworker: User, capsys: Any) -> None:
    from homeward.imports.tests.conftest import CHILD_HEADERS, write_csv

    path = write_csv(tmp_path / "c.csv", CHILD_HEADERS, [AMINA, ZAREMA])
    call_command("import", str(path), "--source", "KoBo", "--user", "caseworker")
    assert "Dry run: nothing written" in capsys.readouterr().out
    assert ChildCase.objects.count() == 0
    call_command("import", str(path), "--source", "KoBo", "--user", "caseworker", "--commit")
    assert "2 created" in capsys.readouterr().out and ChildCase.objects.count() == 2
    bad = write_csv(tmp_path / "d.csv", CHILD_HEADERS, [[*AMINA[:-1], "2018-13-01"]])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import", str(bad), "--source", "KoBo", "--user", "caseworker", "--commit")
    assert "row 2, column “identified_on”: “2018-13-01” is an impossible date." in (
        capsys.readouterr().err
    )
