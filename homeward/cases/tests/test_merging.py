"""Duplicate registrations: found by the engine, merged by a supervisor, undone in full."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from homeward.accounts.models import Agency, Role
from homeward.audit.models import AuditEntry
from homeward.cases.merging import merge_cases, undo_merge
from homeward.cases.models import CaseMerge, ChildCase, DuplicateCandidate
from homeward.cases.services import CaseError, NameInput, RelativeInput, add_note
from homeward.conftest import make_user, signed_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.matching.compare import level_meaning
from homeward.statistics.services import StatsQuery, count_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(agency: Agency) -> User:
    return make_user("supervisor", agency, Role.SUPERVISOR)


@pytest.fixture
def twice(make_case: Callable[..., ChildCase], caseworker: User) -> tuple[ChildCase, ChildCase]:
    """One child registered by the consulate in Cyrillic and again by an NGO in Latin."""
    mother = RelativeInput("mother", [NameInput("Хадижат Исаева", "family")], sex="f")
    birth = BirthDate(BirthPrecision.DAY, date(2013, 4, 2))
    first = make_case(
        names=[NameInput("Амина Исаева", "civil_registry")], birth=birth, relatives=[mother]
    )
    second = make_case(
        names=[NameInput("Amina Isaeva", "ngo")], birth=birth,
        relatives=[RelativeInput("mother", [NameInput("Khadizhat Isaeva", "ngo")], sex="f"),
                   RelativeInput("aunt", [NameInput("Zarema Isaeva", "ngo")], sex="f")],
    )  # fmt: skip
    add_note(second, "Seen at the camp clinic.", by=caseworker)
    return first, second


def test_the_engine_proposes_the_two_registrations_as_one_child(
    twice: tuple[ChildCase, ChildCase], make_case: Callable[..., ChildCase]
) -> None:
    make_case(names=[NameInput("Магомед Алиев", "civil_registry")], sex="m")
    call_command("match", stdout=StringIO())
    pair = DuplicateCandidate.objects.get()
    assert {pair.first, pair.second} == set(twice) and pair.score >= 0.95


def test_a_merge_moves_names_family_notes_and_counts_the_child_once(
    twice: tuple[ChildCase, ChildCase], supervisor: User
) -> None:
    kept, merged = twice
    before = count_children(StatsQuery(as_of=date(2019, 1, 1))).total
    merge_cases(kept, merged, reason="Same mother, same birthday", by=supervisor)
    merged.refresh_from_db()
    assert merged.merged_into == kept
    names = set(kept.child.names.values_list("full_name", flat=True))
    assert names == {"Амина Исаева", "Amina Isaeva"}
    assert kept.family_member("aunt") is not None  # moved
    assert kept.family.filter(relationship="mother").count() == 1  # kept's own mother stays
    assert merged.family.filter(relationship="mother").count() == 1
    assert kept.notes.filter(text="Seen at the camp clinic.").exists()
    assert merged.transitions.count() == 1  # its own history stays with it
    assert count_children(StatsQuery(as_of=date(2019, 1, 1))).total == before - 1
    assert AuditEntry.objects.filter(action="case.merged").count() == 1


def test_undoing_a_merge_puts_everything_back(
    twice: tuple[ChildCase, ChildCase], supervisor: User
) -> None:
    kept, merged = twice
    merge = merge_cases(kept, merged, reason="Same child", by=supervisor)
    undo_merge(merge, by=supervisor)
    merged.refresh_from_db()
    assert merged.merged_into is None
    assert set(kept.child.names.values_list("full_name", flat=True)) == {"Амина Исаева"}
    assert merged.family_member("aunt") is not None and kept.family_member("aunt") is None
    assert merged.notes.count() == 1 and kept.notes.count() == 0
    with pytest.raises(CaseError, match="undone already"):
        undo_merge(CaseMerge.objects.get(), by=supervisor)


def test_only_a_supervisor_merges_and_a_reason_is_needed(
    twice: tuple[ChildCase, ChildCase], caseworker: User, supervisor: User
) -> None:
    with pytest.raises(CaseError, match="Only a supervisor"):
        merge_cases(*twice, reason="x", by=caseworker)
    with pytest.raises(CaseError, match="Say why"):
        merge_cases(*twice, reason=" ", by=supervisor)


def test_a_supervisor_merges_from_the_duplicates_page_and_undoes_it(
    twice: tuple[ChildCase, ChildCase], supervisor: User
) -> None:
    call_command("match", stdout=StringIO())
    client = signed_in(supervisor)
    page = client.get(reverse("cases:duplicates")).content.decode()
    pair = DuplicateCandidate.objects.get()
    assert pair.first.reference in page and pair.second.reference in page
    # The pair's levels are said in words, as tooltips and once in the list below.
    said = [html.escape(level_meaning(part["field"], part["level"])) for part in pair.explanation]
    assert all(f'title="{meaning}"' in page for meaning in said)
    assert page.count("What these levels mean") == 1
    assert all(f"<dd>{meaning}</dd>" in page for meaning in said)
    response = client.post(
        reverse("cases:merge_pair", args=[pair.pk]), {"keep": "first", "reason": "Same child"}
    )
    assert response["Location"] == reverse("cases:detail", args=[pair.first_id])
    assert "Undo the merge" in client.get(response["Location"]).content.decode()
    merge = CaseMerge.objects.get()
    client.post(reverse("cases:undo_merge", args=[merge.pk]))
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_a_dismissed_pair_is_not_proposed_again(
    twice: tuple[ChildCase, ChildCase], supervisor: User
) -> None:
    call_command("match", stdout=StringIO())
    pair = DuplicateCandidate.objects.get()
    signed_in(supervisor).post(reverse("cases:dismiss_pair", args=[pair.pk]))
    from homeward.tracing.matching import enqueue

    enqueue("case", [c.pk for c in twice])
    call_command("match", stdout=StringIO())
    pair.refresh_from_db()
    assert pair.dismissed_at is not None
    assert (
        "No possible duplicates"
        in signed_in(supervisor).get(reverse("cases:duplicates")).content.decode()
    )


def test_a_merge_and_its_undo_are_matched_again_so_requests_follow_the_kept_case(
    twice: tuple[ChildCase, ChildCase], supervisor: User, agency: Agency, caseworker: User
) -> None:
    from homeward.tracing.models import MatchCandidate
    from homeward.tracing.services import RequestInput, SoughtInput, file_request

    first, second = twice
    sought = SoughtInput(
        "child", names=[NameInput("Амина Исаева", "family")], sex="f",
        birth=BirthDate(BirthPrecision.YEAR, date(2013, 1, 1)), mother_names=["Хадижат Исаева"],
    )  # fmt: skip
    filed = RequestInput(
        enquirer_names=[NameInput("Патимат Исаева", "family")],
        enquirer_relationship="grandmother", filed_on=date(2019, 1, 10), sought=[sought],
    )  # fmt: skip
    request = file_request(filed, agency=agency, by=caseworker)
    call_command("match", stdout=StringIO())

    def proposed() -> dict[int, float]:
        candidates = MatchCandidate.objects.filter(sought__request=request)
        return dict(candidates.values_list("case_id", "score"))

    assert set(proposed()) == {first.pk, second.pk}
    merge = merge_cases(first, second, reason="Same birth day and mother", by=supervisor)
    call_command("match", stdout=StringIO())
    assert set(proposed()) == {first.pk} and proposed()[first.pk] > 0.9
    undo_merge(merge, by=supervisor)
    call_command("match", stdout=StringIO())
    assert set(proposed()) == {first.pk, second.pk}
    assert DuplicateCandidate.objects.filter(first__in=twice, second__in=twice).exists()
