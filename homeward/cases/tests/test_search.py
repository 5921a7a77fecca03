"""The case list's search reads names as the matching engine does (issue 17): any spelling,
any order, any standard, Arabic script without vowels or without the father's name, a
typo, a missing middle name; best first; by reference too; only among the cases the user
may see."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase
from homeward.cases.queries import search
from homeward.cases.services import NameInput
from homeward.people import queries

pytestmark = pytest.mark.django_db

CHILDREN = {
    "khadizhat": ["Хадижат Магомедовна Саидова"],
    "magomed": ["Магомед Дадаев"],
    "yusup": ["Юсуп Ахмедов"],
    "hussein": ["حسين سعيد الديواني"],  # Hussein, son of Saeed, al-Diwani
    "aleksei": ["Алексей Владиславович Орехов"],
    "anna": ["Анна Зуева"],
    "amina": ["أمينة"],  # as a host authority wrote it: without vowels
    "ivan": ["Иван Михеев"],
    "pavel": ["Павел Беляев"],
    "hayder": ["حيدر الديواني"],
    "eiad": ["اياد عوض"],
    "abdullatif": ["عبداللطيف حسن"],
    "fekla": ["Фёкла Артёмовна Иванова"],
    "dhiaa": ["ضياء جواد الربيعي"],
    "haci": ["حاجي بكتاش"],
    # Near-namesakes that none of the searches below may find.
    "aliyeva": ["Хадижат Алиева"],
    "aliev": ["Магомед Алиев"],
}
SPELLINGS = [
    ("Khadijat Saidova", "khadizhat"),  # j for ж, the patronymic left out
    ("Saidova Khadijat", "khadizhat"),  # surname first
    ("Xadijat Saidova", "khadizhat"),  # GOST 7.79 B
    ("Hadižat Saidova", "khadizhat"),  # ISO 9
    ("Хадижат Саидова", "khadizhat"),
    ("Khadizhat Sainova", "khadizhat"),  # a typo in the family name
    ("Khadishat Saidova", "khadizhat"),  # a typo in the given name
    ("Magomed Dadajev", "magomed"),
    ("Muhammad Dadaev", "magomed"),
    ("Akhmedov Yusup", "yusup"),
    ("Jusup Ahmedov", "yusup"),
    ("حسين الديواني", "hussein"),  # Arabic, without the father's name
    ("Hussein Aldiwani", "hussein"),
    ("Husein al-Diwani", "hussein"),
    ("Aleksej Vladislavovič Orehov", "aleksei"),  # ISO 9, with the patronymic
    ("Orekhov Aleksei", "aleksei"),
    ("Anna Zoueva", "anna"),  # French
    ("Amina", "amina"),
    ("Ivan Mixeev", "ivan"),  # GOST 7.79 B
    ("Pavel Belâev", "pavel"),  # ISO 9
    ("Hussein Saeed", "hussein"),  # given name and father's name, as a Latin record has it
    ("Houssein Said", "hussein"),  # French
    ("Hayder Aldiwani", "hayder"),  # Iraqi, the article attached
    ("Eiad Awad", "eiad"),
    ("Abd al-Latif Hasan", "abdullatif"),  # the Abd compound apart
    ("Abdul Latif Hasan", "abdullatif"),
    ("Abdullatif Hassan", "abdullatif"),
    ("Fёkla Ivanova", "fekla"),  # a stray Cyrillic letter in Latin text
    ("Fyokla Artyomovna Ivanova", "fekla"),
    ("Dhiaa Jawad", "dhiaa"),  # Iraqi: dh for ض beside j for ج
    ("Hacı Bektaş", "haci"),  # Turkish c for ج
]


@pytest.fixture
def registered(make_case: Callable[..., ChildCase]) -> dict[str, ChildCase]:
    return {
        key: make_case(names=[NameInput(name, "host_authority") for name in names])
        for key, names in CHILDREN.items()
    }


def listed(client: Client, query: str) -> list[str]:
    """The references the case list shows for `query`, in its order."""
    response = client.get(reverse("cases:list"), {"q": query})
    assert response.status_code == 200
    return re.findall(r">(HW-\d{6})</a>", response.content.decode())


@pytest.mark.parametrize(("query", "child"), SPELLINGS)
def test_the_list_finds_the_child_in_any_spelling(
    caseworker_client: Client, registered: dict[str, ChildCase], query: str, child: str
) -> None:
    assert listed(caseworker_client, query) == [registered[child].reference]


@pytest.mark.parametrize(("query", "child"), SPELLINGS)
def test_the_service_finds_the_child_in_any_spelling(
    caseworker: User, registered: dict[str, ChildCase], query: str, child: str
) -> None:
    assert list(search(cases_visible_to(caseworker), query)) == [registered[child]]


def test_the_spelling_as_written_is_listed_before_another_script(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    arabic = make_case(names=[NameInput("خديجة علييفا", "host_authority")])
    latin = make_case(names=[NameInput("Khadizhat Alieva", "consular")])
    assert listed(caseworker_client, "Khadizhat Alieva") == [latin.reference, arabic.reference]
    assert listed(caseworker_client, "خديجة علييفا") == [arabic.reference, latin.reference]


def test_a_name_the_engine_calls_another_is_not_found(
    caseworker: User, registered: dict[str, ChildCase]
) -> None:
    visible = cases_visible_to(caseworker)
    assert list(search(visible, "Khadizhat Omarova")) == []
    assert list(search(visible, "Khalid Aliev")) == []
    assert list(search(visible, "!!")) == []


def test_a_case_is_found_by_its_reference_however_typed(
    caseworker_client: Client, registered: dict[str, ChildCase]
) -> None:
    case = registered["hussein"]
    for written in (case.reference, case.reference.lower(), f"HW{case.pk}", f"hw-{case.pk}"):
        assert listed(caseworker_client, written) == [case.reference]


def test_the_search_finds_only_the_cases_the_user_may_see(
    caseworker: User, make_case: Callable[..., ChildCase], other_agency: Agency
) -> None:
    own = make_case(names=[NameInput("Юсуп Ахмедов", "consular")])
    make_case(owner=other_agency, names=[NameInput("Юсуп Ахмедов", "consular")])
    assert list(search(cases_visible_to(caseworker), "Yusup Akhmedov")) == [own]


def test_what_other_agencies_registered_changes_nothing_a_search_finds(
    caseworker: User, make_case: Callable[..., ChildCase], other_agency: Agency
) -> None:
    """Aliyeva is a typo of Isaeva among the cases the user sees, which have no Aliyeva,
    whether or not another agency's have one."""
    own = make_case(names=[NameInput("Амина Исаева", "consular")])
    before = list(search(cases_visible_to(caseworker), "Amina Aliyeva"))
    make_case(owner=other_agency, names=[NameInput("Патимат Алиева", "consular")])
    assert list(search(cases_visible_to(caseworker), "Amina Aliyeva")) == before == [own]


def test_a_name_too_many_children_have_lists_as_many_as_are_ranked_and_says_so(
    caseworker_client: Client, make_case: Callable[..., ChildCase], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "RANK_LIMIT", 2)
    saidovas = [make_case(names=[NameInput(f"{given} Саидова", "consular")])
                for given in ("Хадижат", "Амина", "Патимат")]  # fmt: skip
    make_case(names=[NameInput("Хадижат Алиева", "consular")])
    assert set(listed(caseworker_client, "Saidova")) < {c.reference for c in saidovas}
    assert len(listed(caseworker_client, "Saidova")) == 2
    page = caseworker_client.get(reverse("cases:list"), {"q": "Saidova"}).content.decode()
    assert "More than 2 people have a name like this" in page
    page = caseworker_client.get(reverse("cases:list"), {"q": "Amina Saidova"}).content.decode()
    assert "have a name like this" not in page


def test_other_filters_narrow_a_search(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    dagestan = make_case(names=[NameInput("Юсуп Ахмедов", "consular")], home_region="RU-DA")
    make_case(names=[NameInput("Юсуп Ахмедов", "consular")], home_region="RU-CE")
    response = caseworker_client.get(reverse("cases:list"), {"q": "Yusup", "region": "RU-DA"})
    assert re.findall(r">(HW-\d{6})</a>", response.content.decode()) == [dagestan.reference]
