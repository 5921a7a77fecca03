"""Encryption of restricted values at rest: AES-256-GCM from the `cryptography` package,
with numbered keys so that keys can be rotated.

A value is stored as `hw1:<key version>:<base64 of nonce + ciphertext>`. The associated
data names the column, so a ciphertext copied into another column does not decrypt.
Plain Python: the Django fields and the key-rotation command are built on it.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "hw1"
NONCE_BYTES = 12


class CryptoError(Exception):
    """A key is missing or a value cannot be decrypted with the keys at hand."""


@dataclass
class KeyRing:
    keys: dict[int, bytes] = field(default_factory=dict)

    @property
    def current_version(self) -> int:
        if not self.keys:
            raise CryptoError("No encryption key is configured.")
        return max(self.keys)

    def encrypt(self, plaintext: str, *, context: str) -> str:
        version = self.current_version
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[version]).encrypt(nonce, plaintext.encode(), context.encode())
        return f"{PREFIX}:{version}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        version, blob = parse_token(token)
        if version not in self.keys:
            raise CryptoError(
                f"Key version {version} is needed to read a value but is not configured."
            )
        raw = base64.b64decode(blob)
        try:
            plain = AESGCM(self.keys[version]).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
            )
        except InvalidTag:
            raise CryptoError(
                f"A value of {context} does not decrypt: wrong key or altered data."
            ) from None
        return plain.decode()

    def encrypt_bytes(self, plain: bytes, *, context: str) -> bytes:
        """For files: `hw1:<version>:` then nonce and ciphertext, as raw bytes."""
        version = self.current_version
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[version]).encrypt(nonce, plain, context.encode())
        return f"{PREFIX}:{version}:".encode() + nonce + sealed

    def decrypt_bytes(self, token: bytes, *, context: str) -> bytes:
        version = self._bytes_version(token)
        if version not in self.keys:
            raise CryptoError(
                f"Key version {version} is needed to read a file but is not configured."
            )
        raw = token.split(b":", 2)[2]
        try:
            return AESGCM(self.keys[version]).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
            )
        except InvalidTag:
            raise CryptoError("A file does not decrypt: wrong key or altered data.") from None

    def is_current_bytes(self, token: bytes) -> bool:
        return self._bytes_version(token) == self.current_version

    @staticmethod
    def _bytes_version(token: bytes) -> int:
        try:
            prefix, version, _ = token.split(b":", 2)
            if prefix != PREFIX.encode():
                raise ValueError
            return int(version)
        except ValueError:
            raise CryptoError("The stored file is not an encrypted Homeward file.") from None

    def is_current(self, token: str) -> bool:
        return parse_token(token)[0] == self.current_version

    def with_new_key(self) -> KeyRing:
        next_version = max(self.keys, default=0) + 1
        return KeyRing({**self.keys, next_version: AESGCM.generate_key(bit_length=256)})

    def to_json(self) -> str:
        return json.dumps(
            {str(v): base64.b64encode(k).decode() for v, k in sorted(self.keys.items())}
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        return cls({int(v): base64.b64decode(k) for v, k in json.loads(text).items()})


def is_token(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def parse_token(token: str) -> tuple[int, str]:
    try:
        prefix, version, blob = token.split(":", 2)
        if prefix != PREFIX:
            raise ValueError
        return int(version), blob
    except ValueError:
        raise CryptoError("The stored value is not an encrypted Homeward value.") from None


def load_key_file(path: Path, *, create: bool) -> KeyRing:
    """The key ring kept in `path` (outside the database); a first key is made if `create`."""
    if path.exists():
        return KeyRing.from_json(path.read_text())
    if not create:
        raise CryptoError(f"No key file at {path}.")
    ring = KeyRing().with_new_key()
    save_key_file(path, ring)
    return ring


def save_key_file(path: Path, ring: KeyRing) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(ring.to_json())
    temporary.chmod(0o600)
    temporary.replace(path)  # atomic: a crash never leaves half a key file
