"""Every read, change, download, search, sign-in and refusal writes exactly one entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeward.audit.models import AuditEntry
from homeward.cases.models import Attachment, ChildCase
from homeward.conftest import signed_in

pytestmark = pytest.mark.django_db


@contextmanager
def writes_one(action: str) -> Iterator[None]:
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    yield
    new = list(AuditEntry.objects.filter(id__gt=before).values_list("action", flat=True))
    assert new == [action]


@pytest.fixture
def case(make_case: Callable[..., ChildCase]) -> ChildCase:
    return make_case()


@pytest.fixture
def client(caseworker: User) -> Client:
    return signed_in(caseworker)


def test_reading_a_case(client: Client, case: ChildCase) -> None:
    with writes_one("case.viewed"):
        client.get(reverse("cases:detail", args=[case.pk]))


def test_searching(client: Client) -> None:
    with writes_one("case.searched"):
        client.get(reverse("cases:list"), {"q": "Amina"})


def test_downloading_a_file(client: Client, case: ChildCase) -> None:
    file = SimpleUploadedFile("a.txt", b"text", content_type="text/plain")
    with writes_one("attachment.uploaded"):
        client.post(
            reverse("cases:upload_attachment", args=[case.pk]), {"kind": "document", "file": file}
        )
    attachment = Attachment.objects.get()
    with writes_one("attachment.downloaded"):
        response = client.get(reverse("cases:download_attachment", args=[case.pk, attachment.pk]))
        assert b"".join(response.streaming_content) == b"text"  # type: ignore[attr-defined]


AUNT = {
    "relationship": "aunt", "names": "Тётя", "names_source": "family", "sex": "f",
    "status": "alive", "willing_to_take_custody": "willing", "home_assessment": "not_assessed",
}  # fmt: skip
CHANGES = [
    ("change_status", {"to_status": "verified", "effective_on": "2018-06-01"}, "status_changed"),
    ("add_note", {"text": "A note"}, "note_added"),
    ("change_placement", {"country": "IQ", "facility_kind": "camp", "since": "2019-01-01"},
     "placement_changed"),
    ("edit_identity", {"sex": "f", "birth_known": "2013", "nationality": "RU",
                       "home_region": "RU-CE"}, "identity_changed"),
    ("add_family_member", AUNT, "family_changed"),
    ("offer", {"kind": "referral", "reason": "r", "consent": "c"}, "referral_offered"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "action"), CHANGES)
def test_each_change(
    client: Client, case: ChildCase, other_agency: Any, name: str, data: dict[str, str], action: str
) -> None:
    if name == "offer":
        data = data | {"to_agency": str(other_agency.pk)}
    with writes_one(f"case.{action}"):
        response = client.post(reverse(f"cases:{name}", args=[case.pk]), data)
    assert response.status_code == 302


def test_registering_a_child_with_parents_is_one_entry(client: Client) -> None:
    from homeward.cases.tests.test_pages import registration_form

    with writes_one("case.created"):
        assert client.post(reverse("cases:register"), registration_form()).status_code == 302


def test_a_failed_sign_in(caseworker: User) -> None:
    with writes_one("auth.login_failed"):
        Client().post(reverse("login"), {"username": "caseworker", "password": "nope nope"})


def test_a_refusal(outsider: User, case: ChildCase) -> None:
    client = signed_in(outsider)
    with writes_one("access.denied"):
        client.get(reverse("cases:detail", args=[case.pk]))


def test_the_dashboard(client: Client) -> None:
    """Issue 14, item 10: the dashboard names children; it was read without a trace."""
    with writes_one("dashboard.viewed"):
        client.get(reverse("home"))
    with writes_one("dashboard.viewed"):
        client.get(reverse("home"), {"on": "2019-01-21"})
    assert AuditEntry.objects.order_by("-id")[0].changed_fields == ["on"]


def test_the_case_list_with_its_filters(client: Client, case: ChildCase) -> None:
    with writes_one("case.listed"):
        client.get(reverse("cases:list"))
    with writes_one("case.listed"):
        client.get(reverse("cases:list"), {"status": "identified", "sex": "f"})
    assert AuditEntry.objects.order_by("-id")[0].changed_fields == ["sex", "status"]


def test_asking_for_another_cases_family_member_is_a_refusal(
    client: Client, case: ChildCase, make_case: Callable[..., ChildCase], other_agency: Any
) -> None:
    from homeward.cases.services import NameInput, RelativeInput

    mother = RelativeInput("mother", [NameInput("Мать Другая", "family")])
    elsewhere = make_case(owner=other_agency, relatives=[mother])
    member = elsewhere.family.get()
    with writes_one("access.denied"):
        response = client.get(reverse("cases:edit_family_member", args=[case.pk, member.pk]))
    assert response.status_code == 404
    entry = AuditEntry.objects.order_by("-id")[0]
    assert (entry.object_type, entry.object_id) == ("cases.familymember", str(member.pk))
