from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from homeward.lib.crypto import (
    Binding,
    CryptoError,
    KeyRing,
    bytes_header,
    load_key_file,
    parse_token,
    save_key_file,
)

SENTENCE = Binding("cases_familymember", "7", "sentence", "cases.familymember.sentence")


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing().with_new_key()


def test_a_value_comes_back_as_it_went_in(ring: KeyRing) -> None:
    token = ring.encrypt("Life imprisonment", SENTENCE)
    assert token.startswith("hw2:1:") and "Life" not in token
    assert ring.decrypt(token, SENTENCE) == "Life imprisonment"


def test_the_same_value_encrypts_differently_each_time(ring: KeyRing) -> None:
    assert ring.encrypt("15 years", SENTENCE) != ring.encrypt("15 years", SENTENCE)


def test_a_value_moved_to_another_column_does_not_decrypt(ring: KeyRing) -> None:
    token = ring.encrypt("15 years", SENTENCE)
    conviction = Binding("cases_familymember", "7", "conviction", "cases.familymember.conviction")
    with pytest.raises(CryptoError, match="does not decrypt"):
        ring.decrypt(token, conviction)


def test_a_value_copied_onto_another_row_does_not_decrypt(ring: KeyRing) -> None:
    token = ring.encrypt("15 years", SENTENCE)
    other_row = Binding("cases_familymember", "8", "sentence", "cases.familymember.sentence")
    with pytest.raises(CryptoError, match="does not decrypt"):
        ring.decrypt(token, other_row)


def test_a_format_1_value_still_decrypts_with_the_column_it_was_bound_to(ring: KeyRing) -> None:
    """What the app wrote before rows were bound: AES-GCM with the column's name only."""
    nonce = os.urandom(12)
    sealed = AESGCM(ring.keys[1]).encrypt(nonce, b"20 years", b"cases.familymember.sentence")
    legacy = f"hw1:1:{base64.b64encode(nonce + sealed).decode()}"
    assert ring.decrypt(legacy, SENTENCE) == "20 years"
    assert not ring.is_current(parse_token(legacy)[0])  # the next rotation rebinds it


def test_an_altered_value_does_not_decrypt(ring: KeyRing) -> None:
    token = ring.encrypt("15 years", SENTENCE)
    header, blob = parse_token(token)
    altered = f"hw2:{header.version}:{'A' if blob[0] != 'A' else 'B'}{blob[1:]}"
    with pytest.raises(CryptoError):
        ring.decrypt(altered, SENTENCE)


def test_after_a_new_key_old_values_still_read_and_new_ones_use_it(ring: KeyRing) -> None:
    old = ring.encrypt("20 years", SENTENCE)
    newer = ring.with_new_key()
    assert newer.current_version == 2
    assert not newer.is_current(parse_token(old)[0])
    assert newer.decrypt(old, SENTENCE) == "20 years"
    assert newer.encrypt("x", SENTENCE).startswith("hw2:2:")


def test_a_missing_key_version_is_named(ring: KeyRing) -> None:
    token = ring.with_new_key().encrypt("x", SENTENCE)
    with pytest.raises(CryptoError, match="Key version 2 is needed"):
        ring.decrypt(token, SENTENCE)


def test_files_are_encrypted_as_bytes_and_bound_to_their_row(ring: KeyRing) -> None:
    binding = Binding("cases_attachment", "3", "file", "attachment")
    token = ring.encrypt_bytes(b"\x89PNG data", binding)
    assert b"PNG" not in token
    assert ring.decrypt_bytes(token, binding) == b"\x89PNG data"
    assert ring.is_current(bytes_header(token[:16]))
    other = Binding("cases_attachment", "4", "file", "attachment")
    with pytest.raises(CryptoError, match="does not decrypt"):
        ring.decrypt_bytes(token, other)


def test_a_truncated_file_is_reported_as_not_decrypting(ring: KeyRing) -> None:
    binding = Binding("cases_attachment", "3", "file", "attachment")
    token = ring.encrypt_bytes(b"x" * 1000, binding)
    with pytest.raises(CryptoError, match="does not decrypt"):
        ring.decrypt_bytes(token[:500], binding)


def test_the_key_file_is_written_whole_and_readable_only_by_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    with pytest.raises(CryptoError, match="No key file"):
        load_key_file(path)
    made = KeyRing().with_new_key()
    save_key_file(path, made)
    assert path.stat().st_mode & 0o077 == 0
    assert load_key_file(path).keys == made.keys
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]  # no temporary file left
