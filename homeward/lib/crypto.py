"""Encryption of restricted values and files at rest: AES-256-GCM from the `cryptography`
package, with numbered keys so that keys can be rotated.

A value is stored as `hw2:<key version>:<base64 of nonce + ciphertext>`, a file as the bytes
`hw2:<key version>:` then nonce and ciphertext. The associated data is the `Binding`: the
table, row and column the value belongs to, so that a ciphertext copied onto another row or
into another column does not decrypt.

Format 1 (`hw1:`), written before rows were bound, bound a value to its column only and
every file to the word "attachment". Such tokens still decrypt (with `Binding.legacy`);
`homeward rotate-keys` rewrites every one of them as format 2, after which none is left.

Plain Python: the Django fields, the file storage and the key rotation are built on it.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "hw2"
LEGACY_PREFIX = "hw1"
PREFIXES = (PREFIX, LEGACY_PREFIX)
NONCE_BYTES = 12


class CryptoError(Exception):
    """A key is missing or a value cannot be decrypted with the keys at hand."""


class MissingKeyError(CryptoError):
    """The key version a value was encrypted with is not in the key ring."""

    def __init__(self, version: int, what: str) -> None:
        super().__init__(f"Key version {version} is needed to read {what} but is not configured.")
        self.version = version


@dataclass(frozen=True)
class Binding:
    """Where a ciphertext belongs: its table, row (primary key) and column. `legacy` is what
    format 1 bound it to (the model's label and field name, or "attachment" for a file)."""

    table: str
    row: str
    column: str
    legacy: str

    def associated_data(self, prefix: str) -> bytes:
        if prefix == LEGACY_PREFIX:
            return self.legacy.encode()
        return f"{self.table}\x1f{self.row}\x1f{self.column}".encode()

    def __str__(self) -> str:
        return f"{self.table}.{self.column} of row {self.row}"


@dataclass(frozen=True)
class TokenHeader:
    """What a stored value or file says of itself before decryption."""

    prefix: str
    version: int


@dataclass
class KeyRing:
    keys: dict[int, bytes] = field(default_factory=dict)

    @property
    def current_version(self) -> int:
        if not self.keys:
            raise CryptoError("No encryption key is configured.")
        return max(self.keys)

    def encrypt(self, plaintext: str, binding: Binding) -> str:
        version = self.current_version
        sealed = self._seal(version, plaintext.encode(), binding)
        return f"{PREFIX}:{version}:{base64.b64encode(sealed).decode()}"

    def decrypt(self, token: str, binding: Binding) -> str:
        header, blob = parse_token(token)
        try:
            raw = base64.b64decode(blob, validate=True)
        except ValueError:
            raise CryptoError(f"The value of {binding} is damaged.") from None
        return self._open(header, raw, binding, "a value").decode()

    def encrypt_bytes(self, plain: bytes, binding: Binding) -> bytes:
        version = self.current_version
        return f"{PREFIX}:{version}:".encode() + self._seal(version, plain, binding)

    def decrypt_bytes(self, token: bytes, binding: Binding) -> bytes:
        header = bytes_header(token)
        return self._open(header, token.split(b":", 2)[2], binding, "a file")

    def is_current(self, header: TokenHeader) -> bool:
        """Written with the newest key, bound to its row: nothing for a rotation to do."""
        return header.prefix == PREFIX and header.version == self.current_version

    def _seal(self, version: int, plain: bytes, binding: Binding) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aad = binding.associated_data(PREFIX)
        return nonce + AESGCM(self.keys[version]).encrypt(nonce, plain, aad)

    def _open(self, header: TokenHeader, raw: bytes, binding: Binding, what: str) -> bytes:
        if header.version not in self.keys:
            raise MissingKeyError(header.version, what)
        aad = binding.associated_data(header.prefix)
        try:
            return AESGCM(self.keys[header.version]).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad
            )
        except (InvalidTag, ValueError):
            raise CryptoError(
                f"{what.capitalize()} of {binding} does not decrypt: wrong key, altered or "
                "damaged data, or moved from another row."
            ) from None

    def with_new_key(self) -> KeyRing:
        next_version = max(self.keys, default=0) + 1
        return self.with_key(next_version)

    def with_key(self, version: int) -> KeyRing:
        return KeyRing({**self.keys, version: AESGCM.generate_key(bit_length=256)})

    def to_json(self) -> str:
        return json.dumps(
            {str(v): base64.b64encode(k).decode() for v, k in sorted(self.keys.items())}
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            return cls({int(v): base64.b64decode(k) for v, k in json.loads(text).items()})
        except (ValueError, AttributeError, TypeError):
            raise CryptoError("The key file is not a Homeward key file.") from None


def is_token(value: str) -> bool:
    return value.startswith((PREFIX + ":", LEGACY_PREFIX + ":"))


def parse_token(token: str) -> tuple[TokenHeader, str]:
    try:
        prefix, version, blob = token.split(":", 2)
        if prefix not in PREFIXES:
            raise ValueError
        return TokenHeader(prefix, int(version)), blob
    except ValueError:
        raise CryptoError("The stored value is not an encrypted Homeward value.") from None


def bytes_header(token: bytes) -> TokenHeader:
    """The header of an encrypted file (its first few bytes are enough)."""
    try:
        prefix, version, _ = token.split(b":", 2)
        if prefix.decode() not in PREFIXES:
            raise ValueError
        return TokenHeader(prefix.decode(), int(version))
    except ValueError:
        raise CryptoError("The stored file is not an encrypted Homeward file.") from None


HEADER_BYTES = 16  # enough for `hw2:<version>:` up to a version of ten digits


def load_key_file(path: Path) -> KeyRing:
    """The key ring kept in `path` (outside the database)."""
    try:
        return KeyRing.from_json(path.read_text())
    except FileNotFoundError:
        raise CryptoError(f"No key file at {path}.") from None


def save_key_file(path: Path, ring: KeyRing) -> None:
    """Write the key file so that a crash or power cut leaves the old one or the new one,
    whole, never a part: a temporary file, flushed to disk, renamed over the old."""
    write_durably(path, ring.to_json().encode())


def write_durably(path: Path, data: bytes) -> None:
    """`data` in `path`, owner-only, on disk before this returns: written to a temporary
    file beside it, fsynced, renamed into place, and the folder fsynced (the rename)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
