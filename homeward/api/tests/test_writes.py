"""Writes: idempotent retries, problems naming the field, the same refusals as the pages."""

from __future__ import annotations

import uuid
from typing import Any

from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.tracing.models import TracingRequest

REGISTER = {
    "names": [{"full_name": "Амина Исаева", "source": "civil_registry"}],
    "sex": "f",
    "birth": "2013",
    "nationality": "RU",
    "home_region": "RU-DA",
    "placement": {"country": "IQ", "facility_kind": "state_orphanage", "since": "2018-05-02"},
    "identified_on": "2018-05-02",
}


def test_a_retried_registration_registers_the_child_once(key_client: Any) -> None:
    client = key_client()
    key = str(uuid.uuid4())
    first = client.send("POST", "/api/v1/cases/", REGISTER, HTTP_IDEMPOTENCY_KEY=key)
    again = client.send("POST", "/api/v1/cases/", REGISTER, HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert ChildCase.objects.count() == 1
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert AuditEntry.objects.filter(action="case.created").count() == 1


def test_the_same_key_for_another_body_is_refused(key_client: Any) -> None:
    client = key_client()
    key = str(uuid.uuid4())
    client.send("POST", "/api/v1/cases/", REGISTER, HTTP_IDEMPOTENCY_KEY=key)
    other = REGISTER | {"sex": "m"}
    response = client.send("POST", "/api/v1/cases/", other, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert ChildCase.objects.count() == 1


def test_a_refused_write_can_be_retried_with_the_same_key(key_client: Any) -> None:
    client = key_client()
    key = str(uuid.uuid4())
    future = REGISTER | {"identified_on": "2999-01-01"}
    assert (
        client.send("POST", "/api/v1/cases/", future, HTTP_IDEMPOTENCY_KEY=key).status_code == 422
    )
    assert (
        client.send("POST", "/api/v1/cases/", future, HTTP_IDEMPOTENCY_KEY=key).status_code == 422
    )
    assert ChildCase.objects.count() == 0


def test_registering_needs_an_idempotency_key(key_client: Any) -> None:
    response = key_client().send("POST", "/api/v1/cases/", REGISTER)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "pointer": "#/Idempotency-Key",
            "detail": "This write needs an Idempotency-Key header.",
        }
    ]


def test_a_services_refusal_is_a_problem_naming_the_field(key_client: Any, make_case: Any) -> None:
    case = make_case()
    response = key_client().send(
        "POST", f"/api/v1/cases/{case.pk}/transitions/", {"to_status": "repatriated"}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:homeward:problem:refused"
    assert problem["errors"][0]["field"] == "to_status"
    assert "Allowed next" in problem["detail"]
    assert problem["instance"] == f"/api/v1/cases/{case.pk}/transitions/"


def test_a_malformed_request_names_each_field(key_client: Any) -> None:
    body = REGISTER | {"sex": "x", "placement": {"country": "IQ"}}
    response = key_client().send("POST", "/api/v1/cases/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"sex", "placement.facility_kind", "placement.since"} <= fields


def test_a_sought_persons_field_is_named_by_its_place(key_client: Any) -> None:
    body = {
        "enquirer_names": [{"full_name": "Патимат Исаева", "source": "family"}],
        "enquirer_relationship": "grandmother",
        "filed_on": "2019-01-01",
        "sought": [
            {"kind": "child", "names": [{"full_name": "Амина", "source": "family"}]},
            {"kind": "child", "birth": "~6@2999-01-01", "mother_names": ["Мадина"]},
        ],
    }
    response = key_client().send(
        "POST", "/api/v1/tracing-requests/", body, HTTP_IDEMPOTENCY_KEY="t"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sought.1.birth"
    assert TracingRequest.objects.count() == 0


def test_another_agencys_case_is_the_same_404_and_audit_as_on_the_pages(
    key_client: Any, make_case: Any, other_agency: Any
) -> None:
    theirs = make_case(owner=other_agency)
    response = key_client().get(f"/api/v1/cases/{theirs.pk}/")
    assert response.status_code == 404
    assert theirs.reference not in response.content.decode()
    refusal = AuditEntry.objects.filter(action="access.denied").get()
    assert (refusal.object_type, refusal.object_id) == ("cases.childcase", str(theirs.pk))


def test_a_conviction_follows_the_role(key_client: Any, make_case: Any) -> None:
    from homeward.cases.services import NameInput, RelativeInput

    mother = RelativeInput(
        "mother",
        [NameInput("Мадина Исаева", "family")],
        status="detained",
        conviction="Article 208",
        detention_facility="Prison (test)",
    )
    case = make_case(relatives=[mother])
    for role, sees in (("caseworker", True), ("mission_coordinator", False)):
        member = key_client(role).get(f"/api/v1/cases/{case.pk}/").json()["family"][0]
        assert ("conviction" in member) is sees, role
        assert "detention_facility" not in member  # sensitive: only when asked for
    asked = key_client().get(f"/api/v1/cases/{case.pk}/?include_sensitive=true").json()
    assert asked["family"][0]["detention_facility"] == "Prison (test)"
    refused = key_client("mission_coordinator").send(
        "POST",
        f"/api/v1/cases/{case.pk}/family/",
        {
            "relationship": "aunt",
            "names": [{"full_name": "Тётя", "source": "family"}],
            "conviction": "x",
        },
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "conviction"


def test_too_many_requests_are_refused_with_retry_after(key_client: Any) -> None:
    client = key_client(rate_per_minute=3)
    answers = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response = client.get("/api/v1/me/")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["status"] == 429


def test_a_kept_answer_is_encrypted_at_rest(key_client: Any) -> None:
    from django.db import connection

    from homeward.lib.crypto import is_token

    key_client().send("POST", "/api/v1/cases/", REGISTER, HTTP_IDEMPOTENCY_KEY="enc")
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM api_idempotentrequest")
        stored = cursor.fetchone()[0]
    assert is_token(stored) and "Амина" not in stored


def test_the_rate_is_counted_across_worker_processes(key_client: Any) -> None:
    """Each worker of `homeward serve --workers N` opens its own cache: the counts must be
    where another process finds them, or a key gets N times its rate."""
    from django.core.cache.backends.filebased import FileBasedCache

    from homeward.api.models import ApiKey
    from homeward.api.throttling import PerKeyRateThrottle

    client = key_client(rate_per_minute=3)
    assert [client.get("/api/v1/me/").status_code for _ in range(2)] == [200, 200]
    key = ApiKey.objects.latest("pk")
    shared = PerKeyRateThrottle.cache
    assert isinstance(shared, FileBasedCache)
    another_process = FileBasedCache(shared._dir, {})  # as a fresh worker opens it
    assert len(another_process.get(f"homeward-api-rate:key-{key.pk}")) == 2
