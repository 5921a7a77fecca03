"""Names stored before `clean_name` guarded every way in (issue 14, item 7, left out then)
are cleaned by the migration people.0004 and by `homeward clean_names`: invisible and
control characters dropped, letters composed, search keys and name keys rebuilt, matching
queued again, one audit entry a row, and the audit trail still verifies."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from homeward.audit.models import AuditEntry
from homeward.audit.verification import verify_trail
from homeward.cases.models import ChildCase
from homeward.cases.queries import search
from homeward.cases.services import NameInput
from homeward.lib.scripts import search_key
from homeward.people.cleaning import clean_stored_names
from homeward.people.models import NameKey, PersonName
from homeward.people.name_keys import index_names, key_rows
from homeward.tracing import services as tracing
from homeward.tracing.models import MatchingWork, SoughtPerson
from homeward.tracing.services import RequestInput, SoughtInput

DIRTY = {
    "Ami\u200dna Sai\u200bdova": "Amina Saidova",
    "\u202eZarema Kurbanova": "Zarema Kurbanova",
    "Mag\x1bomed\x07 Aliev": "Magomed Aliev",
    unicodedata.normalize("NFD", "Зайнаб Алиева"): "Зайнаб Алиева",  # й, decomposed
}


def stored_as(case: ChildCase, dirty: str) -> PersonName:
    """What a form let in before clean_name existed (save() would clean nothing of it)."""
    name = case.child.names.get()
    PersonName.objects.filter(pk=name.pk).update(full_name=dirty, search_key=search_key(dirty))
    index_names([name.person_id])
    return name


def dirty_cases(make_case: Callable[..., ChildCase]) -> dict[int, str]:
    names = {}
    for dirty, clean in DIRTY.items():
        case = make_case(names=[NameInput(clean, "consular")])
        names[stored_as(case, dirty).pk] = clean
    return names


@pytest.mark.django_db
def test_stored_names_are_cleaned_found_again_and_audited(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    expected = dirty_cases(make_case)
    MatchingWork.objects.all().delete()

    done = clean_stored_names()

    assert (done.names, done.duplicates, done.left) == (len(DIRTY), 0, [])
    for pk, clean in expected.items():
        name = PersonName.objects.get(pk=pk)
        assert (name.full_name, name.search_key) == (clean, search_key(clean))
        keys = set(NameKey.objects.filter(person=name.person).values_list("key", flat=True))
        assert keys == {row["key"] for row in key_rows(name.person_id, [clean])}
    assert search(ChildCase.objects.all(), "Amina Saidova").count() == 1
    assert MatchingWork.objects.filter(kind="case").count() == len(DIRTY)
    cleaned = AuditEntry.objects.filter(action="people.name_cleaned")
    assert sorted(int(pk) for pk in cleaned.values_list("object_id", flat=True)) == sorted(expected)
    assert not any(clean in str(entry.__dict__) for entry in cleaned for clean in DIRTY.values())
    assert verify_trail(write_anchor=False).broken is None
    assert clean_stored_names().names == 0  # a second run finds nothing to do


@pytest.mark.django_db
def test_a_spelling_that_becomes_one_the_person_has_is_removed_and_keeps_preferred(
    make_case: Callable[..., ChildCase],
) -> None:
    case = make_case(
        names=[
            NameInput("Amina Saidova2", "consular", is_preferred=True),
            NameInput("Amina Saidova", "consular"),
        ]
    )
    first, second = case.child.names.order_by("pk")
    assert first.is_preferred
    PersonName.objects.filter(pk=first.pk).update(full_name="Amina Sa\u200bidova")
    done = clean_stored_names()
    assert (done.names, done.duplicates) == (0, 1)
    (kept,) = case.child.names.all()
    assert (kept.pk, kept.full_name, kept.is_preferred) == (second.pk, "Amina Saidova", True)
    assert AuditEntry.objects.filter(
        action="people.duplicate_name_removed", object_id=str(first.pk)
    ).exists()


@pytest.mark.django_db
def test_the_parents_names_of_a_sought_person_are_cleaned(caseworker: User) -> None:
    request = tracing.file_request(
        RequestInput(
            enquirer_names=[NameInput("Patimat Isaeva", "family")],
            enquirer_relationship="grandmother", filed_on=date(2019, 1, 10),
            sought=[SoughtInput("child", names=[NameInput("Amina Isaeva", "family")],
                                mother_names=["Madina Isaeva"])],
        ),
        agency=caseworker.staff_profile.agency, by=caseworker,
    )  # fmt: skip
    sought = request.sought.get()
    SoughtPerson.objects.filter(pk=sought.pk).update(mother_names="Madi\u200bna Isaeva | Мадина")
    assert clean_stored_names().parents == 1
    sought.refresh_from_db()
    assert sought.mother_names == "Madina Isaeva | Мадина"
    assert search_key("Madina Isaeva") in sought.parents_search_key


# The migration runs the same function: migrated back (a no-op) and forward again, it
# cleans what was stored. Migrating needs no wrapping transaction on SQLite.
@pytest.mark.django_db(transaction=True)
def test_the_migration_cleans_what_was_stored(make_case: Callable[..., ChildCase]) -> None:
    expected = dirty_cases(make_case)
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0003_fill_name_keys")])
    assert PersonName.objects.filter(full_name__in=expected.values()).count() == 0
    call_command("migrate", "people", "0004_clean_stored_names", verbosity=0)
    assert {pk: PersonName.objects.get(pk=pk).full_name for pk in expected} == expected
    assert AuditEntry.objects.filter(action="people.name_cleaned").count() == len(DIRTY)


@pytest.mark.django_db
def test_the_command_says_what_it_did(make_case: Callable[..., ChildCase], capsys: object) -> None:
    dirty_cases(make_case)
    call_command("clean_names")
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert f"Cleaned {len(DIRTY)} spellings" in out
