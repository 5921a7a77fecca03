"""A registration form that starts right: from what the agency usually registers, with sex
left unchosen, and from a sibling's case, whose family and parents the new case shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency, AgencyKind, Role
from homeward.audit.models import AuditEntry
from homeward.cases import services
from homeward.cases.models import ChildCase, FacilityKind, Relationship
from homeward.cases.services import CaseError, NameInput, PlacementInput, RelativeInput
from homeward.conftest import child_input, make_user, signed_in

pytestmark = pytest.mark.django_db

CAMP = PlacementInput("SY", FacilityKind.CAMP, date(2019, 3, 1), "Al-Hol camp, annex")
MOTHER = RelativeInput("mother", [NameInput("Хадижат Исаева", "family")], sex="f",
                       status="detained", detention_facility="Prison (test)",
                       conviction="Membership (test)", sentence="15 years")  # fmt: skip
FATHER = RelativeInput("father", [NameInput("Магомед Исаев", "family")], sex="m",
                       status="deceased")  # fmt: skip
GRANDMOTHER = RelativeInput("grandmother", [NameInput("Патимат Исаева", "family")], sex="f",
                            status="alive", willing_to_take_custody="willing")  # fmt: skip


def form_values(page: Any) -> dict[str, Any]:
    form = page.context["form"]
    return {name: form[name].value() for name in form.fields}


def test_the_form_starts_from_what_the_agency_usually_registers(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    for region in ("RU-CE", "RU-CE", "RU-DA"):
        make_case(home_region=region, placement=CAMP)
    values = form_values(signed_in(caseworker).get(reverse("cases:register")))
    assert (values["home_region"], values["country"]) == ("RU-CE", "SY")
    assert values["facility_kind"] == "camp"
    assert values["sex"] in (None, "")  # unchosen: a caseworker picks it for each child


def test_a_new_agency_starts_from_its_own_country_and_chooses_the_rest(db: None) -> None:
    ngo = Agency.objects.create(name="Field NGO", short_name="FNGO", kind=AgencyKind.NGO,
                                country="SY")  # fmt: skip
    client = signed_in(make_user("fieldworker", ngo, Role.CASEWORKER))
    values = form_values(client.get(reverse("cases:register")))
    assert values["country"] == "SY" and not values["home_region"]
    assert values["sex"] in (None, "") and values["facility_kind"] in (None, "")
    response = client.post(
        reverse("cases:register"),
        {"names-TOTAL_FORMS": "1", "names-INITIAL_FORMS": "0", "names-0-full_name": "Amina",
         "names-0-source": "ngo", "country": "SY", "identified_on": "2019-03-01",
         "nationality": "RU", "mother_status": "unknown", "father_status": "unknown"},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert set(errors) == {"sex", "facility_kind"} and not ChildCase.objects.exists()


@pytest.fixture
def first_child(agency: Agency, caseworker: User) -> ChildCase:
    data = child_input(placement=CAMP, identified_on=date(2019, 3, 2), home_region="RU-CE",
                       relatives=[MOTHER, FATHER, GRANDMOTHER])  # fmt: skip
    return services.register_child(data, agency=agency, by=caseworker)


def test_a_sibling_registered_from_a_case_page_shares_the_family_and_parents(
    first_child: ChildCase, caseworker: User
) -> None:
    client = signed_in(caseworker)
    case_page = client.get(reverse("cases:detail", args=[first_child.pk])).content.decode()
    url = f"{reverse('cases:register')}?sibling_of={first_child.pk}"
    assert url in case_page and "Register a sibling" in case_page
    form = client.get(url)
    values = form_values(form)
    assert (values["country"], values["facility_kind"]) == ("SY", "camp")
    assert values["facility_name"] == "Al-Hol camp, annex" and values["home_region"] == "RU-CE"
    assert (values["identified_on"], values["since"]) == (date(2019, 3, 2), date(2019, 3, 1))
    assert "mother_name" not in values  # the parents are the sibling's, shared
    assert "Хадижат Исаева" in form.content.decode()
    response = client.post(url, {
        "names-TOTAL_FORMS": "1", "names-INITIAL_FORMS": "0",
        "names-0-full_name": "Ибрагим Исаев", "names-0-source": "family", "sex": "m",
        "birth_known": "2016", **{k: v for k, v in values.items() if k != "sex" and v},
    })  # fmt: skip
    sibling = ChildCase.objects.exclude(pk=first_child.pk).get()
    assert response["Location"] == reverse("cases:detail", args=[sibling.pk])

    def family(case: ChildCase) -> dict[str, int]:
        return {m.relationship: m.person_id for m in case.family.all()}

    shared = family(first_child)
    assert family(sibling) == {**{k: v for k, v in shared.items() if k != "sibling"},
                               "sibling": first_child.child_id}  # fmt: skip
    assert family(first_child)["sibling"] == sibling.child_id
    mother = sibling.family.get(relationship=Relationship.MOTHER)
    assert (mother.status, mother.detention_facility, mother.sentence) == (
        "detained", "Prison (test)", "15 years",
    )  # fmt: skip
    placement = sibling.current_placement()
    assert placement is not None and placement.facility_name == "Al-Hol camp, annex"
    assert sibling.transitions.get().effective_on == date(2019, 3, 2)
    changed = AuditEntry.objects.filter(action="case.family_changed")
    assert set(changed.values_list("object_id", flat=True)) == {
        str(first_child.pk), str(sibling.pk),
    }  # fmt: skip


def test_siblings_registered_in_a_row_each_start_from_the_last(
    first_child: ChildCase, caseworker: User, agency: Agency
) -> None:
    second = services.register_sibling(
        first_child, child_input(names=[NameInput("Second", "ngo")], placement=CAMP),
        agency=agency, by=caseworker,
    )  # fmt: skip
    third = services.register_sibling(
        second, child_input(names=[NameInput("Third", "ngo")], placement=CAMP),
        agency=agency, by=caseworker,
    )  # fmt: skip

    def siblings(case: ChildCase) -> set[int]:
        return set(case.family.filter(relationship="sibling").values_list("person", flat=True))

    assert siblings(third) == {first_child.child_id, second.child_id}
    # Each child is every other's sibling: the first learns of the third too.
    assert siblings(first_child) == {second.child_id, third.child_id}
    assert siblings(second) == {first_child.child_id, third.child_id}
    mothers = {c.family_member("mother").person_id for c in (first_child, second, third)}  # type: ignore[union-attr]
    assert len(mothers) == 1


def test_a_sibling_is_registered_only_from_a_case_the_user_may_change(
    first_child: ChildCase, outsider: User, analyst: User
) -> None:
    url = f"{reverse('cases:register')}?sibling_of={first_child.pk}"
    assert signed_in(outsider).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", object_id=str(first_child.pk))
    assert signed_in(analyst).get(url).status_code == 403
    assert signed_in(outsider).get(f"{reverse('cases:register')}?sibling_of=x").status_code == 404


def test_a_sibling_brings_no_parents_of_its_own(
    first_child: ChildCase, caseworker: User, agency: Agency
) -> None:
    with pytest.raises(CaseError, match="shares the family") as refused:
        services.register_sibling(
            first_child, child_input(relatives=[MOTHER]), agency=agency, by=caseworker
        )
    assert refused.value.field == "relatives"
    assert ChildCase.objects.count() == 1
