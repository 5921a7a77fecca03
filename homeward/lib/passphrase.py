"""Sealing a small secret (a backup's keys) with a passphrase: scrypt to make a key from the
passphrase (OWASP's parameters: N=2^17, r=8, p=1), AES-256-GCM to encrypt. Plain Python.

The sealed form is JSON, so that an operator can see what it is:
`{"format": "homeward-sealed-1", "kdf": "scrypt", "n": ..., "salt": ..., "sealed": ...}`.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "homeward-sealed-1"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MIN_PASSPHRASE = 12


class PassphraseError(Exception):
    """A passphrase too short, or not the one the secret was sealed with."""


def seal(secret: bytes, passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseError(f"The passphrase must have at least {MIN_PASSPHRASE} characters.")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    sealed = AESGCM(key).encrypt(nonce, secret, FORMAT.encode())
    document = {
        "format": FORMAT, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
        "salt": _b64(salt), "nonce": _b64(nonce), "sealed": _b64(sealed),
    }  # fmt: skip
    return json.dumps(document, indent=1).encode()


def unseal(document: bytes, passphrase: str) -> bytes:
    try:
        fields = json.loads(document)
        if fields.get("format") != FORMAT or fields.get("kdf") != "scrypt":
            raise ValueError
        salt, nonce, sealed = (base64.b64decode(fields[k]) for k in ("salt", "nonce", "sealed"))
        key = _key(passphrase, salt, int(fields["n"]), int(fields["r"]), int(fields["p"]))
    except (ValueError, KeyError, TypeError):
        raise PassphraseError("This is not a file sealed by Homeward.") from None
    try:
        return AESGCM(key).decrypt(nonce, sealed, FORMAT.encode())
    except InvalidTag:
        raise PassphraseError("Wrong passphrase, or the file was altered.") from None


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
