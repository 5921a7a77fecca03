"""Where `homeward backup` and `homeward restore` get the passphrase of a backup's keys:
a file (`--passphrase-file`), the environment (HOMEWARD_BACKUP_PASSPHRASE), or a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.core.management.base import CommandError

ENVIRONMENT = "HOMEWARD_BACKUP_PASSPHRASE"


def passphrase(from_file: Path | None, *, confirm: bool) -> str:
    if from_file is not None:
        try:
            return from_file.read_text().splitlines()[0]
        except (OSError, IndexError):
            raise CommandError(f"--passphrase-file: cannot read a line from {from_file}.") from None
    if os.environ.get(ENVIRONMENT):
        return os.environ[ENVIRONMENT]
    if not sys.stdin.isatty():
        raise CommandError(f"Give the passphrase with --passphrase-file or {ENVIRONMENT}.")
    given = getpass.getpass("Passphrase of the backup's keys: ")
    if confirm and getpass.getpass("The same again: ") != given:
        raise CommandError("The two passphrases differ.")
    return given
