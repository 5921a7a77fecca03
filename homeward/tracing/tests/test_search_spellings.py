"""The tracing search finds a request by the spellings relatives and partners write, as the
matching engine reads names: any standard a Russian name is written in, any order, a middle
name left out, Arabic script without vowels or the father's name, a typo; best first
(issue 17)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.conftest import signed_in
from homeward.tracing.access import requests_visible_to
from homeward.tracing.models import TracingRequest
from homeward.tracing.queries import search_requests
from homeward.tracing.tests.test_requests import form_data

pytestmark = pytest.mark.django_db

SOUGHT = {
    "amina": "Амина Магомедовна Исаева",
    "khadizhat": "Хадижат Магомедовна Саидова",
    "hussein": "حسين سعيد الديواني",  # Hussein, son of Saeed, al-Diwani
    "aliyeva": "Амина Алиева",  # a near-namesake of Amina Isaeva
    "aleksei": "Алексей Владиславович Орехов",
    "eiad": "اياد عوض",
}
SPELLINGS = [
    ("Isaeva Amina", "amina"),
    ("Isajeva Amina", "amina"),
    ("Amina Isayeva", "amina"),
    ("Амина Исаева", "amina"),
    ("AMINA ISAEVA", "amina"),
    ("Khadijat Saidova", "khadizhat"),
    ("Saidova Xadijat", "khadizhat"),
    ("Hadižat Saidova", "khadizhat"),
    ("Khadizhat Sainova", "khadizhat"),  # a typo
    ("حسين الديواني", "hussein"),  # without the father's name
    ("Hussein Aldiwani", "hussein"),
    ("Hussein al-Diwani", "hussein"),
    ("Hussein Saeed", "hussein"),  # given name and father's name
    ("Aleksej Vladislavovič Orehov", "aleksei"),  # ISO 9
    ("Orekhov Aleksei", "aleksei"),
    ("Eiad Awad", "eiad"),
]


@pytest.fixture
def filed(caseworker: User) -> dict[str, str]:
    """One request for each sought person, filed through the form: their references."""
    client = signed_in(caseworker)
    references = {}
    for key, names in SOUGHT.items():
        response = client.post(reverse("tracing:file"), form_data(**{"sought-0-names": names}))
        assert response.status_code == 302
        references[key] = TracingRequest.objects.latest("id").reference
    return references


@pytest.mark.parametrize(("query", "sought"), SPELLINGS)
def test_the_search_page_finds_the_sought_person_in_any_spelling(
    caseworker: User, filed: dict[str, str], query: str, sought: str
) -> None:
    page = signed_in(caseworker).get(reverse("tracing:list"), {"q": query}).content.decode()
    assert [key for key, reference in filed.items() if reference in page] == [sought]


@pytest.mark.parametrize(("query", "sought"), SPELLINGS)
def test_the_service_finds_the_sought_person_in_any_spelling(
    caseworker: User, filed: dict[str, str], query: str, sought: str
) -> None:
    found = search_requests(requests_visible_to(caseworker), query)
    assert [request.reference for request in found] == [filed[sought]]


def test_a_request_is_found_by_its_reference(caseworker: User, filed: dict[str, str]) -> None:
    visible = requests_visible_to(caseworker)
    number = int(filed["hussein"].removeprefix("TR-"))
    for written in (filed["hussein"], filed["hussein"].lower(), f"TR-{number}"):
        assert [r.reference for r in search_requests(visible, written)] == [filed["hussein"]]


def test_the_enquirer_and_the_parents_names_find_the_request_too(
    caseworker: User, filed: dict[str, str]
) -> None:
    visible = requests_visible_to(caseworker)
    by_enquirer = {r.reference for r in search_requests(visible, "Patimat Isaeva")}
    assert by_enquirer == set(filed.values())  # the grandmother filed them all
    by_mother = {r.reference for r in search_requests(visible, "Khadizhat Isaeva")}
    assert by_mother == set(filed.values())


def test_the_best_spelling_is_listed_first(caseworker: User) -> None:
    client = signed_in(caseworker)
    for names in ("خديجة علييفا", "Khadizhat Alieva"):
        client.post(reverse("tracing:file"), form_data(**{"sought-0-names": names}))
    arabic, latin = TracingRequest.objects.order_by("id")
    visible = requests_visible_to(caseworker)
    assert list(search_requests(visible, "Khadizhat Alieva")) == [latin, arabic]
    assert list(search_requests(visible, "خديجة علييفا")) == [arabic, latin]
