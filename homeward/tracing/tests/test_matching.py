"""Matching in the background: candidates found across scripts, explained, decided once."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, RelativeInput, replace_names, transition
from homeward.conftest import signed_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.matching.compare import level_meaning
from homeward.tracing.matching import Worker, claim_work
from homeward.tracing.models import MatchCandidate, MatchDecision, MatchingWork, TracingRequest
from homeward.tracing.services import (
    RequestInput,
    SoughtInput,
    confirm_match,
    file_request,
    reject_match,
)

pytestmark = pytest.mark.django_db


def match() -> str:
    out = StringIO()
    call_command("match", stdout=out)
    return out.getvalue()


@pytest.fixture
def amina(make_case: Callable[..., ChildCase]) -> ChildCase:
    """Registered by the consulate in Cyrillic, Latin and Arabic, with her mother."""
    mother = RelativeInput("mother", [NameInput("Хадижат Исаева", "family")], sex="f")
    return make_case(
        names=[
            NameInput("Амина Исаева", "civil_registry"),
            NameInput("أمينة عيسى", "host_authority"),
        ],
        birth=BirthDate(BirthPrecision.YEAR, date(2013, 1, 1)), relatives=[mother],
    )  # fmt: skip


@pytest.fixture
def other_child(make_case: Callable[..., ChildCase]) -> ChildCase:
    return make_case(
        names=[NameInput("Магомед Алиев", "civil_registry")], sex="m",
        birth=BirthDate(BirthPrecision.YEAR, date(2008, 1, 1)),
    )  # fmt: skip


ABOUT_SIX = BirthDate(
    BirthPrecision.ESTIMATE, estimated_age=6, estimated_on=date(2019, 1, 10), margin_years=1
)


def grandmother_request(agency: Agency, by: User, names: list[str]) -> TracingRequest:
    data = RequestInput(
        enquirer_names=[NameInput("Patimat Isaeva", "family")], enquirer_relationship="grandmother",
        enquirer_place="Makhachkala", filed_on=date(2019, 1, 10),
        sought=[SoughtInput(
            "child", names=[NameInput(n, "family") for n in names], sex="f",
            birth=ABOUT_SIX,
            mother_names=["Khadizhat Isaeva"],
        )],
    )  # fmt: skip
    return file_request(data, agency=agency, by=by)


def test_a_latin_request_finds_the_child_registered_in_cyrillic_and_arabic(
    amina: ChildCase, other_child: ChildCase, agency: Agency, caseworker: User
) -> None:
    request = grandmother_request(agency, caseworker, ["Amina Isaeva"])
    assert MatchingWork.objects.count() == 1 + 2  # the request, and both cases when registered
    assert "Matched" in match()
    assert MatchingWork.objects.count() == 0
    best = MatchCandidate.objects.filter(sought__request=request).order_by("-score").first()
    assert best is not None and best.case == amina and best.score >= 0.9
    fields = {part["field"]: part["outcome"] for part in best.explanation}
    assert fields["names"] == "agreed" and fields["mother"] == "agreed"
    assert not MatchCandidate.objects.filter(
        sought__request=request, case=other_child, score__gte=0.5
    ).exists()


def test_confirming_links_the_enquirer_as_a_relative_and_may_mark_the_family_traced(
    amina: ChildCase, agency: Agency, caseworker: User
) -> None:
    transition(amina, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    request = grandmother_request(agency, caseworker, ["Amina Isaeva"])
    match()
    candidate = MatchCandidate.objects.get(sought__request=request, case=amina)
    confirm_match(candidate, by=caseworker, mark_traced=True)
    amina.refresh_from_db()
    assert amina.status == "family_traced"
    grandmother = amina.family_member("grandmother")
    assert grandmother is not None and grandmother.person == request.enquirer
    assert grandmother.place == "Makhachkala"
    assert AuditEntry.objects.filter(action="tracing.match_confirmed").count() == 1


def test_a_rejected_child_is_remembered_and_never_proposed_again(
    amina: ChildCase, agency: Agency, caseworker: User
) -> None:
    request = grandmother_request(agency, caseworker, ["Amina Isaeva"])
    match()
    reject_match(
        MatchCandidate.objects.get(sought__request=request, case=amina),
        by=caseworker,
        reason="Different mother",
    )
    assert MatchDecision.objects.get().decision == "rejected"
    call_command("match", "--all", stdout=StringIO())
    assert not MatchCandidate.objects.filter(sought__request=request, case=amina).exists()


def test_changing_a_childs_names_queues_the_case_for_matching_again(
    amina: ChildCase, agency: Agency, caseworker: User
) -> None:
    request = grandmother_request(agency, caseworker, ["Zarema Kurbanova"])
    match()
    assert not MatchCandidate.objects.filter(
        sought__request=request, case=amina, score__gte=0.5
    ).exists()
    replace_names(
        amina.child, [NameInput("Зарема Курбанова", "consular")], by=caseworker, case=amina
    )
    assert MatchingWork.objects.filter(kind="case", object_id=amina.pk).exists()
    match()
    assert MatchCandidate.objects.filter(
        sought__request=request, case=amina, score__gte=0.5
    ).exists()


def test_two_workers_never_claim_the_same_work(agency: Agency, caseworker: User) -> None:
    for _ in range(3):
        grandmother_request(agency, caseworker, ["Amina Isaeva"])
    with Worker() as one, Worker() as two:
        first = claim_work(one.name, 2)
        second = claim_work(two.name, 2)
    assert len(first) == 2 and len(second) == 1
    assert not {w.pk for w in first} & {w.pk for w in second}


def test_the_request_page_shows_candidates_and_takes_a_decision(
    amina: ChildCase, agency: Agency, caseworker: User
) -> None:
    request = grandmother_request(agency, caseworker, ["Amina Isaeva"])
    match()
    client = signed_in(caseworker)
    page = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert amina.reference in page and "Same child" in page
    # The chance in words, and the way to the two records side by side (no engine jargon).
    assert "very likely the same (1.00)" in page and "Compare side by side" in page
    assert "names:" not in page
    candidate = MatchCandidate.objects.get(sought__request=request, case=amina)
    url = reverse("tracing:decide_match", args=[candidate.pk])
    # A rejection is asked again before it is recorded.
    asked = client.post(url, {"decision": "reject"})
    assert asked.status_code == 200 and "Reject this proposal?" in asked.content.decode()
    assert not MatchDecision.objects.exists()
    response = client.post(url, {"decision": "reject", "sure": "yes"})
    assert response.status_code == 302
    assert MatchDecision.objects.filter(decision="rejected").count() == 1


def sought_section(page: str) -> str:
    return page[page.index("Children who may be this one") : page.index("Close the request")]


def test_candidates_in_cases_another_agency_owns_are_not_even_counted(
    amina: ChildCase, other_agency: Agency, outsider: User
) -> None:
    """The existence oracle (issue 14, item 5): a request for a child another agency holds
    must read as one for a child nobody registered."""
    request = grandmother_request(other_agency, outsider, ["Amina Isaeva"])
    invented = grandmother_request(other_agency, outsider, ["Zulfiya Nobodova"])
    match()
    assert MatchCandidate.objects.filter(sought__request=request, case=amina).exists()
    client = signed_in(outsider)
    page = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    nothing = client.get(reverse("tracing:detail", args=[invented.pk])).content.decode()
    assert amina.reference not in page and "Амина" not in page
    assert "cannot see" not in page and "candidate" not in page.split("Close the request")[1]
    assert sought_section(page) == sought_section(nothing)


def test_a_supervisor_of_every_agency_is_told_and_may_refer_the_case(
    amina: ChildCase, other_agency: Agency, outsider: User, agency: Agency
) -> None:
    from homeward.accounts.models import AgencyKind, Role, Scope
    from homeward.cases.services import decide_share, offer_case
    from homeward.conftest import make_user

    authority = Agency.objects.create(
        name="Authority", short_name="AUTH", kind=AgencyKind.COORDINATING_AUTHORITY, country="RU"
    )
    national = make_user("national", authority, Role.SUPERVISOR)
    national.staff_profile.scope = Scope.ALL
    national.staff_profile.save()
    request = grandmother_request(other_agency, outsider, ["Amina Isaeva"])
    match()
    page = signed_in(national).get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert amina.reference in page
    assert f"{other_agency.name} cannot see this case ({agency.name} holds it)" in page
    dashboard = signed_in(national).get(reverse("home")).content.decode()
    assert request.reference in dashboard  # among the matches to review
    share = offer_case(amina, other_agency, kind="referral", reason="A tracing match",
                       consent="Mother's consent, 2019-01-02", by=national)  # fmt: skip
    decide_share(share, accept=True, by=outsider)
    page = signed_in(outsider).get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert amina.reference in page and "cannot see this case" not in page


def test_the_childs_page_shows_the_relatives_who_may_be_looking(
    amina: ChildCase, agency: Agency, caseworker: User, other_agency: Agency, outsider: User
) -> None:
    request = grandmother_request(agency, caseworker, ["Amina Isaeva"])
    hidden = grandmother_request(other_agency, outsider, ["Amina Isaeva"])
    match()
    page = signed_in(caseworker).get(reverse("cases:detail", args=[amina.pk])).content.decode()
    assert "Relatives who may be looking for this child" in page
    assert request.reference in page and "Patimat Isaeva" in page
    assert hidden.reference not in page  # another agency's request stays out of sight
    # Its lines carry their weights and meanings, and the levels are listed in words.
    candidate = MatchCandidate.objects.get(sought__request=request, case=amina)
    names = next(part for part in candidate.explanation if part["field"] == "names")
    said = html.escape(level_meaning("names", names["level"]))
    assert f'title="{said}"' in page and f"<dd>{said}</dd>" in page
    assert f'names: {names["level"]} <span class="muted">(' in page
    assert "What these levels mean" in page


def test_the_glossary_lists_each_fields_levels_strongest_first() -> None:
    from homeward.tracing.templatetags.matching import level_glossary

    class Explained:
        def __init__(self, *levels: tuple[str, str]) -> None:
            self.explanation = [{"field": field, "level": level} for field, level in levels]

    listed = level_glossary(
        [Explained(("age", "within 1 year"), ("names", "phonetic agree")),
         Explained(("age", "same year"), ("age", "middles agree"), ("names", "exact"))]
    )["parts"]  # fmt: skip
    assert [(part["field"], part["level"]) for part in listed] == [
        ("names", "exact"), ("names", "phonetic agree"),
        ("age", "same year"), ("age", "middles agree"), ("age", "within 1 year"),
    ]  # fmt: skip
