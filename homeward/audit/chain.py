"""The audit trail's hash chain: each entry's hash covers its content and the hash of the
entry before it, so editing or deleting any entry breaks every link after it.

Plain Python over plain values, so the check can run over any list of rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry

# The columns an entry's hash covers, in this order.
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "agency_name",
    "role",
    "action",
    "object_type",
    "object_id",
    "changed_fields",
    "ip",
)


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(
        [prev_hash, *[_plain(content[name]) for name in HASHED_FIELDS]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    problem: str

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.problem}"


def first_break(rows: Iterable[dict[str, Any]]) -> tuple[int, ChainBreak | None]:
    """Walk entries in order; return how many were checked and the first break, if any.

    1. Each entry's `prev_hash` must be the hash of the entry before it (a deleted or
       reordered entry breaks this).
    2. Each entry's `entry_hash` must be the hash of its own content (an edited entry
       breaks this).
    """
    expected_prev = GENESIS
    checked = 0
    for row in rows:
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(
                row["id"], "does not follow the entry before it (an entry was deleted or moved)"
            )
        if entry_hash(row["prev_hash"], row) != row["entry_hash"]:
            return checked, ChainBreak(row["id"], "its content was changed after it was written")
        expected_prev = row["entry_hash"]
        checked += 1
    return checked, None
