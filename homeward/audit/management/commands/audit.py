"""`homeward audit verify`: prove the audit trail intact, or name the first broken entry.
`homeward audit protect --role NAME`: on PostgreSQL, let the application's role add audit
entries but never change or delete them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from homeward.audit.chain import HASHED_FIELDS, first_break
from homeward.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Check or protect the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="check the hash chain of every entry")
        protect = actions.add_parser("protect", help="PostgreSQL: make the trail append-only")
        protect.add_argument("--role", required=True, help="the role the application uses")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify()
        else:
            self._protect(options["role"])

    def _verify(self) -> None:
        checked, broken = first_break(_entries_in_order())
        if broken:
            raise CommandError(
                f"The audit trail is broken at {broken} ({checked} entries before it are intact)."
            )
        self.stdout.write(f"The audit trail is intact: {checked} entries.")

    def _protect(self, role: str) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "Only PostgreSQL has roles; on SQLite the hash chain shows any change."
            )
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        quoted_role = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"--role: there is no PostgreSQL role {role!r}.")
            cursor.execute(f"GRANT SELECT, INSERT ON {table} TO {quoted_role}")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted_role}")
        self.stdout.write(
            f"Role {role!r} may add and read audit entries, never change or delete them."
        )


def _entries_in_order(batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every entry, oldest first, a batch at a time (keyset pages: no long-lived cursor)."""
    columns = ["id", "prev_hash", "entry_hash", *HASHED_FIELDS]
    last_id = 0
    while True:
        rows = list(
            AuditEntry.objects.filter(id__gt=last_id).order_by("id").values(*columns)[:batch]
        )
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1]["id"]
