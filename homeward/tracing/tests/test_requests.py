"""Filing, finding, reading and closing tracing requests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.audit.models import AuditEntry
from homeward.cases.services import CaseError, NameInput
from homeward.conftest import signed_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.people.models import Person
from homeward.statistics.activity import count_tracing
from homeward.tracing.models import TracingRequest
from homeward.tracing.services import RequestInput, SoughtInput, close_request, file_request

pytestmark = pytest.mark.django_db


def grandmother_asks(**sought: Any) -> RequestInput:
    child = {
        "kind": "child", "names": [NameInput("Амина Исаева", "family")], "sex": "f",
        "birth": BirthDate(BirthPrecision.ESTIMATE, estimated_age=6, estimated_on=date(2019, 3, 1)),
        "mother_names": ["Хадижат Исаева"],
    } | sought  # fmt: skip
    return RequestInput(
        enquirer_names=[NameInput("Патимат Исаева", "family")], enquirer_relationship="grandmother",
        filed_on=date(2019, 1, 10), who_left="My daughter Khadizhat with two children",
        left_on="2015-03", left_for="Iraq", sought=[SoughtInput(**child)],
    )  # fmt: skip


def test_a_request_is_filed_with_everyone_it_seeks(agency: Agency, caseworker: User) -> None:
    request = file_request(grandmother_asks(), agency=agency, by=caseworker)
    assert request.reference == f"TR-{request.pk:06d}"
    sought = request.sought.get()
    assert sought.person.display_name == "Амина Исаева"
    assert sought.person.birth.describe() == "about 6 years on 2019-03-01"
    assert sought.mother_names == "Хадижат Исаева"
    assert AuditEntry.objects.filter(action="tracing.created").count() == 1


def test_a_sought_person_may_be_known_only_by_a_parents_name(
    agency: Agency, caseworker: User
) -> None:
    request = file_request(grandmother_asks(names=[]), agency=agency, by=caseworker)
    assert request.sought.get().person.names.count() == 0


FUTURE = BirthDate(BirthPrecision.DAY, date(2099, 1, 1))
UNDATED_ESTIMATE = BirthDate(BirthPrecision.ESTIMATE, estimated_age=6)


@pytest.mark.parametrize(
    ("sought", "field", "message"),
    [
        ({"names": [], "mother_names": []}, "names", "or at least a parent's name"),
        ({"birth": FUTURE}, "birth", "in the future"),
        ({"birth": UNDATED_ESTIMATE}, "birth", "Enter the date the age was estimated"),
        ({"names": [NameInput("Αμίνα", "family")]}, "names", "cannot match yet"),
        ({"mother_names": ["Xадижат"]}, "mother_names", "mixes letters"),
        ({"father_names": ["Ma\u0433omed"]}, "father_names", "mixes letters"),
    ],
)  # fmt: skip
def test_bad_requests_are_refused_naming_the_field_and_nothing_is_saved(
    agency: Agency, caseworker: User, sought: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(CaseError) as refused:
        file_request(grandmother_asks(**sought), agency=agency, by=caseworker)
    assert refused.value.field == field and message in refused.value.message
    assert (refused.value.within, refused.value.index) == ("sought", 0)
    assert not TracingRequest.objects.exists() and not Person.objects.exists()


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "enquirer_names": "Патимат Исаева", "enquirer_relationship": "grandmother",
        "filed_on": "2019-01-10", "left_for": "Iraq",
        "sought-TOTAL_FORMS": "2", "sought-INITIAL_FORMS": "0",
        "sought-MIN_NUM_FORMS": "0", "sought-MAX_NUM_FORMS": "10",
        "sought-0-kind": "child", "sought-0-names": "Амина Исаева\nAmina Isaeva",
        "sought-0-sex": "f",
        "sought-0-birth": "~6@2019-03-01", "sought-0-mother_names": "Хадижат Исаева",
        "sought-1-kind": "child", "sought-1-sex": "u",
    }  # fmt: skip
    return data | overrides


def test_filing_through_the_form_and_finding_it_by_a_latin_spelling(caseworker: User) -> None:
    client = signed_in(caseworker)
    response = client.post(reverse("tracing:file"), form_data())
    assert response.status_code == 302
    request = TracingRequest.objects.get()
    assert request.sought.count() == 1  # the blank second form is skipped
    page = client.get(reverse("tracing:list"), {"q": "Amina Isaeva"}).content.decode()
    assert request.reference in page
    assert (
        request.reference in client.get(reverse("tracing:list"), {"q": "Патимат"}).content.decode()
    )
    assert (
        request.reference
        not in client.get(reverse("tracing:list"), {"q": "Magomed"}).content.decode()
    )
    detail = client.get(reverse("tracing:detail", args=[request.pk])).content.decode()
    assert "about 6 years on 2019-03-01" in detail and "Хадижат Исаева" in detail


def test_the_form_shows_a_bad_age_next_to_the_person_sought(caseworker: User) -> None:
    response = signed_in(caseworker).post(
        reverse("tracing:file"), form_data(**{"sought-0-birth": "six"})
    )
    assert response.status_code == 400
    assert "is not a date of birth" in response.content.decode()
    assert not TracingRequest.objects.exists()


def test_another_agency_cannot_read_a_request(
    agency: Agency, caseworker: User, outsider: User
) -> None:
    request = file_request(grandmother_asks(), agency=agency, by=caseworker)
    client = signed_in(outsider)
    assert client.get(reverse("tracing:detail", args=[request.pk])).status_code == 404
    assert request.reference not in client.get(reverse("tracing:list")).content.decode()


def test_closing_a_request_needs_a_reason(agency: Agency, caseworker: User) -> None:
    request = file_request(grandmother_asks(), agency=agency, by=caseworker)
    with pytest.raises(CaseError, match="Say why"):
        close_request(request, reason=" ", by=caseworker)
    close_request(request, reason="Children found and placed", by=caseworker)
    request.refresh_from_db()
    assert request.status == "closed"
    with pytest.raises(CaseError, match="already closed"):
        close_request(request, reason="again", by=caseworker)


def test_a_request_is_counted_open_until_the_day_it_closed(
    agency: Agency, caseworker: User
) -> None:
    request = file_request(grandmother_asks(), agency=agency, by=caseworker)
    with pytest.raises(CaseError, match="cannot close before") as refused:
        close_request(request, reason="Found", by=caseworker, closed_on=date(2000, 1, 1))
    assert refused.value.field == "closed_on"
    closed_on = request.filed_on + timedelta(days=30)
    close_request(request, reason="Found", by=caseworker, closed_on=closed_on)

    def still_open(day: date) -> int:
        rows = {row["measure"]: row["count"] for row in count_tracing(day)}
        return rows["of which open that day"]

    assert still_open(closed_on - timedelta(days=1)) == 1
    assert still_open(closed_on) == 0


def test_closing_through_the_page(agency: Agency, caseworker: User, client: Client) -> None:
    request = file_request(grandmother_asks(), agency=agency, by=caseworker)
    response = signed_in(caseworker).post(
        reverse("tracing:close", args=[request.pk]), {"reason": "Found"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "closed" and request.closed_reason == "Found"
