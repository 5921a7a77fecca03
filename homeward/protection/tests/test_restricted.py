"""Restricted fields: encrypted at rest, shown only to the roles that need them, and still
readable after the keys are rotated."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from homeward.accounts.models import Agency, Role
from homeward.cases import services
from homeward.cases.models import Attachment, ChildCase, FamilyMember
from homeward.cases.services import NameInput, RelativeInput
from homeward.conftest import make_user, signed_in
from homeward.protection.keys import key_ring
from homeward.protection.sensitivity import FIELDS

SENTENCE = "Sentenced to fifteen years (test-unique-7731)"


def add_mother(case: ChildCase, by: User) -> FamilyMember:
    mother = RelativeInput(
        "mother", [NameInput("Мать Тест", "family")], sex="f", status="detained",
        conviction="Membership (test)", sentence=SENTENCE,
    )  # fmt: skip
    return services.add_family_member(case, mother, by=by)


def raw_column(model: type, pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        table = model._meta.db_table  # type: ignore[attr-defined]
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # nosec B608
        return str(cursor.fetchone()[0])


def test_every_field_of_a_childs_record_is_classified() -> None:
    for app_label in ("people", "cases", "health", "care", "missions", "rules"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name in (
                *("caseshare", "duplicatecandidate", "casemerge"),  # links between records
                *("mission", "missionescort", "missionchange", "custodyrule"),  # flights, laws
            ):
                continue
            fields = {f.name for f in model._meta.concrete_fields}
            classified = set(FIELDS.get(model._meta.label_lower, {}))
            assert fields == classified, model._meta.label_lower


@pytest.mark.django_db
def test_a_restricted_value_is_stored_encrypted_and_read_back_in_clear(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    member = add_mother(make_case(), caseworker)
    stored = raw_column(FamilyMember, member.pk, "sentence")
    assert stored.startswith("hw2:") and "fifteen" not in stored
    assert FamilyMember.objects.get(pk=member.pk).sentence == SENTENCE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [(Role.CASEWORKER, True), (Role.SUPERVISOR, True), (Role.MISSION_COORDINATOR, False),
     (Role.MEDICAL_OFFICER, False)],
)  # fmt: skip
def test_the_sentence_is_shown_only_to_the_roles_that_need_it(
    make_case: Callable[..., ChildCase], caseworker: User, agency: Agency, role: str, sees: bool
) -> None:
    case = make_case()
    add_mother(case, caseworker)
    user = caseworker if role == Role.CASEWORKER else make_user(f"u_{role}", agency, role)
    page = signed_in(user).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (SENTENCE in page) is sees
    assert ("Conviction and sentence: restricted" in page) is not sees


@pytest.mark.django_db
def test_editing_a_relative_without_legal_access_keeps_the_sentence(
    make_case: Callable[..., ChildCase], caseworker: User, agency: Agency
) -> None:
    case = make_case()
    member = add_mother(case, caseworker)
    coordinator = make_user("coord", agency, Role.MISSION_COORDINATOR)
    client = signed_in(coordinator)
    url = reverse("cases:edit_family_member", args=[case.pk, member.pk])
    form_page = client.get(url).content.decode()
    assert "fifteen" not in form_page and 'name="sentence"' not in form_page
    data = {"relationship": "mother", "names": "Мать Тест", "names_source": "family", "sex": "f",
            "status": "detained", "place": "Baghdad", "willing_to_take_custody": "unknown",
            "home_assessment": "not_assessed"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.sentence == SENTENCE and member.place == "Baghdad"


@pytest.mark.django_db
def test_a_photo_is_withheld_from_roles_without_photo_access(
    make_case: Callable[..., ChildCase], caseworker: User, agency: Agency
) -> None:
    case = make_case()
    photo = services.add_attachment(
        case, SimpleUploadedFile("face.png", b"\x89PNG fake", content_type="image/png"),
        kind="photo", description="", by=caseworker, max_bytes=1000,
    )  # fmt: skip
    medic = signed_in(make_user("medic", agency, Role.MEDICAL_OFFICER))
    assert "face.png" not in medic.get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("cases:download_attachment", args=[case.pk, photo.pk])
    assert medic.get(url).status_code == 404
    response = signed_in(caseworker).get(url)
    assert b"".join(response.streaming_content) == b"\x89PNG fake"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_after_rotating_keys_every_value_and_file_reads_and_uses_the_new_key(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    member = add_mother(case, caseworker)
    document = services.add_attachment(
        case, SimpleUploadedFile("note.txt", b"a document", content_type="text/plain"),
        kind="document", description="", by=caseworker, max_bytes=1000,
    )  # fmt: skip
    before = key_ring().current_version
    out = StringIO()
    call_command("rotate-keys", stdout=out)
    assert f"Key version {before + 1} is now in use: re-encrypted 2 values" in out.getvalue()
    assert "and 1 files" in out.getvalue()
    assert raw_column(FamilyMember, member.pk, "sentence").startswith(f"hw2:{before + 1}:")
    member.refresh_from_db()
    assert member.sentence == SENTENCE
    with Attachment.objects.get(pk=document.pk).file.open("rb") as opened:
        assert opened.read() == b"a document"
    assert "re-encrypted 0 values" not in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_dump_holds_no_restricted_value_in_clear(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    add_mother(make_case(), caseworker)
    db = settings.DATABASES["default"]
    dump = subprocess.run(
        ["pg_dump", "-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"], db["NAME"]],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "fifteen" not in dump.stdout and "Membership (test)" not in dump.stdout
    assert "hw2:" in dump.stdout
