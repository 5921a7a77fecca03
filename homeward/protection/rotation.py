"""Key rotation (`homeward rotate-keys`): add a key version and rewrite every encrypted value
and file with it, bound to its row. Crash-safe and resumable:

1. The rotation is recorded (a KeyRotation row naming its key version) before the key is
   made; a rerun finds the unfinished rotation and goes on with it, with the same key.
2. The key is added to the key file, written durably (fsynced, renamed into place). Old
   versions stay, so that backups taken before still read.
3. Each encrypted column is walked by primary key; each page of rewritten values is
   committed together with the position reached. A value is replaced only if it is still
   the one read (a page may have changed it meanwhile).
4. Each file is rewritten beside itself, fsynced and renamed over the old one: a kill
   leaves the old file or the new one, whole. Import and export files too.
5. A value or file that does not decrypt (damaged, missing) is reported and skipped, and
   kept in the record: never a reason to stop.
6. A last pass rewrites anything a process wrote with the older key while the rotation
   ran (processes see the new key at their next value, see protection.keys).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeward.lib.crypto import CryptoError, parse_token
from homeward.protection import inventory
from homeward.protection.fields import (
    EncryptedFileField,
    EncryptedTextField,
    file_binding,
    value_binding,
)
from homeward.protection.keys import add_key, decrypt_value, first_key, key_file, key_ring
from homeward.protection.models import KeyRotation

Progress = Callable[[str], None]


@dataclass
class RotationReport:
    version: int
    resumed: bool = False
    first_key: bool = False
    values: int = 0
    files: int = 0
    damaged: list[str] = field(default_factory=list)


def rotate_keys(progress: Progress = lambda _: None) -> RotationReport:
    if not key_file().exists():
        first_key(key_file())  # a new installation (refused if encrypted data exists)
        return RotationReport(version=1, first_key=True)
    rotation, resumed = _unfinished_or_new()
    add_key(rotation.version)
    progress(f"{'Going on with' if resumed else 'Started'} the rotation to key {rotation.version}.")
    _remove_leftovers(Path(settings.MEDIA_ROOT))
    for column in inventory.encrypted_columns():
        _rotate_column(rotation, column, progress)
    for file_field in inventory.encrypted_file_fields():
        _rotate_files(rotation, file_field, progress)
    _catch_up(rotation, progress)
    rotation.finished_at = timezone.now()
    rotation.save(update_fields=["finished_at"])
    return RotationReport(
        version=rotation.version, resumed=resumed, values=rotation.values_rewritten,
        files=rotation.files_rewritten, damaged=list(rotation.damaged),
    )  # fmt: skip


def _unfinished_or_new() -> tuple[KeyRotation, bool]:
    with transaction.atomic():
        unfinished = KeyRotation.objects.select_for_update().filter(finished_at=None).first()
        if unfinished is not None:
            return unfinished, True
        last = KeyRotation.objects.order_by("-version").values_list("version", flat=True).first()
        version = max(key_ring().current_version, last or 0) + 1
        return KeyRotation.objects.create(version=version), False


def _rotate_column(rotation: KeyRotation, column: EncryptedTextField, progress: Progress) -> None:
    where = inventory.label(column)
    after = rotation.positions.get(where)
    while rows := inventory.stored_rows(column, after=after):
        with transaction.atomic():
            rotation.values_rewritten += sum(_rewrite_value(rotation, column, *r) for r in rows)
            after = rotation.positions[where] = rows[-1][0]
            rotation.save(update_fields=["positions", "values_rewritten", "damaged"])
    progress(f"{where}: done.")


def _rewrite_value(rotation: KeyRotation, column: EncryptedTextField, pk: Any, token: str) -> bool:
    ring = key_ring()
    binding = value_binding(column, pk)
    try:
        if ring.is_current(parse_token(token)[0]):
            return False
        fresh = ring.encrypt(decrypt_value(token, binding), binding)
    except CryptoError as error:
        rotation.damaged.append(f"{binding}: {error}")
        return False
    manager = column.model._base_manager
    # Only if unchanged since read: a page may have saved a new value meanwhile.
    return bool(manager.filter(pk=pk, **{column.attname: token}).update(**{column.attname: fresh}))


FILES_PER_SAVE = 20


def _rotate_files(
    rotation: KeyRotation, file_field: EncryptedFileField, progress: Progress
) -> None:
    where = "files of " + inventory.label(file_field)
    after = rotation.positions.get(where)
    while rows := inventory.stored_rows(file_field, after=after, limit=FILES_PER_SAVE):
        rotation.files_rewritten += sum(_rewrite_file(rotation, file_field, *r) for r in rows)
        after = rotation.positions[where] = rows[-1][0]
        rotation.save(update_fields=["positions", "files_rewritten", "damaged"])
    progress(f"{where}: done.")


def _rewrite_file(
    rotation: KeyRotation, file_field: EncryptedFileField, pk: Any, name: str
) -> bool:
    storage = inventory.storage_of(file_field)
    binding = file_binding(file_field, pk)
    try:
        return storage.rewrite(name, binding)
    except FileNotFoundError:
        rotation.damaged.append(f"{name} ({binding}): the file is missing.")
    except CryptoError as error:
        rotation.damaged.append(f"{name} ({binding}): {error}")
    return False


def _catch_up(rotation: KeyRotation, progress: Progress) -> None:
    """Walk everything once more from the start: whatever is still on an older key was
    written during the rotation by a process that had not read the new key yet."""
    damaged = list(rotation.damaged)
    rotation.positions = {}
    before = rotation.values_rewritten + rotation.files_rewritten
    for column in inventory.encrypted_columns():
        _rotate_column(rotation, column, lambda _: None)
    for file_field in inventory.encrypted_file_fields():
        _rotate_files(rotation, file_field, lambda _: None)
    rotation.damaged = damaged  # the second look finds the same damage again
    rotation.save(update_fields=["damaged"])
    caught = rotation.values_rewritten + rotation.files_rewritten - before
    if caught:
        progress(f"{caught} values or files written meanwhile with an older key: rewritten.")


_TEMPORARY = re.compile(r"^\..+\.(\d+)\.tmp$")


def _remove_leftovers(root: Path) -> None:
    """Temporary files of rewrites whose process is gone (killed mid-write)."""
    if not root.exists():
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            match = _TEMPORARY.match(name)
            if match and not _alive(int(match.group(1))):
                (Path(folder) / name).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
