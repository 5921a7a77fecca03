"""`homeward audit verify`: prove the audit trail intact against its key and its last
anchor, or name the first broken entry; an intact trail is anchored again.
`homeward audit anchor`: the same, for a periodic job (cron, a systemd timer).
`homeward audit init-key`: make the chain's key (production settings never make it).
`homeward audit protect --role NAME`: on PostgreSQL, let the application's role add audit
entries but never change or delete them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from homeward.audit.keys import create_key, key_file
from homeward.audit.models import AuditEntry
from homeward.audit.verification import anchor_file, verify_trail


class Command(BaseCommand):
    help = "Check, anchor, key or protect the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="check the chain against its key and last anchor")
        actions.add_parser("anchor", help="verify, then append the head to the anchor file")
        actions.add_parser("init-key", help="make the chain's key (once)")
        protect = actions.add_parser("protect", help="PostgreSQL: make the trail append-only")
        protect.add_argument("--role", required=True, help="the role the application uses")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in ("verify", "anchor"):
            self._verify(action)
        elif action == "init-key":
            self._init_key()
        else:
            self._protect(options["role"])

    def _verify(self, action: str) -> None:
        result = verify_trail()
        if result.broken:
            raise CommandError(
                f"The audit trail is broken at {result.broken} ({result.checked} entries "
                "before it are intact)."
            )
        if result.anchor_problem:
            raise CommandError(
                f"The audit trail does not match its anchor: {result.anchor_problem}."
            )
        if action == "anchor":
            self.stdout.write(
                f"Anchored {result.checked} entries (head {result.head[:16]}…) in {anchor_file()}."
            )
        else:
            self.stdout.write(f"The audit trail is intact: {result.checked} entries.")

    def _init_key(self) -> None:
        path = key_file()
        if path.exists():
            raise CommandError(f"The audit key already exists at {path}; it is never replaced.")
        from homeward.audit.services import _lock_chain

        with transaction.atomic():
            _lock_chain()
            key = create_key(path)
        self.stdout.write(
            f"Made the audit key at {path}; {key.legacy_entries} entries written before it "
            "keep their plain hashes, pinned by the key file. Keep it out of database backups."
        )
        if not settings.PRODUCTION:
            self.stdout.write("(Outside production it is made by itself on first use.)")

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
