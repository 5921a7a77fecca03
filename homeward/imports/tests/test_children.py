"""Importing children: every problem by row and column, all or nothing, idempotent, and
changed rows updating their cases through the case services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from homeward.audit.models import AuditEntry
from homeward.cases.models import CaseNote, ChildCase
from homeward.cases.status import CaseStatus
from homeward.imports.models import BatchStatus, ImportedRecord
from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, MAGOMED, ZAREMA
from homeward.lib.ages import BirthPrecision
from homeward.tracing.models import MatchingWork

pytestmark = pytest.mark.django_db

Run = Callable[..., Any]


def problems_of(check: Any) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in check.problems}


def test_a_clean_file_registers_every_child_with_status_placement_and_audit(
    run_import: Run, caseworker: User
) -> None:
    batch, check = run_import([AMINA, ZAREMA, MAGOMED], commit=True)
    assert check.problems == []
    assert batch.status == BatchStatus.COMMITTED
    assert (batch.created_count, batch.updated_count) == (3, 0)
    amina = ChildCase.objects.get(child__names__full_name="Amina Isaeva")
    assert amina.reference == f"HW-{amina.pk:06d}"
    assert amina.status == CaseStatus.IDENTIFIED and amina.status_since == date(2018, 5, 2)
    assert amina.home_region == "RU-DA" and amina.registered_by == caseworker
    assert {n.script for n in amina.child.names.all()} == {"Latn", "Cyrl"}
    assert amina.child.names.get(is_preferred=True).full_name == "Amina Isaeva"
    assert amina.transitions.get().to_status == CaseStatus.IDENTIFIED
    assert amina.current_placement().facility_kind == "camp"  # type: ignore[union-attr]
    magomed = ChildCase.objects.get(child__names__full_name="Magomed Aliev")
    assert magomed.child.birth_precision == BirthPrecision.UNKNOWN
    assert magomed.current_placement().facility_kind == "unknown"  # type: ignore[union-attr]
    created = AuditEntry.objects.filter(action="case.created")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in ChildCase.objects.values_list("pk", flat=True)
    )
    assert AuditEntry.objects.filter(action="import.committed", object_id=str(batch.pk)).exists()
    assert MatchingWork.objects.filter(kind="case").count() == 3


def test_a_dry_run_writes_nothing_but_its_report(run_import: Run) -> None:
    batch, check = run_import([AMINA, ZAREMA])
    assert check.problems == [] and batch.status == BatchStatus.CHECKED
    assert batch.report["create"] == 2
    assert ChildCase.objects.count() == 0 and ImportedRecord.objects.count() == 0


def with_value(row: list[str], column: str, value: str) -> list[str]:
    changed = list(row)
    changed[CHILD_HEADERS.index(column)] = value
    return changed


def test_each_kind_of_problem_is_reported_with_its_row_and_column(
    run_import: Run, make_case: Callable[..., ChildCase]
) -> None:
    make_case()  # Амина Исаева, Amina Isaeva, born 2013, a girl
    rows = [
        with_value(ZAREMA, "home_region", "RU-XX"),  # row 2: unknown region code
        with_value(with_value(MAGOMED, "external_id", "k-4"), "identified_on", "2018-02-30"),
        with_value(with_value(ZAREMA, "external_id", "k-5"), "name_latin", "Зарема"),
        with_value(AMINA, "external_id", "k-6"),  # row 5: already registered
        with_value(with_value(ZAREMA, "external_id", "k-7"), "identified_on", ""),
        with_value(MAGOMED, "external_id", "k-4"),  # row 7: the id of row 3 again
        with_value(with_value(MAGOMED, "external_id", "k-8"), "birth", "2099-01-01"),
        with_value(with_value(MAGOMED, "external_id", "k-9"), "sex", "x"),
        with_value(with_value(MAGOMED, "external_id", "k-10"), "nationality", "XX"),
    ]
    _, check = run_import(rows)
    reasons = {(p.row, p.column): p.reason for p in check.problems}
    assert "not an ISO 3166-2 region code" in reasons[(2, "home_region")]
    assert reasons[(3, "identified_on")] == "“2018-02-30” is an impossible date."
    assert "is written in Cyrillic, not Latin" in reasons[(4, "name_latin")]
    assert reasons[(5, "name_latin")].startswith("Duplicate of an existing record: HW-")
    assert reasons[(6, "identified_on")] == "Missing required field: identified on."
    assert reasons[(7, "external_id")] == "Duplicate of row 3: the id “k-4” appears twice."
    assert reasons[(8, "birth")] == "The date of birth is in the future."
    assert reasons[(9, "sex")] == "Unknown sex “x”; write f, m or u."
    assert "not an ISO 3166-1 country code" in reasons[(10, "nationality")]
    assert len(check.problems) == 9


def test_two_rows_of_one_child_are_duplicates(run_import: Run) -> None:
    _, check = run_import([AMINA, with_value(AMINA, "external_id", "k-9")])
    assert [(p.row, p.column) for p in check.problems] == [(3, "name_latin")]
    assert check.problems[0].reason.startswith("Duplicate of an existing record: row 2")


def test_nothing_is_committed_when_any_row_fails(run_import: Run) -> None:
    audit_before = AuditEntry.objects.count()
    batch, check = run_import(
        [AMINA, ZAREMA, with_value(MAGOMED, "host_country", "ZZ")], commit=True
    )
    assert problems_of(check) == {(4, "host_country")}
    assert batch.status == BatchStatus.CHECKED and batch.created_count == 0
    assert ChildCase.objects.count() == 0 and ImportedRecord.objects.count() == 0
    actions = set(AuditEntry.objects.order_by("id")[audit_before:].values_list("action", flat=True))
    assert actions == {"import.uploaded"}


def test_a_required_field_nobody_mapped_is_one_problem_not_one_per_row(run_import: Run) -> None:
    headers = [h for h in CHILD_HEADERS if h != "host_country"]
    rows = [[v for h, v in zip(CHILD_HEADERS, row, strict=True) if h != "host_country"]
            for row in (AMINA, ZAREMA)]  # fmt: skip
    _, check = run_import(rows, headers=headers)
    assert [(p.row, p.reason) for p in check.problems] == [
        (1, "No column is mapped to “Country where the child is (ISO code, e.g. IQ)” "
            "and it has no default.")
    ]  # fmt: skip


def test_importing_the_same_file_again_changes_nothing(run_import: Run) -> None:
    run_import([AMINA, ZAREMA, MAGOMED], commit=True)
    cases = list(ChildCase.objects.values_list("pk", "updated_at"))
    audit = AuditEntry.objects.exclude(action__startswith="import.").count()
    batch, check = run_import([AMINA, ZAREMA, MAGOMED], commit=True)
    assert check.problems == []
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 3)
    assert list(ChildCase.objects.values_list("pk", "updated_at")) == cases
    assert AuditEntry.objects.exclude(action__startswith="import.").count() == audit
    assert CaseNote.objects.count() == 0


def test_a_changed_row_updates_its_case_with_history(run_import: Run) -> None:
    run_import([AMINA, ZAREMA], commit=True)
    amina = ChildCase.objects.get(child__names__full_name="Amina Isaeva")
    changed = with_value(with_value(AMINA, "birth", "2013-04-03"), "name_latin", "Aminat Isaeva")
    batch, check = run_import([changed, ZAREMA], commit=True)
    assert check.problems == []
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    amina.refresh_from_db()
    child = amina.child
    assert child.birth_date == date(2013, 4, 3)
    assert {n.full_name for n in child.names.all()} == {"Aminat Isaeva", "Амина Исаева"}
    actions = AuditEntry.objects.filter(object_id=str(amina.pk)).values_list("action", flat=True)
    assert {"case.identity_changed", "case.names_changed", "case.note_added"} <= set(actions)
    identity = AuditEntry.objects.get(action="case.identity_changed", object_id=str(amina.pk))
    assert identity.changed_fields == ["birth"]
    note = amina.notes.get()
    assert "row 2, id k-1" in note.text and "names, identity" in note.text
    record = ImportedRecord.objects.get(external_id="k-1")
    assert record.object_id == amina.pk and record.last_batch == batch


def test_a_row_can_update_an_existing_case_by_its_reference(
    run_import: Run, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    headers = [*CHILD_HEADERS, "case_reference"]
    batch, check = run_import([[*with_value(AMINA, "home_region", "RU-CE"), case.reference]],
                              headers=headers, commit=True)  # fmt: skip
    assert check.problems == [] and batch.updated_count == 1
    case.refresh_from_db()
    assert case.home_region == "RU-CE" and ChildCase.objects.count() == 1
    # Names from other sources stay; this source's spellings are added.
    assert case.child.names.filter(full_name="أمينة عيسى").exists()


def test_a_change_the_case_services_refuse_is_reported_in_the_dry_run(run_import: Run) -> None:
    headers = [*CHILD_HEADERS, "placed_since"]
    run_import([[*AMINA, "2018-05-02"]], headers=headers, commit=True)
    earlier = [*with_value(AMINA, "facility_kind", "hospital"), "2018-01-01"]
    _batch, check = run_import([earlier], headers=headers)
    assert [(p.row, p.column) for p in check.problems] == [(2, "placed_since")]
    assert "cannot begin earlier" in check.problems[0].reason
    assert ChildCase.objects.get().current_placement().facility_kind == "camp"  # type: ignore[union-attr]


def test_a_dry_run_of_an_accepted_change_is_rolled_back(run_import: Run) -> None:
    headers = [*CHILD_HEADERS, "placed_since"]
    run_import([[*AMINA, "2018-05-02"]], headers=headers, commit=True)
    later = [*with_value(AMINA, "facility_kind", "hospital"), "2018-09-01"]
    _batch, check = run_import([later], headers=headers)
    assert check.problems == []
    assert ChildCase.objects.get().current_placement().facility_kind == "camp"  # type: ignore[union-attr]


def test_only_case_writers_import(run_import: Run, analyst: User) -> None:
    from homeward.imports.services import ImportRefused

    with pytest.raises(ImportRefused, match="Only case staff"):
        run_import([AMINA], by=analyst)


def test_another_agencys_source_is_refused(run_import: Run, outsider: User) -> None:
    from homeward.imports.services import ImportRefused

    with pytest.raises(ImportRefused, match="another agency"):
        run_import([AMINA], by=outsider, commit=True)
    assert ChildCase.objects.count() == 0
