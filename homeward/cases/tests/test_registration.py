from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User

from homeward.accounts.models import Agency
from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase, FamilyMember, Placement
from homeward.cases.services import (
    CaseError,
    NameInput,
    PlacementInput,
    RelativeInput,
    register_child,
    replace_names,
    update_identity,
)
from homeward.conftest import child_input
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.people.models import Person, PersonName

pytestmark = pytest.mark.django_db


def test_registering_a_child_creates_the_case_names_placement_and_first_status(
    agency: Agency, caseworker: User
) -> None:
    case = register_child(child_input(), agency=agency, by=caseworker)
    assert case.reference == f"HW-{case.pk:06d}"
    assert case.status == "identified"
    scripts = {n.full_name: n.script for n in case.child.names.all()}
    assert scripts == {"Амина Исаева": "Cyrl", "Amina Isaeva": "Latn", "أمينة عيسى": "Arab"}
    assert case.child.display_name == "Амина Исаева"  # the first is preferred by default
    assert case.current_placement().facility_kind == "state_orphanage"  # type: ignore[union-attr]
    assert case.transitions.get().effective_on == date(2018, 5, 2)
    assert AuditEntry.objects.filter(action="case.created", object_id=str(case.pk)).count() == 1


def test_the_age_on_any_date_is_a_range_from_the_birth_precision(
    make_case: Callable[..., ChildCase],
) -> None:
    case = make_case(birth=BirthDate(BirthPrecision.YEAR, date(2013, 1, 1)))
    age = case.child.age_range_on(date(2019, 1, 5))
    assert (age.youngest, age.oldest) == (5, 6)  # type: ignore[union-attr]


def test_parents_given_at_registration_become_family_members(
    agency: Agency, caseworker: User
) -> None:
    mother = RelativeInput(
        "mother",
        [NameInput("Хадижат Исаева", "family")],
        sex="f",
        status="detained",
        detention_facility="Prison (test)",
        sentence="15 years",
    )
    case = register_child(child_input(relatives=[mother]), agency=agency, by=caseworker)
    member = case.family_member("mother")
    assert member is not None and member.sentence == "15 years"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"birth": BirthDate(BirthPrecision.DAY, date(2099, 1, 1))}, "birth_date", "in the future"),
        ({"home_region": "RU-XX"}, "home_region", "not an ISO 3166-2 region code"),
        ({"home_region": "IQ-BG"}, "home_region", "not in the country of nationality"),
        ({"nationality": "ZZ"}, "nationality", "not an ISO 3166-1 country code"),
        ({"names": []}, "names", "at least one name"),
        ({"names": [NameInput("Amина", "consular")]}, "names", "mixes letters"),
        ({"names": [NameInput("Амина ★", "consular")]}, "names", "signs that are not letters (★)"),
        ({"names": [NameInput("12", "consular")]}, "names", "has no letters"),
        (
            {"names": [NameInput("Amina", "consular", script="Cyrl")]},
            "names",
            "is written in Latin, not Cyrillic",
        ),
        (
            {
                "names": [
                    NameInput("A", "consular", is_preferred=True),
                    NameInput("B", "ngo", is_preferred=True),
                ]
            },
            "names",
            "only one name",
        ),
        ({"identified_on": date(2099, 1, 1)}, "identified_on", "future"),
        (
            {"placement": PlacementInput("XX", "camp", date(2018, 1, 1))},
            "country",
            "not an ISO 3166-1",
        ),
        ({"sex": "x"}, "sex", "Unknown sex"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    agency: Agency, caseworker: User, overrides: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(CaseError) as refused:
        register_child(child_input(**overrides), agency=agency, by=caseworker)
    assert refused.value.field == field
    assert message in refused.value.message
    assert not ChildCase.objects.exists()


def test_nothing_is_half_saved_when_a_relative_is_refused(agency: Agency, caseworker: User) -> None:
    bad_relative = RelativeInput("mother", [NameInput("Amина", "family")])
    with pytest.raises(CaseError):
        register_child(child_input(relatives=[bad_relative]), agency=agency, by=caseworker)
    assert not Person.objects.exists()
    assert not PersonName.objects.exists()
    assert not Placement.objects.exists()
    assert not FamilyMember.objects.exists()


def test_a_case_has_at_most_one_mother(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    from homeward.cases.services import add_family_member

    case = make_case()
    add_family_member(
        case, RelativeInput("mother", [NameInput("Мать Один", "family")]), by=caseworker
    )
    with pytest.raises(CaseError, match="already has a mother"):
        add_family_member(
            case, RelativeInput("mother", [NameInput("Мать Два", "family")]), by=caseworker
        )


def test_a_sentence_is_only_for_a_detained_relative(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    from homeward.cases.services import add_family_member

    relative = RelativeInput(
        "mother", [NameInput("Мать", "family")], status="missing", sentence="5 years"
    )
    with pytest.raises(CaseError, match="only for a detained person"):
        add_family_member(make_case(), relative, by=caseworker)


def test_replacing_names_keeps_one_preferred_and_updates_search(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    replace_names(
        case.child,
        [
            NameInput("Aminat Isaeva", "ngo"),
            NameInput("Аминат Исаева", "family", is_preferred=True),
        ],
        by=caseworker,
        case=case,
    )
    names = list(case.child.names.all())
    assert [n.full_name for n in names if n.is_preferred] == ["Аминат Исаева"]
    assert {n.search_key for n in names} == {"aminat isaeva", "aminat isayeva | aminat isaeva"}


def test_updating_identity_audits_the_changed_field_names_only(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    update_identity(
        case,
        sex="f",
        birth=BirthDate(BirthPrecision.MONTH, date(2013, 4, 1)),
        nationality="RU",
        home_region="RU-CE",
        by=caseworker,
    )
    entry = AuditEntry.objects.get(action="case.identity_changed")
    assert entry.changed_fields == ["birth", "home_region"]
    case.refresh_from_db()
    assert case.child.birth_earliest == date(2013, 4, 1)
    assert case.child.birth_latest == date(2013, 4, 30)
