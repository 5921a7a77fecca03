"""Password hashing sized for a server: Argon2id with OWASP's parameters (19 MiB of memory,
2 passes, 1 lane) instead of Django's 100 MiB and 8 lanes, which cost 100 MiB per sign-in
and took a server to 938 MB with 8 at once; and at most
HOMEWARD_PASSWORD_HASHING_CONCURRENCY hashes at a time, so memory stays bounded however
many people sign in together (the others wait their turn, a fraction of a second each).

Hashes made with the earlier parameters stay valid: Argon2 keeps its parameters in each
hash, and Django rehashes with these at the next successful sign-in.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def _hashing_slots() -> threading.BoundedSemaphore:
    global _slots
    with _lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(settings.HOMEWARD_PASSWORD_HASHING_CONCURRENCY)
        return _slots


class ServerArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19456 KiB, t=2, p=1 (OWASP Password Storage Cheat Sheet), bounded."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        with _hashing_slots():
            return str(super().encode(password, salt))

    def verify(self, password: str, encoded: str) -> bool:
        with _hashing_slots():
            return bool(super().verify(password, encoded))
