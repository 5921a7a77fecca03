"""`homeward rotate-keys`: add a new key version and re-encrypt every restricted value and
every stored file (attachments, import and export files) with it, each bound to its row.
Old versions stay in the key file so that a backup taken before the rotation can still be
read. Safe to interrupt: run it again and it goes on where it stopped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from homeward.lib.crypto import CryptoError
from homeward.protection.rotation import rotate_keys

DAMAGE_SHOWN = 50


class Command(BaseCommand):
    help = "Add a new encryption key and re-encrypt every restricted value and file with it."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = rotate_keys(progress=self.stdout.write)
        except CryptoError as error:
            raise CommandError(str(error)) from None
        if report.first_key:
            self.stdout.write("There was no key yet: key version 1 is made and in use.")
            return
        for damage in report.damaged[:DAMAGE_SHOWN]:
            self.stderr.write(f"skipped: {damage}")
        self.stdout.write(
            f"Key version {report.version} is now in use: re-encrypted {report.values} values "
            f"and {report.files} files."
        )
        if report.damaged:
            raise CommandError(
                f"{len(report.damaged)} values or files could not be read and were skipped "
                "(listed above): restore them from a backup. Older keys are kept, so restored "
                "copies read again; the next rotation rewrites them with the newest key."
            )
