"""A list's count stops at a cap (issue 21): counting a caseworker's 400,000 cases took
0.8 s at a million children, for a number the list only shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.web import paging
from homeward.web.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def test_the_case_list_counts_no_further_than_the_cap(
    make_case: Callable[..., ChildCase], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for _ in range(5):
        make_case()
    client = signed_in(caseworker)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:list"))
    assert "More than 3 cases" in response.content.decode()
    assert len(response.context["page"]) == 5  # every row of the page is still listed
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts)

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    assert "5 cases" in client.get(reverse("cases:list")).content.decode()


def test_a_later_page_raises_the_cap_to_reach_it(make_case: Callable[..., ChildCase]) -> None:
    for _ in range(7):
        make_case()
    cases = ChildCase.objects.order_by("pk")
    paginator = CappedPaginator(cases, 2, "3", cap=3)
    assert paginator.cap == 6 and paginator.capped and paginator.count == 7
    assert [c.pk for c in paginator.get_page("3")] == [c.pk for c in cases[4:6]]
    exact = CappedPaginator(cases, 2, "1", cap=10)
    assert not exact.capped and exact.count == 7 and exact.num_pages == 4


@pytest.mark.parametrize("number", ["9" * 30, str(2**62), "-5", "1e9", "٣"])
def test_a_page_number_past_any_list_shows_the_last_page(
    make_case: Callable[..., ChildCase], caseworker: User, number: str
) -> None:
    """?page=999…9 raised the cap past a 64-bit LIMIT: a 500 on both databases."""
    make_case()
    response = signed_in(caseworker).get(reverse("cases:list"), {"page": number})
    assert response.status_code == 200
    assert len(response.context["page"]) == 1
