"""Documents and photos: stored outside the web root, reached only through the case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeward.audit.models import AuditEntry
from homeward.cases.models import Attachment, ChildCase
from homeward.conftest import signed_in

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def upload(
    client: Client,
    case: ChildCase,
    name: str,
    content: bytes,
    content_type: str,
    kind: str = "photo",
) -> object:
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        reverse("cases:upload_attachment", args=[case.pk]),
        {"kind": kind, "file": file, "description": "Photo at registration"},
    )


def test_an_uploaded_photo_is_kept_encrypted_outside_the_web_root_under_a_random_name(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    response = upload(caseworker_client, case, "../../etc/amina.png", PNG, "image/png")
    assert response.status_code == 302  # type: ignore[attr-defined]
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path)
    assert PNG[:8] not in stored.read_bytes()  # encrypted on disk
    with attachment.file.open("rb") as opened:
        assert opened.read() == PNG
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "amina" not in stored.name and stored.suffix == ".png"
    assert attachment.original_name == "amina.png"
    assert AuditEntry.objects.filter(action="attachment.uploaded").count() == 1


def test_the_download_view_serves_the_file_to_those_who_may_see_the_case(
    caseworker_client: Client, make_case: Callable[..., ChildCase], outsider: User
) -> None:
    case = make_case()
    upload(caseworker_client, case, "amina.png", PNG, "image/png")
    attachment = Attachment.objects.get()
    url = reverse("cases:download_attachment", args=[case.pk, attachment.pk])
    response = caseworker_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="amina.png"'
    assert AuditEntry.objects.filter(action="attachment.downloaded").count() == 1
    assert signed_in(outsider).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="attachment.downloaded").count() == 1


def test_an_attachment_is_reached_only_through_its_own_case(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    first, second = make_case(), make_case()
    upload(caseworker_client, first, "amina.png", PNG, "image/png")
    attachment = Attachment.objects.get()
    url = reverse("cases:download_attachment", args=[second.pk, attachment.pk])
    assert caseworker_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind", "message"),
    [
        (
            "script.html",
            b"<script>",
            "text/html",
            "document",
            "Upload a PDF, JPEG, PNG or plain-text file.",
        ),
        (
            "notes.pdf",
            b"%PDF-1.4",
            "application/pdf",
            "photo",
            "A photo must be a JPEG or PNG image.",
        ),
        ("empty.png", b"", "image/png", "photo", "The submitted file is empty."),
    ],
)
def test_an_unsuitable_file_is_refused_and_nothing_is_stored(
    caseworker_client: Client,
    make_case: Callable[..., ChildCase],
    name: str,
    content: bytes,
    content_type: str,
    kind: str,
    message: str,
) -> None:
    case = make_case()
    response = upload(caseworker_client, case, name, content, content_type, kind)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Attachment.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_a_file_over_the_size_limit_is_refused(
    caseworker_client: Client, make_case: Callable[..., ChildCase], settings: object
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10  # type: ignore[attr-defined]
    response = upload(caseworker_client, make_case(), "big.png", PNG, "image/png")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not Attachment.objects.exists()
