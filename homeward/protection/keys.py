"""The key ring in use: read once from the key file named by the settings (outside the
database), made on first use except under production settings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from homeward.lib.crypto import KeyRing, load_key_file, save_key_file


def key_file() -> Path:
    return Path(settings.HOMEWARD_KEYS_FILE)


@cache
def key_ring() -> KeyRing:
    # Production never makes its own key: losing it silently would lose the data.
    return load_key_file(key_file(), create=not settings.PRODUCTION)


def add_new_key() -> KeyRing:
    """Add a key version; new values are encrypted with it from now on."""
    ring = key_ring().with_new_key()
    save_key_file(key_file(), ring)
    key_ring.cache_clear()
    return key_ring()
