"""The audit chain's key, kept in a file outside the database (HOMEWARD_AUDIT_KEY_FILE),
as the field keys are: a copy of the database alone cannot recompute the chain.

The file is made the first time an entry is written (never under production settings,
where `homeward audit init-key` makes it). Made on a database that already has entries,
it pins how many there are and the hash of the last: those stay verifiable under their
plain SHA-256 hashes, and every later entry is keyed.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings

from homeward.audit.chain import GENESIS, ChainKey
from homeward.audit.models import AuditEntry


class AuditKeyError(RuntimeError):
    pass


def key_file() -> Path:
    return Path(settings.HOMEWARD_AUDIT_KEY_FILE)


def chain_key() -> ChainKey:
    """The key, made on first use outside production. Call it with the chain locked
    (audit.services._lock_chain), so that the entries it pins are all there are."""
    path = key_file()
    if not path.exists():
        if settings.PRODUCTION:
            raise AuditKeyError(
                f"No audit key at {path}: run `homeward audit init-key` once (production "
                "settings never make keys by themselves)."
            )
        create_key(path)
    return _read(path)


def create_key(path: Path) -> ChainKey:
    """Write a new key that pins the entries already in the chain; refuses to replace
    one (a new key would leave every keyed entry unverifiable)."""
    last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    content = {
        "key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "legacy_entries": AuditEntry.objects.count(),
        "legacy_head": last or GENESIS,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w") as file:
        json.dump(content, file)
        file.flush()
        os.fsync(file.fileno())
    try:
        # A link is made whole or not at all, and never over a key already there: of two
        # processes making it at once, one writes it and the other reads it.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _read(path)


@cache
def _read(path: Path) -> ChainKey:
    try:
        content = json.loads(path.read_text())
        return ChainKey(
            base64.b64decode(content["key"]),
            int(content["legacy_entries"]),
            str(content["legacy_head"]),
        )
    except (OSError, ValueError, KeyError) as error:
        raise AuditKeyError(f"The audit key file {path} cannot be read ({error}).") from None
