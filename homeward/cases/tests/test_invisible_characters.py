"""Names with invisible characters (issue 14, item 7): a right-to-left override, zero-width
joiners and spaces, ESC and BEL are refused wherever a name comes in, with a message that
names the character; a name is kept in NFC, so that "Saidova" finds it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError, NameInput, RelativeInput
from homeward.cases.tests.test_pages import registration_form
from homeward.lib.scripts import UnreadableNameError, clean_name
from homeward.people.models import PersonName
from homeward.tracing import services as tracing
from homeward.tracing.services import RequestInput, SoughtInput

pytestmark = pytest.mark.django_db

HOSTILE = {
    "Ami\u200dna Sai\u200bdova": "U+200D ZERO WIDTH JOINER",
    "Amina \u202eavodiaS": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "Amina\x1b[31m Saidova": "U+001B",
    "Amina\x07 Saidova": "U+0007",
    "\ufeffAmina Saidova": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "Amina\u00ad Saidova": "U+00AD SOFT HYPHEN",
    "Amina \ue000Saidova": "U+E000",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_clean_name_refuses_and_names_each_invisible_character(name: str) -> None:
    with pytest.raises(UnreadableNameError) as refused:
        clean_name(name)
    assert HOSTILE[name] in str(refused.value)
    assert "retype the name without it" in str(refused.value)


def test_clean_name_composes_letters_and_folds_white_space() -> None:
    decomposed = "Zayna\u0301b\tKurbanova\u00a0 "
    assert clean_name(decomposed) == "Zaynáb Kurbanova"
    assert unicodedata.is_normalized("NFC", clean_name(decomposed))


@pytest.mark.parametrize("name", HOSTILE)
def test_registering_a_child_refuses_the_name(
    name: str, make_case: Callable[..., ChildCase]
) -> None:
    with pytest.raises(CaseError) as refused:
        make_case(names=[NameInput(name, "consular")])
    assert refused.value.field == "names" and HOSTILE[name] in refused.value.message
    assert not ChildCase.objects.exists()


def test_a_relatives_name_is_refused_too(make_case: Callable[..., ChildCase]) -> None:
    mother = RelativeInput("mother", [NameInput("Asiyat\u200b Saidova", "family")])
    with pytest.raises(CaseError, match="U\\+200B ZERO WIDTH SPACE"):
        make_case(relatives=[mother])


def test_the_registration_form_shows_the_refusal(caseworker_client: Client) -> None:
    form = registration_form(**{"names-1-full_name": "Zaynab\u200d Kurbanova"})
    response = caseworker_client.post(reverse("cases:register"), form)
    assert response.status_code == 400
    assert "U+200D ZERO WIDTH JOINER" in response.content.decode()
    assert not ChildCase.objects.exists()


def test_a_composed_name_is_kept_and_found(
    make_case: Callable[..., ChildCase], caseworker_client: Client
) -> None:
    make_case(names=[NameInput("Amina Sai\u0308dova", "consular")])  # i + combining diaeresis
    assert PersonName.objects.filter(full_name="Amina Saïdova").exists()
    page = caseworker_client.get(reverse("cases:list"), {"q": "Saïdova"}).content.decode()
    assert "Amina Saïdova" in page


def test_a_tracing_request_refuses_the_name_of_a_parent(caseworker: User, agency: object) -> None:
    data = RequestInput(
        enquirer_names=[NameInput("Patimat Saidova", "family")],
        enquirer_relationship="grandmother", filed_on=date(2019, 1, 1),
        sought=[SoughtInput("child", names=[NameInput("Amina Saidova", "family")],
                            mother_names=("Asiyat\x07 Saidova",))],
    )  # fmt: skip
    with pytest.raises(CaseError) as refused:
        tracing.file_request(data, agency=agency, by=caseworker)  # type: ignore[arg-type]
    assert refused.value.field == "mother_names" and "U+0007" in refused.value.message
    assert (refused.value.within, refused.value.index) == ("sought", 0)


def test_homeward_link_refuses_the_name(tmp_path: Path) -> None:
    header = "id,names,sex,birth,mother,father,place\n"
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(header + "L1,Ami\u200dna Saidova,f,2013,,,\n", encoding="utf-8")
    right.write_text(header + "R1,Amina Saidova,f,2013,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="column names: The name has an invisible"):
        call_command(
            "link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"), "--strict"
        )
