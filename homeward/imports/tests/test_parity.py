"""A child imported in bulk is written exactly as `cases.services.register_child` writes
them: every column of every row the registration makes, compared with `.values()`.

Left out of the comparison, because they differ between any two registrations:
- ids, and the columns that point at the child's own rows (`person_id`, `case_id`,
  `child_id`, and `object_id` of the matching work and the audit entry);
- the case's `reference`, made of its id (checked to be `HW-<id>` on both);
- the time a row was written (`created_at`, `updated_at`, `registered_at`, `queued_at`,
  `recorded_at`, the audit entry's `at`) and the audit chain's `prev_hash`, `entry_hash`;
- `import_batch_id`, which only an imported case has (checked to be the batch's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model, QuerySet

from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase, FamilyMember, Placement, StatusTransition
from homeward.cases.services import RelativeInput, add_family_member, register_child
from homeward.imports.committing import create_relatives
from homeward.imports.rows import RowPlan
from homeward.imports.tests.conftest import AMINA, MAGOMED, ZAREMA
from homeward.imports.tests.test_kinds import RELATIVE_HEADERS, REQUEST_HEADERS
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.lib.crypto import is_token
from homeward.people.models import NameKey, Person, PersonName
from homeward.people.services import NameInput
from homeward.statistics.models import CaseSpell
from homeward.tracing.models import MatchingWork, SoughtPerson, TracingRequest
from homeward.tracing.services import file_request

pytestmark = pytest.mark.django_db

SAID = ["k-4", "Said Aliev", "Саид Алиев", "", "m", "2014-03", "RU", "RU-DA", "IQ", "camp",
        "2018-06-01"]  # fmt: skip

EXCEPTED = {
    "id", "person_id", "case_id", "child_id", "object_id", "reference", "import_batch_id",
    "created_at", "updated_at", "registered_at", "queued_at", "recorded_at", "at",
    "prev_hash", "entry_hash",
}  # fmt: skip


def columns(rows: QuerySet[Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in EXCEPTED} for row in rows.values()]


def rows_of(case: ChildCase) -> dict[str, list[dict[str, Any]]]:
    """Every row registering `case` wrote, by table, each row's compared columns."""
    person = case.child_id
    of: dict[type[Model], QuerySet[Any]] = {
        Person: Person.objects.filter(pk=person),
        PersonName: PersonName.objects.filter(person=person).order_by("id"),
        NameKey: NameKey.objects.filter(person=person).order_by("key"),
        ChildCase: ChildCase.every.filter(pk=case.pk),
        StatusTransition: StatusTransition.objects.filter(case=case).order_by("id"),
        Placement: Placement.objects.filter(case=case).order_by("id"),
        CaseSpell: CaseSpell.objects.filter(case=case).order_by("id"),
        MatchingWork: MatchingWork.objects.filter(kind="case", object_id=case.pk),
        AuditEntry: AuditEntry.objects.filter(
            object_type="cases.childcase", object_id=str(case.pk)
        ).order_by("id"),
    }
    return {model.__name__: columns(rows) for model, rows in of.items()}


def test_an_imported_child_has_every_column_a_registered_one_has(
    run_import: Callable[..., Any], caseworker: User
) -> None:
    # Births to the day, the year, the month, and unknown.
    batch, check = run_import([AMINA, ZAREMA, SAID, MAGOMED], commit=True)
    assert check.problems == [] and len(check.plans) == 4
    imported = list(ChildCase.every.filter(import_batch=batch).order_by("pk"))
    agency = caseworker.staff_profile.agency  # type: ignore[attr-defined]
    registered = [register_child(p.data, agency=agency, by=caseworker) for p in check.plans]
    assert len(imported) == 4
    for bulk, one in zip(imported, registered, strict=True):
        assert (bulk.reference, one.reference) == (f"HW-{bulk.pk:06d}", f"HW-{one.pk:06d}")
        assert bulk.import_batch_id == batch.pk and one.import_batch_id is None
        written = rows_of(one)
        assert all(written.values()), written  # each table has the child's rows
        got = rows_of(bulk)
        assert {k: (got[k], v) for k, v in written.items() if got[k] != v} == {}


def family_rows_of(member: FamilyMember) -> dict[str, list[dict[str, Any]]]:
    """Every row linking `member` wrote, by table, each row's compared columns; the
    restricted fields read through the row (their ciphertexts differ by nonce and row)."""
    person = member.person_id
    of: dict[type[Model], QuerySet[Any]] = {
        Person: Person.objects.filter(pk=person),
        PersonName: PersonName.objects.filter(person=person).order_by("id"),
        NameKey: NameKey.objects.filter(person=person).order_by("key"),
        FamilyMember: FamilyMember.objects.filter(pk=member.pk),
    }
    written = {model.__name__: columns(rows) for model, rows in of.items()}
    fresh = FamilyMember.objects.get(pk=member.pk)
    written["restricted"] = [{"conviction": fresh.conviction, "sentence": fresh.sentence}]
    for row in written["FamilyMember"]:
        del row["conviction"], row["sentence"]
    return written


def changes_of(case: ChildCase) -> list[dict[str, Any]]:
    """The family's audit entries and matching work for `case`, compared columns only."""
    entries = AuditEntry.objects.filter(
        object_type="cases.childcase", object_id=str(case.pk), action="case.family_changed"
    )
    work = MatchingWork.objects.filter(kind="case", object_id=case.pk)
    return [*columns(entries.order_by("id")), *columns(work.order_by("id"))]


def test_imported_relatives_have_every_column_linked_ones_have(
    run_import: Callable[..., Any], caseworker: User
) -> None:
    _, children = run_import([AMINA, ZAREMA], commit=True)
    cases = list(ChildCase.objects.order_by("pk"))
    MatchingWork.objects.all().delete()
    rows = [["r-1", "k-1", "mother", "Патимат Исаева", "f", "detained", ""],
            ["r-2", "k-1", "grandmother", "Хадижат Исаева", "f", "alive", "Махачкала "],
            ["r-3", "k-2", "father", "Магомед Курбанов", "m", "unknown", ""]]  # fmt: skip
    batch, check = run_import(rows, headers=RELATIVE_HEADERS, kind="relatives", commit=True)
    assert check.problems == [] and batch.created_count == 3
    imported = list(FamilyMember.objects.order_by("pk"))
    changes = [changes_of(case) for case in cases]
    # The same relatives linked one at a time, to the same children registered again.
    agency = caseworker.staff_profile.agency  # type: ignore[attr-defined]
    twins = {
        case.pk: register_child(plan.data, agency=agency, by=caseworker)
        for case, plan in zip(cases, children.plans, strict=True)
    }
    MatchingWork.objects.all().delete()
    linked = [
        add_family_member(twins[plan.data[0]], plan.data[1], by=caseworker) for plan in check.plans
    ]
    for bulk, one in zip(imported, linked, strict=True):
        written = family_rows_of(one)
        assert all(written.values()), written
        got = family_rows_of(bulk)
        assert {k: (got[k], v) for k, v in written.items() if got[k] != v} == {}
    assert changes == [changes_of(twins[case.pk]) for case in cases]
    assert [len(c) for c in changes] == [4, 2]  # an entry and a matching run per relative


def test_a_relatives_restricted_fields_are_encrypted_for_their_row_in_bulk(
    run_import: Callable[..., Any], caseworker: User
) -> None:
    run_import([AMINA, ZAREMA], commit=True)
    cases = list(ChildCase.objects.order_by("pk"))
    mother = RelativeInput(
        "mother", [NameInput("Патимат Исаева", "consular")], "f", BirthDate(BirthPrecision.UNKNOWN),
        status="detained", conviction="Article 208 (test)", sentence="8 years (test)",
    )  # fmt: skip
    plans = [RowPlan(n, f"r-{n}", "", "create", (case.pk, mother)) for n, case in enumerate(cases)]
    with transaction.atomic():
        ids = create_relatives(plans, by=caseworker)
    members = FamilyMember.objects.filter(pk__in=ids).order_by("pk")
    assert [(m.conviction, m.sentence) for m in members] == [
        ("Article 208 (test)", "8 years (test)")
    ] * 2
    raw: Any = FamilyMember.objects.filter(pk__in=ids).values_list("conviction", flat=True)
    assert all(is_token(sealed.token) and "208" not in sealed.token for sealed in raw)


def request_rows_of(request: TracingRequest) -> dict[str, list[dict[str, Any]]]:
    """Every row filing `request` wrote, by table, each row's compared columns (besides
    the excepted ones: the request's own ids, `enquirer_id`, `request_id`, `filed_at`)."""
    sought = request.sought.order_by("id")
    people = [request.enquirer_id, *sought.values_list("person_id", flat=True)]
    of: dict[type[Model], list[QuerySet[Any]]] = {
        TracingRequest: [TracingRequest.objects.filter(pk=request.pk)],
        SoughtPerson: [sought],
        Person: [Person.objects.filter(pk=pk) for pk in people],
        PersonName: [PersonName.objects.filter(person=pk).order_by("id") for pk in people],
        NameKey: [NameKey.objects.filter(person=pk).order_by("key") for pk in people],
        MatchingWork: [
            MatchingWork.objects.filter(kind="sought", object_id__in=sought.values("pk"))
        ],
        AuditEntry: [
            AuditEntry.objects.filter(
                object_type="tracing.tracingrequest", object_id=str(request.pk)
            )
        ],
    }
    mine = {"enquirer_id", "request_id", "filed_at"}
    return {
        model.__name__: [
            {k: v for k, v in row.items() if k not in mine}
            for rows in querysets
            for row in columns(rows)
        ]
        for model, querysets in of.items()
    }


def test_imported_tracing_requests_have_every_column_filed_ones_have(
    run_import: Callable[..., Any], caseworker: User
) -> None:
    headers = [*REQUEST_HEADERS, "sought_sex", "sought_kind", "enquirer_place", "story"]
    rows = [["t-1", "Хадижат Исаева", "grandmother", "2019-01-10", "Амина", "~6@2019-01-10",
             "Патимат", "f", "child", " Махачкала ", "Left in 2015."],
            ["t-2", "Заур Алиев", "father", "2019-02-01", "", "", "Патимат Алиева", "", "mother",
             "", ""]]  # fmt: skip
    batch, check = run_import(rows, headers=headers, kind="requests", commit=True)
    assert check.problems == [] and batch.created_count == 2
    imported = list(TracingRequest.objects.order_by("pk"))
    agency = caseworker.staff_profile.agency  # type: ignore[attr-defined]
    filed = [file_request(plan.data, agency=agency, by=caseworker) for plan in check.plans]
    for bulk, one in zip(imported, filed, strict=True):
        assert (bulk.reference, one.reference) == (f"TR-{bulk.pk:06d}", f"TR-{one.pk:06d}")
        written = request_rows_of(one)
        assert all(written.values()), written
        got = request_rows_of(bulk)
        assert {k: (got[k], v) for k, v in written.items() if got[k] != v} == {}
