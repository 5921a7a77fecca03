"""Arrival examinations: recorded by medical officers, findings read only by health roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError
from homeward.conftest import signed_in
from homeward.health.models import ArrivalExamination
from homeward.health.services import ExaminationInput, record_examination

pytestmark = pytest.mark.django_db

FINDING = "Mild anaemia; iron supplement prescribed"


def exam(**changes: Any) -> ExaminationInput:
    values: dict[str, Any] = {
        "hospital": "Children's clinical hospital (test)",
        "examined_on": date(2018, 12, 31),
        "findings": {"nutrition": FINDING, "general": "Good"},
    }
    return ExaminationInput(**(values | changes))


def test_the_medical_officer_records_it_and_the_case_moves_on(
    arrived_case: ChildCase, medic: User
) -> None:
    record = record_examination(arrived_case, exam(), by=medic)
    arrived_case.refresh_from_db()
    assert arrived_case.status == "examined"
    assert record.mission is not None  # the mission the child flew on
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM health_arrivalexamination")
        assert FINDING not in cursor.fetchone()[0]  # encrypted at rest


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hospital": " "}, "hospital", "Name the hospital"),
        ({"examined_on": date(2018, 12, 29)}, "examined_on", "cannot be earlier"),
        ({"findings": {"astrology": "x"}}, "findings", "Unknown finding category"),
        ({"follow_up_needed": True}, "follow_up", "what follow-up care"),
    ],
)
def test_bad_examinations_are_refused_naming_the_field(
    arrived_case: ChildCase, medic: User, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(CaseError, match=message) as refused:
        record_examination(arrived_case, exam(**changes), by=medic)
    assert refused.value.field == field
    assert not ArrivalExamination.objects.exists()


def test_only_a_medical_officer_records_and_only_after_arrival(
    arrived_case: ChildCase, make_case: Callable[..., ChildCase], medic: User, caseworker: User
) -> None:
    with pytest.raises(CaseError, match="Only a medical officer"):
        record_examination(arrived_case, exam(), by=caseworker)
    with pytest.raises(CaseError, match="examined after arrival"):
        record_examination(make_case(), exam(), by=medic)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("medic", True), ("supervisor", True), ("caseworker", False), ("coordinator", False)],
)
def test_findings_are_shown_only_to_the_roles_that_read_health_records(
    arrived_case: ChildCase, medic: User, who: str, sees: bool, request: Any
) -> None:
    record_examination(arrived_case, exam(), by=medic)
    user = request.getfixturevalue(who)
    page = signed_in(user).get(reverse("cases:detail", args=[arrived_case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Children&#x27;s clinical hospital (test)" in text  # that there was one: case team
    assert (FINDING in text) is sees
    if not sees:
        assert "shown to medical officers and supervisors only" in text


def test_the_examination_page_records_through_the_form(
    arrived_case: ChildCase, medic: User
) -> None:
    client = signed_in(medic)
    url = reverse("health:record_examination", args=[arrived_case.pk])
    refused = client.post(url, {"hospital": "H", "examined_on": "2018-12-01"})
    assert refused.status_code == 400
    assert "cannot be earlier" in refused.content.decode()
    done = client.post(
        url, {"hospital": "H", "examined_on": "2018-12-31", "finding_dental": "Two caries"}
    )
    assert done.status_code == 302
    assert ArrivalExamination.objects.get().findings == '{"dental": "Two caries"}'
