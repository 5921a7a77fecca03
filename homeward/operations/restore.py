"""`homeward restore BACKUP`: put a backup back into an empty installation (this data folder,
or the PostgreSQL database of DATABASE_URL), and prove it whole before saying so.

1. The backup is checked first: its manifest, the SHA-256 of the database copy and of
   every file, and that the passphrase opens its keys file.
2. The installation must be empty: a restore never overwrites data.
3. The secrets, the database (a file copy on SQLite, pg_restore on PostgreSQL) and the
   files are put in place, durably, readable by their owner only.
4. The schema is brought up to date (`migrate`): a backup may come from an older version.
5. Verified: the database's integrity (SQLite), the audit chain (`homeward audit verify`),
   that every encrypted value and every stored file decrypts with the restored keys, and
   that no file the database names is missing. Only then is it reported a success.
"""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess  # nosec B404: pg_restore, with an argument list
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from homeward.lib.crypto import write_durably
from homeward.lib.passphrase import PassphraseError, unseal
from homeward.operations.backup import (
    FILES,
    KEYS_SUFFIX,
    MANIFEST,
    Progress,
    postgres_environment,
    secret_files,
    sha256_of,
)
from homeward.protection.inventory import read_everything
from homeward.protection.keys import reload_key_ring


class RestoreError(Exception):
    """The backup cannot be restored here; the message says why and what to do."""


@dataclass
class RestoreReport:
    values: int = 0
    files: int = 0
    audit: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def default_keys_path(backup: Path) -> Path:
    return backup.with_name(backup.name + KEYS_SUFFIX)


def restore_backup(
    backup: Path, keys: Path, passphrase: str, *, progress: Progress = print
) -> RestoreReport:
    manifest = _manifest(backup)
    secrets = _secrets(keys, passphrase)
    _check_copy(backup, manifest)
    progress("The backup is whole (every SHA-256 matches) and its keys open.")
    _refuse_unless_empty()
    _put_secrets(secrets)
    _put_database(backup, manifest)
    copied = _put_files(backup / FILES)
    progress(f"Database and {copied} files put in place.")
    call_command("migrate", verbosity=0)
    return verify_installation()


def _manifest(backup: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except FileNotFoundError:
        raise RestoreError(f"{backup} is not a finished Homeward backup (no manifest).") from None
    if manifest.get("format") != 1:
        raise RestoreError(f"{backup}: a backup format this version does not know.")
    return dict(manifest)


def _secrets(keys: Path, passphrase: str) -> dict[str, str]:
    if not keys.exists():
        raise RestoreError(
            f"The backup's keys file {keys} is missing. Without it no restricted value or "
            "file could be read: give it with --keys."
        )
    try:
        secrets = json.loads(unseal(keys.read_bytes(), passphrase))
    except PassphraseError as error:
        raise RestoreError(f"{keys}: {error}") from None
    if "keys.json" not in secrets:
        raise RestoreError(f"{keys} holds no encryption keys.")
    return dict(secrets)


def _check_copy(backup: Path, manifest: dict[str, Any]) -> None:
    database = manifest["database"]
    if sha256_of(backup / database["file"]) != database["sha256"]:
        raise RestoreError(f"{backup / database['file']} is damaged (its SHA-256 differs).")
    for name, expected in manifest["files"].items():
        path = backup / FILES / name
        if not path.exists() or sha256_of(path) != expected["sha256"]:
            raise RestoreError(f"{path} is missing or damaged (its SHA-256 differs).")
    if database["engine"] != connection.vendor:
        raise RestoreError(
            f"The backup is of a {database['engine']} database; this installation uses "
            f"{connection.vendor}."
        )


def _refuse_unless_empty() -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        raise RestoreError(f"{media} holds files already: restore into an empty installation.")
    if _holds_data():
        raise RestoreError(
            "The database holds data already: restore into an empty installation (a new "
            "data folder, or an empty PostgreSQL database)."
        )


def _holds_data() -> bool:
    """Whether anyone ever signed up or anything was audited (a migrated, empty database
    holds neither)."""
    if connection.vendor == "sqlite":
        path = Path(str(settings.DATABASES["default"]["NAME"]))
        if not path.exists():
            return False
        with sqlite3.connect(path) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            return any(
                db.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()  # nosec B608: fixed names
                for t in ("auth_user", "audit_auditentry")
                if t in tables
            )
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("auth_user", "audit_auditentry"):
            if table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')  # nosec B608: fixed names
                if cursor.fetchone():
                    return True
    return False


def _put_secrets(secrets: dict[str, str]) -> None:
    for name, path in secret_files().items():
        if name in secrets:
            write_durably(path, secrets[name].encode())
    reload_key_ring()


def _put_database(backup: Path, manifest: dict[str, Any]) -> None:
    database = manifest["database"]
    if database["engine"] == "postgresql":
        _pg_restore(backup / database["file"])
        return
    connection.close()
    target = Path(str(settings.DATABASES["default"]["NAME"]))
    for stale in (target.with_name(target.name + s) for s in ("-wal", "-shm")):
        stale.unlink(missing_ok=True)
    write_durably(target, (backup / database["file"]).read_bytes())


def _pg_restore(dump: Path) -> None:
    arguments, environment = postgres_environment()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists"]
    connection.close()
    try:
        subprocess.run(  # nosec B603: a fixed program and arguments from the settings
            [*command, "--exit-on-error", *arguments, str(dump)],
            env=environment, check=True, capture_output=True, text=True,
        )  # fmt: skip
    except FileNotFoundError:
        raise RestoreError("pg_restore is not installed (Debian: postgresql-client).") from None
    except subprocess.CalledProcessError as failed:
        raise RestoreError(f"pg_restore failed: {failed.stderr.strip()}") from None


def _put_files(source: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    count = 0
    if source.exists():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            write_durably(media / path.relative_to(source), path.read_bytes())
            count += 1
    return count


def verify_installation() -> RestoreReport:
    """Everything a restore must prove before it says it succeeded (also the drill's)."""
    report = RestoreReport()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            verdict = cursor.fetchone()[0]
        if verdict != "ok":
            report.problems.append(f"The database fails its integrity check: {verdict}.")
    said = io.StringIO()
    try:
        call_command("audit", "verify", stdout=said)
        report.audit = said.getvalue().strip()
    except CommandError as broken:
        report.problems.append(str(broken))
    reading = read_everything()
    report.values, report.files = reading.values, reading.files
    report.problems += [f"Does not decrypt: {u}" for u in reading.unreadable]
    report.problems += [f"Missing file: {m}" for m in reading.missing_files]
    return report
