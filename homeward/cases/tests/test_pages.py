"""The caseworker's pages, used as a caseworker would: list, search, case page, forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, transition
from homeward.conftest import signed_in
from homeward.lib.ages import BirthDate, BirthPrecision

pytestmark = pytest.mark.django_db


def list_page(client: Client, **params: str) -> str:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_pages_need_a_sign_in(client: Client, make_case: Callable[..., ChildCase]) -> None:
    case = make_case()
    for url in [
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:register"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("query", ["Amina", "амина", "ИСАЕВА", "أمينة", "amina isaeva"])
def test_the_list_finds_a_child_by_any_spelling_in_any_script(
    caseworker_client: Client, make_case: Callable[..., ChildCase], query: str
) -> None:
    make_case(
        names=[
            NameInput("Амина Исаева", "civil_registry"),
            NameInput("أمينة عيسى", "host_authority"),
        ]
    )
    make_case(names=[NameInput("Магомед Алиев", "civil_registry")])
    page = list_page(caseworker_client, q=query)
    assert "Амина Исаева" in page
    assert "Магомед Алиев" not in page


def test_a_latin_search_finds_a_name_registered_only_in_cyrillic(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    make_case(names=[NameInput("Хадижат Магомедова", "civil_registry")])
    assert "Хадижат Магомедова" in list_page(caseworker_client, q="Khadizhat Magomedova")


def test_searching_is_audited(caseworker_client: Client, caseworker: User) -> None:
    list_page(caseworker_client, q="Amina")
    assert AuditEntry.objects.filter(action="case.searched", actor=caseworker).count() == 1


def test_the_list_filters_by_status_region_sex_country_placement_and_age(
    caseworker_client: Client, make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    older = make_case(
        names=[NameInput("Ali Omarov", "consular")],
        sex="m",
        home_region="RU-CE",
        birth=BirthDate(BirthPrecision.DAY, date(2005, 3, 1)),
    )
    make_case(names=[NameInput("Safiya Kadieva", "consular")])
    transition(older, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    for params in [
        {"status": "verified"},
        {"region": "RU-CE"},
        {"sex": "m"},
        {"age_band": "18+"},
    ]:
        page = list_page(caseworker_client, **params)
        assert "Ali Omarov" in page and "Safiya Kadieva" not in page, params
    page = list_page(caseworker_client, host="IQ", placement="state_orphanage")
    assert "Ali Omarov" in page and "Safiya Kadieva" in page
    assert "Ali Omarov" not in list_page(caseworker_client, host="SY")


def test_the_list_shows_only_cases_the_user_may_see(
    make_case: Callable[..., ChildCase],
    other_agency: Agency,
    outsider: User,
    analyst: User,
    coordinator: User,
) -> None:
    make_case(names=[NameInput("Ours Child", "consular")])
    make_case(owner=other_agency, names=[NameInput("Their Child", "ngo")])
    assert "Their Child" not in list_page(signed_in(User.objects.get(username="caseworker")))
    assert "Ours Child" not in list_page(signed_in(outsider))
    assert signed_in(analyst).get(reverse("cases:list")).status_code == 403
    everything = list_page(signed_in(coordinator))
    assert "Ours Child" in everything and "Their Child" in everything


def test_the_case_page_shows_names_ages_family_placement_and_timeline(
    caseworker_client: Client, make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    transition(
        case, "verified", by=caseworker, reason="Birth record seen", effective_on=date(2018, 6, 1)
    )
    response = caseworker_client.get(reverse("cases:detail", args=[case.pk]))
    page = response.content.decode()
    for text in [
        "Амина Исаева",
        "Amina Isaeva",
        "أمينة عيسى",
        "Cyrillic",
        "Arabic",
        "2013",
        "State orphanage",
        "Birth record seen",
        "Identity verified",
        case.reference,
    ]:
        assert text in page, text
    assert AuditEntry.objects.filter(action="case.viewed", object_id=str(case.pk)).count() == 1


@pytest.mark.parametrize("who", ["outsider", "analyst"])
def test_it_validates_access_to_the_case_page(
    make_case: Callable[..., ChildCase], outsider: User, analyst: User, who: str
) -> None:
    case = make_case()
    client = signed_in({"outsider": outsider, "analyst": analyst}[who])
    for name in [
        "detail",
        "edit_identity",
        "edit_names",
        "add_family_member",
        "change_placement",
        "upload_attachment",
    ]:
        response = client.get(reverse(f"cases:{name}", args=[case.pk]))
        assert response.status_code == 404, name
        assert "Амина" not in response.content.decode()
    response = client.post(
        reverse("cases:change_status", args=[case.pk]), {"to_status": "verified"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "identified"
    denied = AuditEntry.objects.filter(action="access.denied", object_id=str(case.pk))
    assert denied.count() == 7


def registration_form(**overrides: str) -> dict[str, str]:
    data = {
        "names-TOTAL_FORMS": "3",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "20",
        "names-0-full_name": "Зайнаб Курбанова",
        "names-0-script": "",
        "names-0-source": "civil_registry",
        "names-1-full_name": "Zaynab Kurbanova",
        "names-1-script": "Latn",
        "names-1-source": "consular",
        "names-2-full_name": "",
        "names-2-source": "consular",
        "sex": "f",
        "birth_known": "2014-03",
        "nationality": "RU",
        "home_region": "ru-da",
        "identified_on": "2018-04-01",
        "country": "IQ",
        "facility_kind": "detention_with_mother",
        "facility_name": "Prison (test)",
        "mother_name": "Асият Курбанова",
        "mother_status": "detained",
        "father_name": "",
        "father_status": "unknown",
    }
    data.update(overrides)
    return data


def test_registering_a_child_through_the_form(caseworker_client: Client, agency: Agency) -> None:
    response = caseworker_client.post(reverse("cases:register"), registration_form())
    assert response.status_code == 302
    case = ChildCase.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.agency == agency and case.home_region == "RU-DA"
    assert case.child.birth.describe() == "March 2014"
    assert case.current_placement().since == date(2018, 4, 1)  # type: ignore[union-attr]
    assert case.family_member("mother").status == "detained"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"birth_known": "2099-01-01"}, "birth_known", "The date of birth is in the future."),
        ({"birth_known": "3 May"}, "birth_known", "is not a date of birth"),
        ({"home_region": "RU-XX"}, "home_region", "No region is called “RU-XX”"),
        ({"identified_on": "2099-01-01"}, "identified_on", "That date is in the future."),
        ({"birth_known": "2014", "birth_estimated_age": "6"}, "birth_estimated_age", "not both"),
    ],
)
def test_the_registration_form_shows_each_problem_next_to_its_field(
    caseworker_client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    if "birth_estimated_age" in overrides and "birth_known" not in overrides:
        overrides["birth_known"] = ""
    response = caseworker_client.post(reverse("cases:register"), registration_form(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors.get(field, [])), form.errors
    assert not ChildCase.objects.exists()


def test_a_name_in_the_wrong_script_is_refused_on_the_form(caseworker_client: Client) -> None:
    response = caseworker_client.post(
        reverse("cases:register"), registration_form(**{"names-1-script": "Arab"})
    )
    assert response.status_code == 400
    assert "“Zaynab Kurbanova” is written in Latin, not Arabic." in response.content.decode()
    assert not ChildCase.objects.exists()


def test_an_analyst_cannot_register_a_child(analyst: User) -> None:
    response = signed_in(analyst).post(reverse("cases:register"), registration_form())
    assert response.status_code == 403
    assert not ChildCase.objects.exists()


def test_changing_status_on_the_case_page(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    url = reverse("cases:change_status", args=[case.pk])
    response = caseworker_client.post(
        url, {"to_status": "verified", "effective_on": "2018-06-01", "reason": ""}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "verified"


def test_a_forbidden_transition_on_the_page_explains_itself(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    url = reverse("cases:change_status", args=[case.pk])
    response = caseworker_client.post(url, {"to_status": "placed", "effective_on": "2018-06-01"})
    assert response.status_code == 400
    assert "cannot move to “Placed”" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "identified"


def edit(client: Client, name: str, case: ChildCase, data: dict[str, Any]) -> Any:
    return client.post(reverse(f"cases:{name}", args=[case.pk]), data)


def test_editing_each_part_of_a_case(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    identity = {
        "sex": "f",
        "birth_known": "",
        "birth_estimated_age": "6",
        "birth_estimated_on": "2019-03-01",
        "birth_margin_years": "1",
        "nationality": "RU",
        "home_region": "RU-CE",
    }
    assert edit(caseworker_client, "edit_identity", case, identity).status_code == 302
    placement = {
        "country": "IQ",
        "facility_kind": "camp",
        "facility_name": "Camp (test)",
        "since": "2019-01-01",
    }
    assert edit(caseworker_client, "change_placement", case, placement).status_code == 302
    relative = {
        "relationship": "grandmother",
        "names": "Патимат Исаева\nPatimat Isaeva",
        "names_source": "family",
        "sex": "f",
        "status": "alive",
        "place": "Makhachkala",
        "willing_to_take_custody": "willing",
        "home_assessment": "suitable",
        "home_assessed_on": "2019-02-01",
    }
    assert edit(caseworker_client, "add_family_member", case, relative).status_code == 302
    assert (
        edit(
            caseworker_client, "add_note", case, {"text": "Spoke with the grandmother."}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.child.birth.describe() == "about 6 ± 1 years on 2019-03-01"
    assert case.home_region == "RU-CE"
    assert case.current_placement().facility_kind == "camp"  # type: ignore[union-attr]
    grandmother = case.family_member("grandmother")
    assert grandmother is not None and grandmother.home_assessment == "suitable"
    assert grandmother.person.names.count() == 2
    assert case.notes.get().text == "Spoke with the grandmother."
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "case.identity_changed",
        "case.placement_changed",
        "case.family_changed",
        "case.note_added",
    } <= actions


def test_a_placement_cannot_begin_before_the_current_one(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    placement = {"country": "IQ", "facility_kind": "camp", "since": "2017-01-01"}
    response = edit(caseworker_client, "change_placement", case, placement)
    assert response.status_code == 400
    assert "cannot begin earlier" in response.context["form"].errors["since"][0]


def test_editing_names_replaces_the_list(
    caseworker_client: Client, make_case: Callable[..., ChildCase]
) -> None:
    case = make_case()
    data = {
        "names-TOTAL_FORMS": "2",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "1",
        "names-MAX_NUM_FORMS": "20",
        "names-0-full_name": "Aminat Isaeva",
        "names-0-source": "ngo",
        "names-0-is_preferred": "on",
        "names-1-full_name": "",
        "names-1-source": "ngo",
    }
    assert edit(caseworker_client, "edit_names", case, data).status_code == 302
    assert [n.full_name for n in case.child.names.all()] == ["Aminat Isaeva"]
    data["names-0-full_name"] = "Aminat Исаева"
    response = edit(caseworker_client, "edit_names", case, data)
    assert response.status_code == 400
    assert "mixes letters of several scripts" in response.content.decode()
    assert [n.full_name for n in case.child.names.all()] == ["Aminat Isaeva"]


@pytest.mark.parametrize(
    "query",
    [
        "Khadijat Saidova",  # j for ж, as English spellings of Caucasian names write it
        "Saidova Khadijat",  # surname first
        "Хадижат Саидова",  # the patronymic left out
        "Xadijat Saidova",  # GOST 7.79 B's x for х
        "Hadižat Saidova",  # ISO 9
    ],
)
def test_the_list_finds_a_child_in_any_standard_any_order_without_the_middle_name(
    caseworker_client: Client, make_case: Callable[..., ChildCase], query: str
) -> None:
    make_case(names=[NameInput("Хадижат Магомедовна Саидова", "civil_registry")])
    make_case(names=[NameInput("Хадижат Алиева", "civil_registry")])
    page = list_page(caseworker_client, q=query)
    assert "Хадижат Магомедовна Саидова" in page
    assert "Хадижат Алиева" not in page


@pytest.mark.parametrize("query", ["Magomed Dadajev", "Akhmedov Yusup", "Jusup Ahmedov"])
def test_the_service_finds_the_spellings_relatives_write(
    make_case: Callable[..., ChildCase], query: str
) -> None:
    from homeward.cases.queries import search

    dadaev = make_case(names=[NameInput("Магомед Дадаев", "civil_registry")])
    akhmedov = make_case(names=[NameInput("Юсуп Ахмедов", "civil_registry")])
    found = set(search(ChildCase.objects.all(), query))
    assert found & {dadaev, akhmedov} and len(found) == 1
