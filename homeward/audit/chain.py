"""The audit trail's hash chain: each entry's hash covers its content and the hash of the
entry before it, so editing or deleting any entry breaks every link after it.

The hash is an HMAC-SHA256 under a key kept outside the database (`audit.keys`): whoever
can write the database but not read the key cannot recompute the chain after cutting or
changing it. Entries written before the chain was keyed keep their plain SHA-256 hashes;
the key file pins how many there were and the hash of the last, so they cannot be
rewritten either. What the key does not stop (someone holding both the database and the
key) the anchors do (`audit.verification`).

Plain Python over plain values, so the check can run over any list of rows.
"""

from __future__ import annotations

import hashlib
import hmac
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


def entry_hash(prev_hash: str, content: dict[str, Any], key: bytes | None = None) -> str:
    """The entry's hash: keyed (HMAC-SHA256) with `key`, plain SHA-256 without (the
    entries written before the chain was keyed)."""
    canonical = json.dumps(
        [prev_hash, *[_plain(content[name]) for name in HASHED_FIELDS]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return digest(canonical.encode(), key)


def digest(text: bytes, key: bytes | None) -> str:
    if key is None:
        return hashlib.sha256(text).hexdigest()
    return hmac.digest(key, text, "sha256").hex()


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class ChainKey:
    """The key entries are hashed with, and the unkeyed entries written before it."""

    secret: bytes
    legacy_entries: int = 0  # the first entries, hashed with plain SHA-256
    legacy_head: str = GENESIS  # the hash of the last of them


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.problem}" if self.entry_id else self.problem


def first_break(
    rows: Iterable[dict[str, Any]], key: ChainKey | None = None
) -> tuple[int, ChainBreak | None]:
    """Walk entries in order; return how many were checked and the first break, if any.

    1. Each entry's `prev_hash` must be the hash of the entry before it (a deleted or
       reordered entry breaks this).
    2. Each entry's `entry_hash` must be the hash of its own content (an edited entry
       breaks this), keyed from the first entry after the `key`'s legacy ones.
    3. The last legacy entry's hash must be the one the key file pinned, and there must be
       at least as many entries as it counted.
    """
    expected_prev = GENESIS
    checked = 0
    legacy = key.legacy_entries if key else 0
    for row in rows:
        if row["prev_hash"] != expected_prev:
            return checked, ChainBreak(
                row["id"], "does not follow the entry before it (an entry was deleted or moved)"
            )
        secret = key.secret if key and checked >= legacy else None
        if entry_hash(row["prev_hash"], row, secret) != row["entry_hash"]:
            return checked, ChainBreak(row["id"], "its content was changed after it was written")
        if key and checked + 1 == legacy and row["entry_hash"] != key.legacy_head:
            return checked, ChainBreak(
                row["id"], "is not the last entry written before the chain was keyed"
            )
        expected_prev = row["entry_hash"]
        checked += 1
    if checked < legacy:
        return checked, ChainBreak(
            None, f"the chain had {legacy} entries when it was keyed; {checked} are left"
        )
    return checked, None
