"""`homeward backup --to FOLDER`: back up the database, the stored files and (separately,
sealed with a passphrase) the keys, while Homeward runs. See homeward.operations.backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.lib.crypto import CryptoError
from homeward.lib.passphrase import PassphraseError
from homeward.operations.backup import BackupError, make_backup
from homeward.operations.passphrases import ENVIRONMENT, passphrase


class Command(BaseCommand):
    help = "Back up the database, the stored files and the keys (sealed with a passphrase)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, required=True, help="the folder to write it in")
        parser.add_argument(
            "--keys-to", type=Path,
            help="where to write the sealed keys (default: beside the backup, as .keys); keep "
            "them apart from the backup",
        )  # fmt: skip
        parser.add_argument(
            "--passphrase-file", type=Path, help=f"its first line (or set {ENVIRONMENT})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secret = passphrase(options["passphrase_file"], confirm=True)
        try:
            report = make_backup(
                options["to"], secret, keys_to=options["keys_to"], progress=self.stdout.write
            )
        except (BackupError, CryptoError, PassphraseError) as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Writing the backup failed: {error}") from None
        for name in report.missing_files:
            self.stderr.write(f"Missing before the backup: {name}")
        self.stdout.write(
            f"Backup written to {report.folder} ({report.files} files, {report.bytes:,} bytes "
            f"of files); keys sealed in {report.keys}. Keep the keys file and its passphrase "
            "apart from the backup."
        )
