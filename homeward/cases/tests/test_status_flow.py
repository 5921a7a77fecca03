from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User

from homeward.cases.models import ChildCase, StatusTransition
from homeward.cases.services import CaseError, transition
from homeward.cases.status import FINAL, FLOW, CaseStatus, allowed_next, needs_reason

S = CaseStatus


def test_each_step_of_the_flow_may_move_to_the_next() -> None:
    for current, following in itertools.pairwise(FLOW):
        assert following in allowed_next(current)


def test_a_case_cannot_skip_steps() -> None:
    assert S.REPATRIATED not in allowed_next(S.IDENTIFIED)
    assert S.PLACED not in allowed_next(S.REPATRIATED)


def test_before_departure_a_case_may_step_back_but_not_after_return() -> None:
    assert S.CLEARED_TO_LEAVE in allowed_next(S.ASSIGNED_TO_MISSION)
    assert S.ASSIGNED_TO_MISSION not in allowed_next(S.REPATRIATED)


def test_ended_cases_have_no_moves() -> None:
    for status in FINAL:
        assert allowed_next(status) == []


def test_a_held_case_resumes_only_where_it_was() -> None:
    moves = allowed_next(S.ON_HOLD, held_from=S.VERIFIED)
    assert S.VERIFIED in moves
    assert S.FAMILY_TRACED not in moves


def test_placed_abroad_is_an_ending_only_while_the_child_is_abroad() -> None:
    assert S.PLACED_ABROAD in allowed_next(S.VERIFIED)
    assert S.PLACED_ABROAD not in allowed_next(S.PLACED)


def test_only_the_plain_step_forward_needs_no_reason() -> None:
    assert not needs_reason(S.IDENTIFIED, S.VERIFIED)
    assert needs_reason(S.VERIFIED, S.IDENTIFIED)
    assert needs_reason(S.VERIFIED, S.ON_HOLD)
    assert needs_reason(S.VERIFIED, S.DIED)


@pytest.mark.django_db
def test_a_transition_records_who_when_from_to_and_why(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    move = transition(
        case, "verified", by=caseworker, reason="Birth record seen", effective_on=date(2018, 6, 1)
    )
    case.refresh_from_db()
    assert case.status == "verified"
    assert case.status_since == date(2018, 6, 1)
    assert (move.from_status, move.to_status, move.recorded_by, move.reason) == (
        "identified",
        "verified",
        caseworker,
        "Birth record seen",
    )


@pytest.mark.django_db
def test_it_refuses_a_forbidden_transition_with_a_clear_message(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    with pytest.raises(CaseError) as refused:
        transition(case, "repatriated", by=caseworker)
    assert "cannot move to “Repatriated”" in refused.value.message
    assert "Identity verified" in refused.value.message
    assert refused.value.field == "to_status"
    case.refresh_from_db()
    assert case.status == "identified"
    assert case.transitions.count() == 1


@pytest.mark.django_db
def test_it_refuses_an_unknown_status(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    with pytest.raises(CaseError, match="Unknown status"):
        transition(make_case(), "flying", by=caseworker)


@pytest.mark.django_db
def test_putting_on_hold_needs_a_reason(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    with pytest.raises(CaseError) as refused:
        transition(case, "on_hold", by=caseworker)
    assert refused.value.field == "reason"
    transition(case, "on_hold", by=caseworker, reason="Exit clearances suspended")
    assert case.status == "on_hold"


@pytest.mark.django_db
def test_a_held_case_resumes_to_the_status_it_was_held_from(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    transition(case, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    transition(case, "on_hold", by=caseworker, reason="Paused", effective_on=date(2018, 7, 1))
    with pytest.raises(CaseError):
        transition(
            case, "family_traced", by=caseworker, reason="skip", effective_on=date(2018, 8, 1)
        )
    transition(case, "verified", by=caseworker, reason="Resumed", effective_on=date(2018, 8, 1))
    assert case.status == "verified"


@pytest.mark.django_db
def test_it_refuses_a_date_before_the_current_status_or_in_the_future(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case(identified_on=date(2018, 5, 2))
    with pytest.raises(CaseError, match="since 2018-05-02") as early:
        transition(case, "verified", by=caseworker, effective_on=date(2018, 5, 1))
    assert early.value.field == "effective_on"
    with pytest.raises(CaseError, match="future"):
        transition(
            case, "verified", by=caseworker, effective_on=date(2030, 1, 1), today=date(2026, 1, 1)
        )


@pytest.mark.django_db
def test_the_status_on_any_past_date_is_rebuilt_from_the_transitions(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case(identified_on=date(2018, 5, 2))
    for status, day in [
        ("verified", date(2018, 6, 1)),
        ("family_traced", date(2018, 7, 1)),
        ("consent_obtained", date(2018, 8, 1)),
        ("cleared_to_leave", date(2018, 12, 10)),
        ("assigned_to_mission", date(2018, 12, 20)),
        ("repatriated", date(2018, 12, 30)),
    ]:
        transition(case, status, by=caseworker, effective_on=day)
    assert case.status_on(date(2018, 5, 1)) is None
    assert case.status_on(date(2018, 5, 2)) == "identified"
    assert case.status_on(date(2018, 7, 15)) == "family_traced"
    assert case.status_on(date(2018, 12, 29)) == "assigned_to_mission"
    assert case.status_on(date(2019, 1, 5)) == "repatriated"


@pytest.mark.django_db
def test_two_moves_on_one_day_keep_their_order(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case(identified_on=date(2018, 5, 2))
    transition(case, "verified", by=caseworker, effective_on=date(2018, 5, 2))
    transition(case, "family_traced", by=caseworker, effective_on=date(2018, 5, 2))
    assert case.status_on(date(2018, 5, 2)) == "family_traced"
    assert StatusTransition.objects.filter(case=case).count() == 3
