"""`homeward backup`: a copy of everything Homeward keeps, taken while it runs.

1. The database: SQLite's online backup API (one consistent snapshot, the WAL's committed
   writes included, while writers go on), or `pg_dump` (one snapshot) on PostgreSQL.
2. The stored files (attachments, import and export files, encrypted as they are on disk),
   copied after the database: a file is written before its row is committed, so every
   file the snapshot names exists by then.
3. The secrets (the key file, Django's secret key), sealed with a passphrase into a
   separate file, taken last: keys are only ever added, so they read everything copied
   before, whatever a rotation did meanwhile.
4. A manifest: what was copied, with sizes and SHA-256, which `homeward restore` checks.

The backup is written as `<name>.partial` and renamed when whole: a killed backup never
looks like a finished one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess  # nosec B404: pg_dump and pg_restore, with argument lists
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from homeward.lib.crypto import fsync_folder, write_durably
from homeward.lib.passphrase import seal
from homeward.protection.inventory import encrypted_file_fields
from homeward.protection.keys import key_file, key_ring

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_COPY = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"
FILES = "files"
KEYS_SUFFIX = ".keys"
TEMPORARY = ".tmp"  # an unfinished durable write (lib.crypto.write_durably)

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass
class BackupReport:
    folder: Path
    keys: Path
    files: int
    bytes: int
    missing_files: list[str]


def secret_files() -> dict[str, Path]:
    """Every secret Homeward keeps outside the database, by the name it has in a backup."""
    found = {"keys.json": key_file(), "secret_key": Path(settings.DATA_DIR) / "secret_key"}
    audit_key = getattr(settings, "HOMEWARD_AUDIT_KEY_FILE", None)
    if audit_key:
        found["audit.key"] = Path(audit_key)
    return found


def make_backup(
    into: Path, passphrase: str, *, keys_to: Path | None = None, progress: Progress = print
) -> BackupReport:
    name = f"homeward-backup-{timezone.now():%Y%m%dT%H%M%SZ}"
    final = into / name
    keys_path = keys_to or into / f"{name}{KEYS_SUFFIX}"
    partial = into / f"{name}.partial"
    if final.exists() or keys_path.exists():
        raise BackupError(f"{final} exists already; wait a second and try again.")
    key_ring()  # an installation that never encrypted anything makes its first key now
    partial.mkdir(parents=True, mode=0o700)
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": timezone.now().isoformat()}
    manifest["database"] = _copy_database(partial, progress)
    manifest["files"] = _copy_files(partial / FILES, progress)
    missing = _missing_files(partial, manifest)
    write_durably(keys_path, _sealed_secrets(passphrase))
    manifest["keys_file"] = keys_path.name
    write_durably(partial / MANIFEST, json.dumps(manifest, indent=1).encode())
    partial.rename(final)
    fsync_folder(into)
    sizes = sum(f["size"] for f in manifest["files"].values())
    return BackupReport(final, keys_path, len(manifest["files"]), sizes, missing)


def _copy_database(folder: Path, progress: Progress) -> dict[str, Any]:
    if connection.vendor == "postgresql":
        target = folder / POSTGRES_DUMP
        _pg_dump(target)
        progress(f"Database dumped with pg_dump ({target.stat().st_size:,} bytes).")
        return {"engine": "postgresql", "file": POSTGRES_DUMP, "sha256": sha256_of(target)}
    target = folder / SQLITE_COPY
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent snapshot
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        raise BackupError(f"The database copy fails its integrity check: {verdict}.")
    _fsync(target)
    progress(f"Database copied with SQLite's online backup ({target.stat().st_size:,} bytes).")
    return {"engine": "sqlite", "file": SQLITE_COPY, "sha256": sha256_of(target)}


def postgres_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump's and pg_restore's connection arguments and environment (the password)."""
    db = settings.DATABASES["default"]
    arguments = ["--dbname", str(db["NAME"])]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            arguments += [option, str(db[key])]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, environment


def _pg_dump(target: Path) -> None:
    arguments, environment = postgres_environment()
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
    try:
        subprocess.run(  # nosec B603: a fixed program and arguments from the settings
            [*command, *arguments], env=environment, check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError("pg_dump is not installed (Debian: postgresql-client).") from None
    except subprocess.CalledProcessError as failed:
        raise BackupError(f"pg_dump failed: {failed.stderr.strip()}") from None
    _fsync(target)


def _copy_files(into: Path, progress: Progress) -> dict[str, dict[str, Any]]:
    """Every stored file under MEDIA_ROOT, but for unfinished writes' temporary files."""
    root = Path(settings.MEDIA_ROOT)
    copied: dict[str, dict[str, Any]] = {}
    if root.exists():
        for folder, _dirs, names in os.walk(root):
            for name in sorted(names):
                if name.startswith(".") and name.endswith(TEMPORARY):
                    continue
                source = Path(folder) / name
                relative = source.relative_to(root).as_posix()
                copied[relative] = _copy_file(source, into / relative)
    progress(f"{len(copied)} stored files copied.")
    return copied


def _copy_file(source: Path, target: Path) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with source.open("rb") as reading, target.open("wb") as writing:
        while chunk := reading.read(1024 * 1024):
            digest.update(chunk)
            writing.write(chunk)
        writing.flush()
        os.fsync(writing.fileno())
    return {"size": target.stat().st_size, "sha256": digest.hexdigest()}


def _missing_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Files the copied database names that are not in the copy (deleted meanwhile, or
    missing before): said, so that the operator knows."""
    named = set(_named_files(folder, manifest["database"]["engine"]))
    return sorted(named - set(manifest["files"]))


def _named_files(folder: Path, engine: str) -> list[str]:
    fields = [(f.model._meta.db_table, f.column) for f in encrypted_file_fields()]
    sql = 'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # names from the models
    queries = [sql.format(table=table, column=column) for table, column in fields]
    if engine == "sqlite":
        copy = sqlite3.connect(folder / SQLITE_COPY)
        try:
            return [row[0] for sql in queries for row in copy.execute(sql)]
        finally:
            copy.close()
    with connection.cursor() as cursor:
        names: list[str] = []
        for sql in queries:
            cursor.execute(sql)
            names += [row[0] for row in cursor.fetchall()]
        return names


def _sealed_secrets(passphrase: str) -> bytes:
    secrets = {name: path.read_text() for name, path in secret_files().items() if path.exists()}
    if "keys.json" not in secrets:
        raise BackupError(f"There is no key file at {key_file()}: nothing would read the copy.")
    return seal(json.dumps(secrets).encode(), passphrase)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reading:
        while chunk := reading.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb+") as opened:
        os.fsync(opened.fileno())
