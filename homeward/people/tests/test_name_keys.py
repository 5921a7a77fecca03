"""Every path that writes or removes names keeps the people's name keys right (issue 17):
registration, relatives, name changes, tracing requests, imports (bulk and changed rows),
merges and their undo, a name saved or deleted alone; the backfill migration and the
rebuild command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from homeward.cases.merging import merge_cases, undo_merge
from homeward.cases.models import ChildCase
from homeward.cases.services import (
    NameInput,
    RelativeInput,
    add_family_member,
    replace_names,
    update_family_member,
)
from homeward.imports.tests.conftest import AMINA, MAGOMED, run_import, source  # noqa: F401
from homeward.imports.tests.test_kinds import RELATIVE_HEADERS, REQUEST_HEADERS
from homeward.matching.name_keys import name_keys
from homeward.people.models import NameKey, Person, PersonName
from homeward.tracing.services import RequestInput, SoughtInput, file_request, update_sought

pytestmark = pytest.mark.django_db


def assert_keys_right() -> None:
    """Every person's stored keys are those of their names as they are now."""
    people = Person.objects.prefetch_related("names", "name_keys")
    for person in people:
        stored = sorted(key.key for key in person.name_keys.all())
        assert stored == name_keys([n.full_name for n in person.names.all()]), person.pk


def keys_of(person: Person) -> set[str]:
    return set(person.name_keys.values_list("key", flat=True))


def test_registration_stores_the_keys_of_the_child_and_the_relatives(
    make_case: Callable[..., ChildCase],
) -> None:
    mother = RelativeInput("mother", [NameInput("Хадижат Саидова", "family")])
    case = make_case(relatives=[mother])
    assert "p:mn+sb" in keys_of(case.child)  # Amina Isaeva
    assert "p:hdj+sdb" in keys_of(case.family.get().person)
    assert_keys_right()


def test_a_name_change_replaces_the_keys(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    replace_names(case.child, [NameInput("Юсуп Ахмедов", "consular")], by=caseworker, case=case)
    assert "p:hmdb+sb" in keys_of(case.child) and "p:mn+sb" not in keys_of(case.child)
    assert_keys_right()


def test_a_relative_added_and_changed_keeps_the_keys(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    aunt = RelativeInput("aunt", [NameInput("Патимат Алиева", "family")])
    member = add_family_member(case, aunt, by=caseworker)
    assert_keys_right()
    renamed = RelativeInput("aunt", [NameInput("Зарема Курбанова", "family")])
    update_family_member(member, renamed, by=caseworker)
    assert "p:krbnb+srm" in keys_of(member.person)
    assert_keys_right()


def test_filing_and_changing_a_tracing_request_keeps_the_keys(
    agency: Any, caseworker: User
) -> None:
    sought = SoughtInput("child", [NameInput("Амина Исаева", "family")], sex="f")
    data = RequestInput(
        [NameInput("Патимат Исаева", "family")], "grandmother", date(2019, 1, 10), [sought]
    )
    request = file_request(data, agency=agency, by=caseworker)
    assert "p:btm+sb" in keys_of(request.enquirer)
    assert_keys_right()
    changed = SoughtInput("child", [NameInput("Aminat Isaeva Magomedovna", "family")], sex="f")
    update_sought(request.sought.get(), changed, by=caseworker)
    assert_keys_right()


def test_an_import_writes_the_keys_in_bulk_and_a_changed_row_replaces_them(
    run_import: Any,  # noqa: F811
) -> None:
    run_import([AMINA, MAGOMED], commit=True)
    magomed = Person.objects.get(names__full_name="Magomed Aliev")
    assert "p:lb+mhmd" in keys_of(magomed)
    assert_keys_right()
    renamed = [*MAGOMED]
    renamed[1] = "Magomed Dadaev"
    run_import([AMINA, renamed], commit=True)
    assert "p:db+mhmd" in keys_of(magomed)
    assert_keys_right()


def test_imported_relatives_and_tracing_requests_and_their_changes_keep_the_keys(
    run_import: Any,  # noqa: F811
) -> None:
    run_import([AMINA], commit=True)
    relatives = [["r-1", "k-1", "mother", "Патимат Исаева", "f", "detained", ""]]
    run_import(relatives, headers=RELATIVE_HEADERS, kind="relatives", commit=True)
    requests = [["t-1", "Хадижат Исаева", "grandmother", "2019-01-10", "Амина Исаева", "", ""]]
    run_import(requests, headers=REQUEST_HEADERS, kind="requests", commit=True)
    assert_keys_right()
    relatives[0][3] = "Патимат Алиева"
    requests[0][1] = "Хадижат Саидова"
    run_import(relatives, headers=RELATIVE_HEADERS, kind="relatives", commit=True)
    run_import(requests, headers=REQUEST_HEADERS, kind="requests", commit=True)
    assert NameKey.objects.filter(key="p:hdj+sdb").exists()
    assert NameKey.objects.filter(key="p:btm+lb").exists()
    assert_keys_right()


def test_a_merge_gives_the_kept_child_the_keys_of_both_and_its_undo_takes_them_back(
    make_case: Callable[..., ChildCase], supervisor: User
) -> None:
    kept = make_case()
    merged = make_case(names=[NameInput("Хадижат Саидова", "consular")])
    merge = merge_cases(kept, merged, reason="Same child", by=supervisor)
    assert "p:hdj+sdb" in keys_of(kept.child)
    assert_keys_right()
    undo_merge(merge, by=supervisor)
    assert "p:hdj+sdb" not in keys_of(kept.child)
    assert_keys_right()


def test_a_name_saved_or_deleted_alone_keeps_the_keys(make_case: Callable[..., ChildCase]) -> None:
    child = make_case().child
    added = PersonName.objects.create(person=child, full_name="Юсуп Ахмедов", source="other")
    assert "p:hmdb+sb" in keys_of(child)
    added.delete()
    assert "p:hmdb+sb" not in keys_of(child)
    assert_keys_right()


def test_the_rebuild_command_stores_every_persons_keys_anew(
    make_case: Callable[..., ChildCase],
) -> None:
    make_case()
    make_case(names=[NameInput("Юсуп Ахмедов", "consular")])
    NameKey.objects.all().delete()
    NameKey.objects.create(person=Person.objects.first(), key="w:stale")
    out = StringIO()
    call_command("index_names", stdout=out)
    assert "of 2 people" in out.getvalue()
    assert_keys_right()


@pytest.mark.django_db(transaction=True)
def test_the_backfill_migration_stores_the_keys_and_its_reverse_removes_them(
    make_case: Callable[..., ChildCase],
) -> None:
    make_case()
    make_case(names=[NameInput("حسين سعيد الديواني", "host_authority")])
    NameKey.objects.all().delete()  # as before the migration
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0002_name_keys")])
    assert NameKey.objects.count() == 0
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0003_fill_name_keys")])
    assert NameKey.objects.filter(key="p:dn+hsn").exists()
    assert_keys_right()
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0002_name_keys")])
    assert NameKey.objects.count() == 0
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
