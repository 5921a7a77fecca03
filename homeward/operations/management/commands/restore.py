"""`homeward restore BACKUP [--keys FILE]`: restore a backup into this (empty) installation
and verify it: integrity, audit chain, every encrypted value and file decrypts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.operations.passphrases import ENVIRONMENT, passphrase
from homeward.operations.restore import RestoreError, default_keys_path, restore_backup

PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = "Restore a backup into an empty installation and prove it whole."
    requires_system_checks: list[str] = []  # nothing may open the database before the copy

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup folder")
        parser.add_argument("--keys", type=Path, help="its sealed keys (default: BACKUP.keys)")
        parser.add_argument(
            "--passphrase-file", type=Path, help=f"its first line (or set {ENVIRONMENT})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backup = options["backup"]
        keys = options["keys"] or default_keys_path(backup)
        secret = passphrase(options["passphrase_file"], confirm=False)
        try:
            report = restore_backup(backup, keys, secret, progress=self.stdout.write)
        except RestoreError as error:
            raise CommandError(f"Nothing was restored: {error}") from None
        for problem in report.problems[:PROBLEMS_SHOWN]:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                f"The restore is NOT usable: {len(report.problems)} problems (listed above)."
            )
        audit = report.audit[:1].lower() + report.audit[1:]
        self.stdout.write(
            f"Restored and verified: database integrity ok; {audit} {report.values} encrypted "
            f"values and {report.files} stored files decrypt."
        )
