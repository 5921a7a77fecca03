from __future__ import annotations

from pathlib import Path

import pytest

from homeward.lib.crypto import CryptoError, KeyRing, load_key_file, parse_token


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing().with_new_key()


def test_a_value_comes_back_as_it_went_in(ring: KeyRing) -> None:
    token = ring.encrypt("Life imprisonment", context="cases.familymember.sentence")
    assert token.startswith("hw1:1:") and "Life" not in token
    assert ring.decrypt(token, context="cases.familymember.sentence") == "Life imprisonment"


def test_the_same_value_encrypts_differently_each_time(ring: KeyRing) -> None:
    assert ring.encrypt("15 years", context="c") != ring.encrypt("15 years", context="c")


def test_a_value_moved_to_another_column_does_not_decrypt(ring: KeyRing) -> None:
    token = ring.encrypt("15 years", context="cases.familymember.sentence")
    with pytest.raises(CryptoError, match="does not decrypt"):
        ring.decrypt(token, context="cases.familymember.conviction")


def test_an_altered_value_does_not_decrypt(ring: KeyRing) -> None:
    token = ring.encrypt("15 years", context="c")
    version, blob = parse_token(token)
    altered = f"hw1:{version}:{'A' if blob[0] != 'A' else 'B'}{blob[1:]}"
    with pytest.raises(CryptoError):
        ring.decrypt(altered, context="c")


def test_after_a_new_key_old_values_still_read_and_new_ones_use_it(ring: KeyRing) -> None:
    old = ring.encrypt("20 years", context="c")
    newer = ring.with_new_key()
    assert newer.current_version == 2
    assert not newer.is_current(old)
    assert newer.decrypt(old, context="c") == "20 years"
    assert newer.encrypt("x", context="c").startswith("hw1:2:")


def test_a_missing_key_version_is_named(ring: KeyRing) -> None:
    token = ring.with_new_key().encrypt("x", context="c")
    with pytest.raises(CryptoError, match="Key version 2 is needed"):
        ring.decrypt(token, context="c")


def test_files_are_encrypted_as_bytes(ring: KeyRing) -> None:
    token = ring.encrypt_bytes(b"\x89PNG data", context="attachment")
    assert b"PNG" not in token
    assert ring.decrypt_bytes(token, context="attachment") == b"\x89PNG data"
    assert ring.is_current_bytes(token)


def test_the_key_file_is_made_once_and_readable_only_by_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    with pytest.raises(CryptoError, match="No key file"):
        load_key_file(path, create=False)
    made = load_key_file(path, create=True)
    assert path.stat().st_mode & 0o077 == 0
    assert load_key_file(path, create=False).keys == made.keys
