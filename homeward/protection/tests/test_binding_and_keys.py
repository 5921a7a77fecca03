"""Encrypted values and files are bound to their row; values written before that still
read and are rebound by a rotation; a running server reads a key made after it started;
a lost key file is never replaced by a new key over existing data."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from homeward.cases import services
from homeward.cases.models import Attachment, ChildCase, FamilyMember
from homeward.conftest import signed_in
from homeward.lib.crypto import CryptoError, load_key_file, save_key_file
from homeward.protection.fields import file_binding, value_binding
from homeward.protection.keys import key_file, key_ring
from homeward.protection.tests.test_restricted import SENTENCE, add_mother, raw_column

pytestmark = pytest.mark.django_db


def set_raw(model: Any, pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # nosec B608


def attach(case: ChildCase, by: User, content: bytes = b"a document") -> Attachment:
    return services.add_attachment(
        case, SimpleUploadedFile("note.txt", content, content_type="text/plain"),
        kind="document", description="", by=by, max_bytes=10_000,
    )  # fmt: skip


def test_a_sentence_copied_onto_another_relatives_row_does_not_decrypt_there(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    first = add_mother(case, caseworker)
    second = add_mother(make_case(), caseworker)
    set_raw(FamilyMember, second.pk, "sentence", raw_column(FamilyMember, first.pk, "sentence"))
    with pytest.raises(CryptoError, match="does not decrypt"):
        _ = FamilyMember.objects.get(pk=second.pk).sentence
    assert FamilyMember.objects.get(pk=first.pk).sentence == SENTENCE


def test_a_file_put_in_another_attachments_place_does_not_decrypt(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    secret, other = attach(case, caseworker, b"the secret one"), attach(case, caseworker)
    Path(other.file.path).write_bytes(Path(secret.file.path).read_bytes())
    with pytest.raises(CryptoError, match="does not decrypt"):
        Attachment.objects.get(pk=other.pk).file.open("rb")
    with Attachment.objects.get(pk=secret.pk).file.open("rb") as opened:
        assert opened.read() == b"the secret one"


def legacy_token(key: bytes, plain: bytes, context: str) -> bytes:
    """What the app wrote before rows were bound (format 1): the column, or "attachment"."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plain, context.encode())


def test_values_and_files_written_before_rows_were_bound_still_read_and_rotation_rebinds_them(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    member = add_mother(case, caseworker)
    document = attach(case, caseworker)
    ring = key_ring()
    version, key = ring.current_version, ring.keys[ring.current_version]
    sealed = legacy_token(key, b"Old sentence", "cases.familymember.sentence")
    set_raw(
        FamilyMember, member.pk, "sentence", f"hw1:{version}:{base64.b64encode(sealed).decode()}"
    )
    Path(document.file.path).write_bytes(
        f"hw1:{version}:".encode() + legacy_token(key, b"old file", "attachment")
    )
    assert FamilyMember.objects.get(pk=member.pk).sentence == "Old sentence"
    with Attachment.objects.get(pk=document.pk).file.open("rb") as opened:
        assert opened.read() == b"old file"

    call_command("rotate-keys", stdout=StringIO())

    assert raw_column(FamilyMember, member.pk, "sentence").startswith("hw2:")
    assert Path(document.file.path).read_bytes().startswith(b"hw2:")
    assert FamilyMember.objects.get(pk=member.pk).sentence == "Old sentence"
    with Attachment.objects.get(pk=document.pk).file.open("rb") as opened:
        assert opened.read() == b"old file"


def test_a_running_server_reads_values_and_files_of_a_key_made_after_it_started(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    """Another process rotates the keys: the key file gains version N+1 and the values
    are rewritten with it. This process's pages read them without a restart."""
    case = make_case()
    member = add_mother(case, caseworker)
    document = attach(case, caseworker)
    client = signed_in(caseworker)
    page = reverse("cases:detail", args=[case.pk])
    assert SENTENCE in client.get(page).content.decode()  # the key ring is loaded now

    newer = load_key_file(key_file()).with_new_key()  # the other process's work
    save_key_file(key_file(), newer)
    binding = value_binding(FamilyMember._meta.get_field("sentence"), member.pk)
    set_raw(FamilyMember, member.pk, "sentence", newer.encrypt(SENTENCE, binding))
    file_bound = file_binding(Attachment._meta.get_field("file"), document.pk)
    Path(document.file.path).write_bytes(newer.encrypt_bytes(b"a document", file_bound))

    response = client.get(page)
    assert response.status_code == 200 and SENTENCE in response.content.decode()
    download = client.get(reverse("cases:download_attachment", args=[case.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"a document"  # type: ignore[attr-defined]


def test_a_lost_key_file_is_not_replaced_by_a_new_key_over_existing_data(
    make_case: Callable[..., ChildCase], caseworker: User, settings: Any, tmp_path: Path
) -> None:
    member = add_mother(make_case(), caseworker)
    settings.HOMEWARD_KEYS_FILE = tmp_path / "restored-without-keys.json"
    with pytest.raises(
        CryptoError, match=r"No key file at .* but the database holds 2 encrypted values"
    ):
        _ = FamilyMember.objects.get(pk=member.pk).sentence
    assert not settings.HOMEWARD_KEYS_FILE.exists()


def test_a_new_installation_makes_its_first_key(settings: Any, tmp_path: Path) -> None:
    settings.HOMEWARD_KEYS_FILE = tmp_path / "keys.json"
    assert key_ring().current_version == 1
    assert settings.HOMEWARD_KEYS_FILE.stat().st_mode & 0o077 == 0
