"""The key ring in use, read from the key file named by the settings (outside the database).

A running server sees a rotation without a restart: the file is read again when it changes
on disk, and when a value needs a key version the ring does not hold.

A first key is made only for an empty installation: never under production settings
(`homeward rotate-keys` makes it there), and never while the database holds encrypted
values or files. A lost key file must be restored, not replaced: a new key 1 would read
none of them, and every page showing one would fail.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from homeward.lib.crypto import (
    Binding,
    CryptoError,
    KeyRing,
    MissingKeyError,
    load_key_file,
    save_key_file,
)


class _Loaded(NamedTuple):
    path: Path
    signature: tuple[int, int, int]
    ring: KeyRing


_lock = threading.Lock()
_loaded: _Loaded | None = None


def key_file() -> Path:
    return Path(settings.HOMEWARD_KEYS_FILE)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def key_ring() -> KeyRing:
    """The keys in the key file as it is now (one `stat` a call; read again when changed)."""
    global _loaded
    path = key_file()
    signature = _signature(path)
    loaded = _loaded
    if loaded is not None and loaded.path == path and loaded.signature == signature:
        return loaded.ring
    with _lock:
        if signature is None:
            if settings.PRODUCTION:
                raise CryptoError(
                    f"No key file at {path}. Production settings never make their own key: "
                    "restore the key file that goes with this database, or run "
                    "`homeward rotate-keys` once on a new installation."
                )
            return first_key(path)
        ring = load_key_file(path)
        _loaded = _Loaded(path, signature, ring)
        return ring


def reload_key_ring() -> KeyRing:
    global _loaded
    _loaded = None
    return key_ring()


def first_key(path: Path) -> KeyRing:
    """Key 1 for a new installation, refused when encrypted data exists already."""
    from homeward.protection.inventory import encrypted_data_summary

    held = encrypted_data_summary()
    if held:
        raise CryptoError(
            f"No key file at {path}, but the database holds {held}. Restore the key file "
            "that goes with this database (a backup's keys: `homeward restore`); a new key "
            "would read none of them."
        )
    ring = KeyRing().with_new_key()
    save_key_file(path, ring)
    return ring


def add_key(version: int) -> KeyRing:
    """Make key `version` (the next one) and keep it in the key file, fsynced; new values
    are encrypted with it from now on, in this process and, at their next value, in
    every other."""
    ring = key_ring()
    if version in ring.keys:
        return ring
    if version != ring.current_version + 1:
        raise CryptoError(f"Key version {version} cannot follow {ring.current_version}.")
    save_key_file(key_file(), ring.with_key(version))
    return reload_key_ring()


def _retrying(open_with: KeyRing, version: int) -> KeyRing:
    """The ring to read a value of `version` with: read the key file again if this ring
    lacks it (another process rotated the keys since)."""
    return open_with if version in open_with.keys else reload_key_ring()


def encrypt_value(plain: str, binding: Binding) -> str:
    return key_ring().encrypt(plain, binding)


def decrypt_value(token: str, binding: Binding) -> str:
    try:
        return key_ring().decrypt(token, binding)
    except MissingKeyError as missing:
        return _retrying(key_ring(), missing.version).decrypt(token, binding)


def encrypt_file(plain: bytes, binding: Binding) -> bytes:
    return key_ring().encrypt_bytes(plain, binding)


def decrypt_file(token: bytes, binding: Binding) -> bytes:
    try:
        return key_ring().decrypt_bytes(token, binding)
    except MissingKeyError as missing:
        return _retrying(key_ring(), missing.version).decrypt_bytes(token, binding)
