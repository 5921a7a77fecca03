"""The case page reads each part of a case once (issue 21): its checklist is drawn twice
(the lines, and what stands between the child and a seat) and each drawing read the
status history, the readiness ticks and the family again: 35 queries, now 26."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.audit.models import AuditEntry
from homeward.cases import services
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, RelativeInput
from homeward.conftest import signed_in

pytestmark = pytest.mark.django_db

ONCE = ("cases_statustransition", "missions_readinesscheck", "cases_familymember")


def _page_queries(client: object, case: ChildCase) -> list[str]:
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # type: ignore[attr-defined]  # per-process caches filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_case_page_reads_each_part_of_the_case_once(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_ready_case()
    sql = _page_queries(signed_in(caseworker), case)
    for table in ONCE:
        assert sum(f'FROM "{table}"' in query for query in sql) == 1, table


def test_the_case_page_asks_as_many_queries_for_a_larger_family(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_ready_case()
    client = signed_in(caseworker)
    before = len(_page_queries(client, case))
    for relationship in ("aunt", "uncle"):
        services.add_family_member(
            case, RelativeInput(relationship, [NameInput("Хадижат Исаева", "family")]),
            by=caseworker,
        )  # fmt: skip
    assert len(_page_queries(client, case)) == before


def test_each_reading_of_the_case_page_is_still_audited(
    make_ready_case: Callable[..., ChildCase], caseworker: User
) -> None:
    case = make_ready_case()
    _page_queries(signed_in(caseworker), case)
    viewed = AuditEntry.objects.filter(
        action="case.viewed", object_id=str(case.pk), actor=caseworker
    )
    assert viewed.count() == 2
