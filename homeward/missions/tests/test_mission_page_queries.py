"""A mission's page reads its manifest once (issue 21): what blocks the flight is worked
out from the manifest the page has read, not from a second reading of it with the same
prefetches (five queries, and every child on board made again)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.cases import services
from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.missions import services as missions

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_planned_missions_page_reads_its_manifest_once_whatever_its_size(
    make_mission: Callable[..., Any],
    make_ready_case: Callable[..., ChildCase],
    coordinator: User,
    caseworker: User,
) -> None:
    mission = make_mission(departs_on=date(2031, 1, 1), arrives_on=date(2031, 1, 1))
    missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
    client = signed_in(coordinator)
    url = reverse("missions:detail", args=[mission.pk])
    one = _queries(client, url)
    read = [sql for sql in one if 'FROM "missions_manifestentry"' in sql and "COUNT(" not in sql]
    assert len(read) == 1
    held = make_ready_case()
    missions.add_to_manifest(mission, held, by=coordinator)
    services.transition(held, "on_hold", by=caseworker, reason="Waiting for the court")
    missions.add_to_manifest(mission, make_ready_case(), by=coordinator)
    page = client.get(url)
    assert [b.entry.case for b in page.context["detail"].blocking] == [held]
    assert len(_queries(client, url)) == len(one)
