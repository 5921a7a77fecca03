"""The data folder and the database as storage: whether they take writes, how much room is
left, and what a failed write means for the people using Homeward (a full disk, a
read-only folder), so that a page can say so instead of a bare 500."""

from __future__ import annotations

import enum
import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.lib.crypto import write_durably


class Trouble(enum.StrEnum):
    FULL = "full"
    NOT_WRITABLE = "not writable"
    FAILING = "failing"


@dataclass(frozen=True)
class StorageProblem:
    trouble: Trouble
    detail: str  # what the system said, for the log

    @property
    def message(self) -> str:
        if self.trouble == Trouble.FULL:
            return _(
                "Homeward's storage is full, so nothing can be saved, and pages that record "
                "who opened them cannot be shown. Please contact your administrator."
            )
        if self.trouble == Trouble.NOT_WRITABLE:
            return _(
                "Homeward cannot write to its data folder (it is read-only or not permitted), "
                "so nothing can be saved, and pages that record who opened them cannot be "
                "shown. Please contact your administrator."
            )
        return _(
            "Homeward's storage is failing (the disk reported an error). Please contact your "
            "administrator."
        )


FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NOT_WRITABLE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
# SQLite's and PostgreSQL's words for the same troubles (lower case), and PostgreSQL's codes.
FULL_WORDS = ("database or disk is full", "no space left on device", "could not extend file")
NOT_WRITABLE_WORDS = (
    "attempt to write a readonly database",
    "unable to open database file",
    "read-only file system",
    "cannot execute insert in a read-only transaction",
)
FAILING_WORDS = ("disk i/o error",)
SQLSTATES = {"53100": Trouble.FULL, "25006": Trouble.NOT_WRITABLE}


def storage_problem(error: BaseException | None) -> StorageProblem | None:
    """The storage trouble behind `error` (or what caused it), if that is what it is."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        trouble = _trouble(error)
        if trouble is not None:
            return StorageProblem(trouble, str(error))
        error = error.__cause__ or error.__context__
    return None


def storage_problem_here(error: BaseException | None) -> StorageProblem | None:
    """`storage_problem`, knowing the data folder: SQLite reports a full disk as a "disk
    I/O error" when it cannot even make room for its shared-memory file."""
    problem = storage_problem(error)
    if problem is not None and problem.trouble == Trouble.FAILING:
        try:
            if shutil.disk_usage(data_folder()).free < NEARLY_FULL:
                return StorageProblem(Trouble.FULL, problem.detail)
        except OSError:
            pass
    return problem


NEARLY_FULL = 1024 * 1024


def _trouble(error: BaseException) -> Trouble | None:
    if isinstance(error, OSError) and error.errno in FULL_ERRNOS:
        return Trouble.FULL
    if isinstance(error, OSError) and error.errno in NOT_WRITABLE_ERRNOS:
        return Trouble.NOT_WRITABLE
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate in SQLSTATES:
        return SQLSTATES[sqlstate]
    text = str(error).lower()
    for words, trouble in (
        (FULL_WORDS, Trouble.FULL),
        (NOT_WRITABLE_WORDS, Trouble.NOT_WRITABLE),
        (FAILING_WORDS, Trouble.FAILING),
    ):
        if any(w in text for w in words):
            return trouble
    return None


@dataclass(frozen=True)
class FolderState:
    path: Path
    writable: bool
    error: str
    free_bytes: int

    @property
    def low_on_space(self) -> bool:
        return self.free_bytes < minimum_free_bytes()


def minimum_free_bytes() -> int:
    return int(settings.HOMEWARD_MIN_FREE_MB) * 1024 * 1024


def data_folder() -> Path:
    return Path(settings.DATA_DIR)


def check_folder(path: Path) -> FolderState:
    """Whether a file can be written in `path` and made durable (then removed), and how
    much room is left there."""
    probe = path / ".homeward-write-check"
    error = ""
    try:
        path.mkdir(parents=True, exist_ok=True)
        write_durably(probe, b"ok")
        probe.unlink()
    except OSError as failed:
        error = failed.strerror or str(failed)
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        free = 0
    return FolderState(path, not error, error, free)


def beat(name: str) -> None:
    """Write `name`'s heartbeat: raises if the database takes no writes."""
    from homeward.operations.models import Heartbeat

    with transaction.atomic():
        Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def describe_bytes(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    return f"{count / 1024**2:.0f} MB"


def owner_only(paths: list[Path]) -> int:
    """Make these files and folders, and everything under the folders, readable and
    writable by their owner only; how many were not."""
    changed = 0
    for root in paths:
        if not root.exists():
            continue
        walked = os.walk(root) if root.is_dir() else [(str(root.parent), [], [root.name])]
        for folder, _dirs, files in walked:
            inside = [Path(folder) / f for f in files]
            for path in [Path(folder), *inside] if root.is_dir() else inside:
                mode = path.stat().st_mode & 0o777
                if mode & 0o077:
                    path.chmod(mode & 0o700)
                    changed += 1
    return changed
