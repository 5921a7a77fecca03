"""Matching against the whole registry: one child registered twice, children ruled out,
changed records, and mothers sought among the registered mothers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, RelativeInput, replace_names, transition
from homeward.conftest import signed_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.matching.scoring import DEFAULT_SETTINGS
from homeward.tracing.matching import PROPOSAL_THRESHOLD, Worker, claim_work, lease
from homeward.tracing.models import MatchCandidate, MatchingWork, MatchingWorker, TracingRequest
from homeward.tracing.services import (
    RequestInput,
    SoughtInput,
    confirm_match,
    file_request,
    reject_match,
)

pytestmark = pytest.mark.django_db
BORN_2013 = BirthDate(BirthPrecision.YEAR, date(2013, 1, 1))


def match() -> None:
    call_command("match", stdout=StringIO())


def amina_case(make_case: Callable[..., ChildCase], mother: str = "Хадижат Исаева") -> ChildCase:
    return make_case(
        names=[NameInput("Амина Исаева", "civil_registry")], birth=BORN_2013,
        relatives=[RelativeInput("mother", [NameInput(mother, "family")], sex="f")],
    )  # fmt: skip


def request_for(
    agency: Agency, by: User, sought: SoughtInput, relationship: str = "grandmother"
) -> TracingRequest:
    data = RequestInput(
        enquirer_names=[NameInput("Patimat Isaeva", "family")],
        enquirer_relationship=relationship, filed_on=date(2019, 1, 10), sought=[sought],
    )  # fmt: skip
    return file_request(data, agency=agency, by=by)


AMINA_SOUGHT = SoughtInput(
    "child", names=[NameInput("Amina Isaeva", "family")], sex="f", birth=BORN_2013,
    mother_names=["Khadizhat Isaeva"],
)  # fmt: skip


def scores(request: TracingRequest) -> dict[int, float]:
    return dict(
        MatchCandidate.objects.filter(sought__request=request).values_list("case_id", "score")
    )


def test_a_child_registered_twice_is_proposed_twice_and_one_ruled_out_gives_the_other_all(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    # Two agencies registered one child: the request's probability is shared between
    # the two registrations, and both are still proposed.
    first, second = amina_case(make_case), amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    shared = scores(request)
    assert set(shared) == {first.pk, second.pk}
    assert (
        PROPOSAL_THRESHOLD < shared[first.pk] < 0.6 and PROPOSAL_THRESHOLD < shared[second.pk] < 0.6
    )
    reject_match(MatchCandidate.objects.get(sought__request=request, case=second), by=caseworker)
    assert MatchingWork.objects.filter(kind="sought").exists()  # shared again in the background
    match()
    alone = scores(request)
    assert set(alone) == {first.pk} and alone[first.pk] > 0.9


def test_a_changed_child_is_weighed_against_the_whole_registry_not_alone(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    first, second = amina_case(make_case), amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    before = scores(request)
    # The second registration gains a spelling: the request is matched again against
    # both, so its two candidates still share, rather than the changed one taking all.
    replace_names(
        second.child,
        [NameInput("Амина Исаева", "civil_registry"), NameInput("Amina Isaeva", "consular")],
        by=caseworker, case=second,
    )  # fmt: skip
    match()
    after = scores(request)
    assert set(after) == {first.pk, second.pk}
    assert after[first.pk] + after[second.pk] == pytest.approx(
        before[first.pk] + before[second.pk], abs=0.05
    )
    assert after[second.pk] < 0.6


def test_a_child_renamed_out_of_a_request_is_no_longer_proposed_and_the_rest_share_again(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    first, second = amina_case(make_case), amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    replace_names(
        second.child, [NameInput("Магомед Алиев", "civil_registry")], by=caseworker, case=second
    )
    match()
    after = scores(request)
    assert second.pk not in after and after[first.pk] > 0.9


def test_a_sought_mother_is_looked_for_among_the_childrens_mothers(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    # Her own mother looks for Khadizhat; the registry has her as the mother of Amina.
    amina = amina_case(make_case)
    other = amina_case(make_case, mother="Зарема Курбанова")
    transition(amina, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    sought = SoughtInput("mother", names=[NameInput("Khadizhat Isaeva", "family")], sex="f")
    request = request_for(agency, caseworker, sought, relationship="mother")
    match()
    candidate = MatchCandidate.objects.get(sought__request=request)
    assert candidate.case == amina and candidate.score > 0.5
    assert candidate.relative == amina.family_member("mother").person
    assert not MatchCandidate.objects.filter(sought__request=request, case=other).exists()
    page = signed_in(caseworker).get(reverse("tracing:detail", args=[request.pk]))
    text = page.content.decode()
    assert "Children's mothers who may be her" in text
    assert "Хадижат Исаева</bdi>, in the family of" in text
    # Her mother is the child's grandmother, not the child's mother.
    confirmed = confirm_match(candidate, by=caseworker, mark_traced=True)
    assert confirmed.traced
    grandmother = amina.family_member("grandmother")
    assert grandmother is not None and grandmother.person == request.enquirer


def test_the_request_page_lists_the_decisions_taken(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    client = signed_in(caseworker)
    candidate = MatchCandidate.objects.get(sought__request=request)
    response = client.post(
        reverse("tracing:decide_match", args=[candidate.pk]),
        {"decision": "confirm", "mark_traced": "on", "reason": "Mother's name and birth agree"},
        follow=True,
    )
    page = response.content.decode()
    # The case was only identified, so it was not marked traced: the page says why, in an
    # error style next to the person sought.
    assert 'data-testid="refusal-sought-' in page
    assert "Not marked family traced: the case is “Identified abroad”" in page
    assert "Decided" in page and amina.reference in page
    assert "the same" in page and "Mother&#x27;s name and birth agree" in page
    # The only person sought is found: the request is closed with who is who.
    assert (
        "it is closed" in page and f"Everyone sought was found (child: {amina.reference})" in page
    )


def test_a_closed_requests_candidates_cannot_be_decided(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    candidate = MatchCandidate.objects.get(sought__request=request)
    request.status = "closed"
    request.save()
    client = signed_in(caseworker)
    response = client.post(
        reverse("tracing:decide_match", args=[candidate.pk]), {"decision": "reject"}, follow=True
    )
    assert "The request is closed: its candidates can no longer be decided." in (
        response.content.decode()
    )
    assert MatchCandidate.objects.filter(pk=candidate.pk).exists()


def test_work_claimed_by_a_worker_that_stopped_is_claimed_again_a_lease_later(
    agency: Agency, caseworker: User
) -> None:
    request_for(agency, caseworker, AMINA_SOUGHT)
    with Worker() as stopped, Worker() as next_one:
        claimed = claim_work(stopped.name, 10)
        assert claimed and claim_work(next_one.name, 10) == []  # a live claim is left alone
        # The first worker was killed: it renews its lease no more.
        MatchingWorker.objects.filter(name=stopped.name).update(
            seen_at=timezone.now() - lease() - timedelta(seconds=1)
        )
        again = claim_work(next_one.name, 10)
    assert [w.pk for w in again] == [w.pk for w in claimed]


def test_a_worker_that_stops_releases_its_claims_at_once(agency: Agency, caseworker: User) -> None:
    request_for(agency, caseworker, AMINA_SOUGHT)
    with Worker() as stopping:
        assert claim_work(stopping.name, 10)
    with Worker() as next_one:
        assert claim_work(next_one.name, 10)
    assert not MatchingWorker.objects.exists()


def test_a_closed_requests_candidates_leave_the_childs_page_and_the_dashboard(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.tracing.services import close_request
    from homeward.web.dashboard import matches_to_review

    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    client = signed_in(caseworker)
    assert (
        request.reference in client.get(reverse("cases:detail", args=[amina.pk])).content.decode()
    )
    assert matches_to_review(caseworker).count() == 1
    close_request(request, reason="The family found her", by=caseworker, closed_on=date(2019, 2, 1))
    assert (
        request.reference
        not in client.get(reverse("cases:detail", args=[amina.pk])).content.decode()
    )
    assert matches_to_review(caseworker).count() == 0


def test_what_the_enquirer_now_says_is_saved_and_matched_again(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User, outsider: User
) -> None:
    amina = amina_case(make_case)
    wrong = SoughtInput("child", names=[NameInput("Zarema Kurbanova", "family")], sex="f")
    request = request_for(agency, caseworker, wrong)
    match()
    assert amina.pk not in scores(request)
    sought = request.sought.get()
    url = reverse("tracing:edit_sought", args=[sought.pk])
    client = signed_in(caseworker)
    form = client.get(url).content.decode()
    assert "Zarema Kurbanova" in form
    # Another agency's staff cannot open it; a bad birth is refused naming it.
    assert signed_in(outsider).get(url).status_code == 404
    bad = client.post(url, {"kind": "child", "names": "Амина Исаева", "sex": "f", "birth": "1800"})
    assert bad.status_code == 400
    assert "The date of birth 1800 is more than 120 years before today." in bad.content.decode()
    assert request.sought.get().person.names.get().full_name == "Zarema Kurbanova"
    saved = client.post(
        url,
        {"kind": "child", "names": "Амина Исаева\nAmina Isaeva", "sex": "f",
         "birth": "~6@2019-01-10", "mother_names": "Хадижат Исаева"},
    )  # fmt: skip
    assert saved.status_code == 302
    assert MatchingWork.objects.filter(kind="sought", object_id=sought.pk).exists()
    match()
    assert scores(request)[amina.pk] > 0.9
    again = client.get(url).content.decode()
    assert "~6@2019-01-10" in again and "Хадижат Исаева" in again
    detail = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert "Хадижат Исаева" in detail and url in detail


def test_the_last_known_place_is_weighed_against_where_the_child_was_first_placed(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.cases.models import FacilityKind
    from homeward.cases.services import PlacementInput

    camp = PlacementInput("SY", FacilityKind.CAMP, date(2019, 4, 1), "Al-Hol camp")
    amina = make_case(
        names=[NameInput("Амина Исаева", "civil_registry")], birth=BORN_2013, placement=camp
    )
    sought = SoughtInput(
        "child", names=[NameInput("Amina Isaeva", "family")], sex="f", birth=BORN_2013,
        last_known_place="лагерь Аль-Холь",
    )  # fmt: skip
    request = request_for(agency, caseworker, sought)
    match()
    candidate = MatchCandidate.objects.get(sought__request=request, case=amina)
    place = next(part for part in candidate.explanation if part["field"] == "place")
    assert place["outcome"] == "agreed", place


def test_a_decision_holds_for_the_case_its_case_was_merged_into(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.accounts.models import Role
    from homeward.cases.merging import merge_cases
    from homeward.conftest import make_user

    kept, merged = amina_case(make_case), amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    reject_match(MatchCandidate.objects.get(sought__request=request, case=merged), by=caseworker)
    supervisor = make_user("supervisor", agency, Role.SUPERVISOR)
    merge_cases(kept, merged, reason="One child", by=supervisor)
    match()
    # "Not this child" of one registration is said of the child: the kept one is not proposed.
    assert scores(request) == {}


def test_a_mother_confirmed_in_one_childs_case_is_still_proposed_in_her_other_childs(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.cases.services import add_family_member

    first = amina_case(make_case)
    mother = first.family_member("mother").person
    sibling = make_case(names=[NameInput("Ахмед Исаев", "civil_registry")], sex="m")
    add_family_member(sibling, RelativeInput("mother", (), sex="f"), by=caseworker, person=mother)
    sought = SoughtInput("mother", names=[NameInput("Khadizhat Isaeva", "family")], sex="f")
    request = request_for(agency, caseworker, sought, relationship="mother")
    match()
    assert set(scores(request)) == {first.pk, sibling.pk}
    confirm_match(MatchCandidate.objects.get(sought__request=request, case=first), by=caseworker)
    match()
    assert set(scores(request)) == {sibling.pk}
    reject_match(MatchCandidate.objects.get(sought__request=request, case=sibling), by=caseworker)
    match()
    assert scores(request) == {}


def test_a_closed_requests_candidates_are_kept_when_a_child_changes(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.tracing.services import close_request

    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    close_request(request, reason="Found", by=caseworker, closed_on=date(2019, 2, 1))
    spellings = [NameInput("Амина Исаева", "civil_registry"), NameInput("Amina Isaeva", "ngo")]
    replace_names(amina.child, spellings, by=caseworker, case=amina)
    match()
    assert set(scores(request)) == {amina.pk}


def test_a_pair_decided_while_matching_ran_is_not_stored_again(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.tracing.matching import Registry, _matches, _sought, _store

    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    sought = request.sought.get()
    found = list(_matches(_sought([sought.pk]), Registry(), DEFAULT_SETTINGS))
    assert [m.case_id for m in found] == [amina.pk]
    reject_match(MatchCandidate.objects.get(sought=sought), by=caseworker)  # meanwhile
    _store(found, {sought.pk})
    assert scores(request) == {}


def test_of_two_proposals_for_one_pair_the_first_found_the_better_is_kept(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.tracing.matching import Registry, _matches, _sought, _store

    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    sought = request.sought.get()
    best = next(iter(_matches(_sought([sought.pk]), Registry(), DEFAULT_SETTINGS)))
    weaker = best._replace(candidate=replace(best.candidate, score=0.2), relative_id=None)
    _store([best, weaker], {sought.pk})
    assert scores(request) == {amina.pk: best.candidate.score}


def test_a_request_closed_while_its_work_waited_keeps_its_candidates(
    make_case: Callable[..., ChildCase], agency: Agency, caseworker: User
) -> None:
    from homeward.tracing.matching import enqueue
    from homeward.tracing.services import close_request

    amina = amina_case(make_case)
    request = request_for(agency, caseworker, AMINA_SOUGHT)
    match()
    enqueue(MatchingWork.Kind.SOUGHT, [request.sought.get().pk])
    close_request(request, reason="Found", by=caseworker, closed_on=date(2019, 2, 1))
    match()
    assert set(scores(request)) == {amina.pk}
