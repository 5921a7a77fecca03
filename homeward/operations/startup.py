"""What `homeward serve` checks before it serves, and says: the data folder takes writes
and has room; the database takes writes; the keys read the encrypted data; the data
folder, database and keys are for their owner only. A failed check is named and the
start refused: serving with a read-only folder, or with keys that read none of the
restricted data, would only fail on every page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from homeward.lib.crypto import CryptoError
from homeward.operations.storage import (
    beat,
    check_folder,
    data_folder,
    describe_bytes,
    owner_only,
    storage_problem_here,
)
from homeward.protection.inventory import read_sample
from homeward.protection.keys import key_file


@dataclass
class StartCheck:
    said: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_before_start() -> StartCheck:
    check = StartCheck()
    try:
        if _check_data_folder(check):
            _tighten_permissions(check)
            if _check_database(check):
                _check_keys(check)
    finally:
        connection.close()  # the server's threads open their own
    return check


def _check_data_folder(check: StartCheck) -> bool:
    folder = check_folder(data_folder())
    if not folder.writable:
        check.problems.append(
            f"The data folder {folder.path} is not writable ({folder.error}): Homeward could "
            "save nothing. Make it writable by the user running Homeward (or mount it "
            "read-write), then start again."
        )
        return False
    check.said.append(
        f"Data folder {folder.path}: writable, {describe_bytes(folder.free_bytes)} free."
    )
    if folder.low_on_space:
        check.said.append(
            f"Warning: less than {settings.HOMEWARD_MIN_FREE_MB} MB free: when the disk is "
            "full, pages say so and nothing can be saved. Make room."
        )
    return True


def _tighten_permissions(check: StartCheck) -> None:
    folder = data_folder()
    database = Path(str(settings.DATABASES["default"]["NAME"]))
    paths = [folder, key_file(), Path(settings.MEDIA_ROOT)]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        paths += [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]
    changed = owner_only(paths)
    if changed:
        check.said.append(f"Made {changed} files and folders readable by their owner only.")


def _check_database(check: StartCheck) -> bool:
    try:
        beat("start")
    except DatabaseError as error:
        problem = storage_problem_here(error)
        why = problem.message if problem else str(error)
        check.problems.append(f"The database takes no writes: {why} ({error})")
        return False
    return True


def _check_keys(check: StartCheck) -> None:
    try:
        reading = read_sample()
    except CryptoError as error:
        check.problems.append(str(error))
        return
    if reading.missing_files:
        check.said.append(f"Warning: stored files are missing, e.g. {reading.missing_files[0]}.")
    if reading.unreadable:
        check.problems.append(
            f"The key file {key_file()} does not read the encrypted data in the database "
            f"({reading.unreadable[0]}). Restore the key file that goes with this database "
            "(`homeward restore` puts a backup's keys back); it must hold every key version "
            "up to the last rotation."
        )
        return
    if reading.values or reading.files:
        check.said.append(
            f"Encrypted data: read with {key_file()} (checked {reading.values} values and "
            f"{reading.files} files)."
        )
    if reading.legacy:
        check.said.append(
            "Some encrypted values are still bound to their column only (written before "
            "rows were bound): run `homeward rotate-keys` to bind every one to its row."
        )
