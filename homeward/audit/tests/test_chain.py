"""The audit trail is a hash chain: any edit or deletion is found and named."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from homeward.audit.chain import GENESIS
from homeward.audit.models import AuditEntry
from homeward.audit.services import record

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def trail(caseworker: User) -> list[AuditEntry]:
    return [record(f"test.step_{n}", actor=caseworker, fields=["status"]) for n in range(5)]


def test_each_entry_links_to_the_one_before(trail: list[AuditEntry]) -> None:
    assert trail[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(trail):
        assert after.prev_hash == before.entry_hash
    assert len({entry.entry_hash for entry in trail}) == 5


def test_an_untouched_trail_verifies(trail: list[AuditEntry]) -> None:
    assert verify() == "The audit trail is intact: 5 entries.\n"


def test_an_empty_trail_verifies(db: None) -> None:
    assert "intact: 0 entries" in verify()


@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "test.innocent"), ("actor_name", "someone_else"), ("object_id", "999"),
     ("changed_fields", ["nothing"]), ("ip", "10.0.0.1")],
)  # fmt: skip
def test_editing_any_entry_is_found_and_that_entry_is_named(
    trail: list[AuditEntry], column: str, value: object
) -> None:
    AuditEntry.objects.filter(pk=trail[2].pk).update(**{column: value})
    with pytest.raises(CommandError) as broken:
        verify()
    assert f"broken at entry {trail[2].pk}: its content was changed" in str(broken.value)
    assert "2 entries before it are intact" in str(broken.value)


def test_deleting_an_entry_is_found_at_the_entry_after_it(trail: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=trail[1].pk).delete()
    with pytest.raises(CommandError, match=f"entry {trail[2].pk}: does not follow"):
        verify()


def test_rewriting_an_entry_and_its_hash_is_found_at_the_next(trail: list[AuditEntry]) -> None:
    from homeward.audit.chain import entry_hash
    from homeward.audit.keys import chain_key
    from homeward.audit.services import _content

    forged = trail[1]
    forged.action = "test.forged"
    rehashed = entry_hash(forged.prev_hash, _content(forged), chain_key().secret)
    AuditEntry.objects.filter(pk=forged.pk).update(action="test.forged", entry_hash=rehashed)
    with pytest.raises(CommandError, match=f"entry {trail[2].pk}: does not follow"):
        verify()


def test_an_entry_records_who_what_which_and_from_where(caseworker: User, client: object) -> None:
    from homeward.audit.context import client_ip

    token = client_ip.set("192.0.2.7")
    try:
        entry = record("case.viewed", actor=caseworker, target=caseworker.staff_profile)
    finally:
        client_ip.reset(token)
    entry.refresh_from_db()
    assert (entry.actor_name, entry.role, entry.agency_name) == (
        "caseworker", "caseworker", "Consular Section (test)",
    )  # fmt: skip
    assert (entry.object_type, entry.object_id, entry.ip) == (
        "accounts.staffprofile", str(caseworker.staff_profile.pk), "192.0.2.7",
    )  # fmt: skip
    assert "intact: 1 entries" in verify()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles exist only on PostgreSQL")
def test_on_postgresql_the_application_role_cannot_change_or_delete_entries(
    trail: list[AuditEntry],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS homeward_app_test")
        cursor.execute("CREATE ROLE homeward_app_test")
    call_command("audit", "protect", "--role", "homeward_app_test", stdout=StringIO())
    table = AuditEntry._meta.db_table
    # The table name comes from the model, not from input.
    statements = [f"UPDATE {table} SET action = 'x'", f"DELETE FROM {table}"]  # nosec B608
    for statement in statements:
        with (
            pytest.raises(Exception, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL ROLE homeward_app_test")
            cursor.execute(statement)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE homeward_app_test")
        cursor.execute(f"SELECT count(*) FROM {table}")  # nosec B608
        assert cursor.fetchone()[0] == 5


def test_protect_explains_itself_on_sqlite(db: None) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match="no PostgreSQL role 'nobody_here'"):
            call_command("audit", "protect", "--role", "nobody_here")
    else:
        with pytest.raises(CommandError, match="Only PostgreSQL has roles"):
            call_command("audit", "protect", "--role", "app")
