"""One fact, one place (issue 15): the checklist items that are steps of the case are read
from its status history, so the status and the checklist never disagree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.cases import services as cases
from homeward.cases.models import ChildCase
from homeward.missions import readiness, services
from homeward.missions.models import ReadinessItem
from homeward.missions.services import MissionError

pytestmark = pytest.mark.django_db


def line(case: ChildCase, item: ReadinessItem) -> readiness.ChecklistLine:
    return next(line for line in readiness.checklist(case) if line.item == item)


def test_identity_verified_is_the_status_with_its_day_and_evidence(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    assert not line(case, ReadinessItem.IDENTITY_VERIFIED).done
    cases.transition(
        case, "verified", by=caseworker, reason="DNA match with the grandmother",
        effective_on=date(2018, 6, 1),
    )  # fmt: skip
    verified = line(case, ReadinessItem.IDENTITY_VERIFIED)
    assert (verified.done, verified.done_on, verified.evidence) == (
        True,
        date(2018, 6, 1),
        "DNA match with the grandmother",
    )
    # A step back (the identity was in doubt after all) unticks it with the status.
    cases.transition(case, "identified", by=caseworker, reason="The DNA test was mixed up")
    assert not line(case, ReadinessItem.IDENTITY_VERIFIED).done


def test_a_case_on_hold_keeps_the_steps_it_had_reached(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_ready_case()
    cases.transition(case, "on_hold", by=caseworker, reason="Exit clearances suspended")
    done = {line.item for line in readiness.checklist(case) if line.done}
    assert {ReadinessItem.IDENTITY_VERIFIED, ReadinessItem.EXIT_CLEARANCE} <= done


def test_the_items_that_are_steps_are_not_ticked_apart(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_case()
    with pytest.raises(MissionError, match="move the case to “Identity verified”"):
        services.record_readiness(
            case, ReadinessItem.IDENTITY_VERIFIED, done_on=date(2018, 6, 1), by=caseworker
        )
    with pytest.raises(MissionError, match="Relatives are assessed on the family tab"):
        services.record_readiness(
            case, ReadinessItem.RELATIVES_ASSESSED, done_on=date(2018, 6, 1), by=caseworker
        )


def test_the_case_page_never_shows_a_status_next_to_its_own_item_unticked(
    make_case: Callable[..., ChildCase], caseworker: User, caseworker_client: Client
) -> None:
    case = make_case()
    cases.transition(case, "verified", by=caseworker, effective_on=date(2018, 6, 1))
    page = caseworker_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Identity verified" in page  # the status
    assert "✗ Identity verified" not in page and "✓ Identity verified" in page
    # The form offers only what is ticked by hand.
    form = page.split("missions/readiness/")[1].split("</form>")[0]
    assert "travel_document" in form and "identity_verified" not in form
