"""Proving the audit trail intact, and anchoring its head outside the database.

`verify_trail()` walks the chain (`audit.chain.first_break`, with the key) and compares it
with the last anchor: an anchor says "on this day the trail had N entries and the N-th
had this hash". A trail cut after an anchor has fewer entries than it counted; a trail
rewritten by someone who also holds the key has another hash at the N-th entry. Each
verify of an intact trail, and `homeward audit anchor` (run it periodically), appends a
new anchor to HOMEWARD_AUDIT_ANCHOR_FILE, a file opened for appending only; ship it off
the machine (README, "Audit trail") so that nobody who can change the database can also
change the anchors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeward.audit.chain import GENESIS, HASHED_FIELDS, ChainBreak, first_break
from homeward.audit.keys import chain_key
from homeward.audit.models import AuditEntry


@dataclass(frozen=True)
class Anchor:
    at: str  # when it was written, ISO 8601 UTC
    count: int  # entries in the trail then
    head: str  # the hash of the last of them
    head_id: int | None


@dataclass
class Verification:
    checked: int
    head: str
    head_id: int | None
    broken: ChainBreak | None
    anchor: Anchor | None  # the last anchor before this verification
    anchor_problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.anchor_problem


def anchor_file() -> Path:
    return Path(settings.HOMEWARD_AUDIT_ANCHOR_FILE)


def last_anchor() -> Anchor | None:
    """The most recent anchor written, or None: for a health page or a monitor to show
    how long ago the trail was last proved intact."""
    path = anchor_file()
    if not path.exists():
        return None
    lines = _tail(path).splitlines()
    for line in reversed(lines):
        if line.strip():
            data = json.loads(line)
            return Anchor(data["at"], int(data["count"]), data["head"], data.get("head_id"))
    return None


def _tail(path: Path, size: int = 4096) -> str:
    with path.open("rb") as file:
        file.seek(0, os.SEEK_END)
        file.seek(max(0, file.tell() - size))
        return file.read().decode("utf-8", errors="replace")


def verify_trail(*, write_anchor: bool = True) -> Verification:
    """Walk the chain with its key, compare it with the last anchor, and anchor the head
    when all is intact."""
    with transaction.atomic():
        from homeward.audit.services import _lock_chain

        _lock_chain()  # the key pins the entries there are; none is added meanwhile
        key = chain_key()
    anchor = last_anchor()
    walk = _Walk(anchor.count if anchor else None)
    checked, broken = first_break(walk.rows(), key)
    result = Verification(checked, walk.head, walk.head_id, broken, anchor)
    if broken is None and anchor is not None:
        result.anchor_problem = _against(anchor, checked, walk.hash_at_anchor)
    if result.intact and write_anchor:
        append_anchor(Anchor(_now(), checked, walk.head, walk.head_id))
    return result


def _against(anchor: Anchor, count: int, hash_then: str | None) -> str:
    if count < anchor.count:
        return (
            f"the anchor of {anchor.at} counted {anchor.count} entries and the trail has "
            f"{count}: entries were deleted since"
        )
    if hash_then != anchor.head:
        return (
            f"entry number {anchor.count} no longer has the hash the anchor of {anchor.at} "
            "recorded: the trail was rewritten"
        )
    return ""


def append_anchor(anchor: Anchor) -> None:
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(asdict(anchor), separators=(",", ":")) + "\n"
    # Opened for appending only: an anchor is added, never written over.
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(handle, "a") as file:
        file.write(line)
        file.flush()
        os.fsync(file.fileno())


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


class _Walk:
    """Every entry, oldest first, a batch at a time (keyset pages: no long-lived cursor),
    noting the head and the hash of the entry an anchor counted up to."""

    def __init__(self, anchored: int | None) -> None:
        self.anchored = anchored
        self.head, self.head_id = GENESIS, None
        self.hash_at_anchor: str | None = None

    def rows(self, batch: int = 5000) -> Iterator[dict[str, Any]]:
        columns = ["id", "prev_hash", "entry_hash", *HASHED_FIELDS]
        last_id, position = 0, 0
        while True:
            entries = AuditEntry.objects.filter(id__gt=last_id).order_by("id")
            rows = list(entries.values(*columns)[:batch])
            for row in rows:
                position += 1
                if position == self.anchored:
                    self.hash_at_anchor = row["entry_hash"]
                yield row
                self.head, self.head_id = row["entry_hash"], row["id"]
            if len(rows) < batch:
                return
            last_id = rows[-1]["id"]
