from __future__ import annotations

import uuid
from typing import Any

from homeward.cases.models import ChildCase

REGISTER = {
    "names": [{"full_name": "Амина Исаева", "source": "civil_registry"}],
    "sex": "f",
    "birth": "2013",
    "nationality": "RU",
    "home_region": "RU-DA",
    "placement": {"country": "IQ", "facility_kind": "state_orphanage", "since": "2018-05-02"},
    "identified_on": "2018-05-02",
}


def test_smoke(key_client: Any, make_case: Any) -> None:
    client = key_client()
    case = make_case()
    for path in [
        "/api/v1/me/",
        "/api/v1/cases/",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/family/",
        f"/api/v1/cases/{case.pk}/readiness/",
        "/api/v1/tracing-requests/",
        "/api/v1/missions/",
        "/api/v1/statistics/children/?by=region",
        "/api/v1/statistics/tracing/",
        "/api/v1/statistics/abroad/",
        "/api/v1/releases/",
        "/api/v1/changes/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:500])
    response = client.send(
        "POST", "/api/v1/cases/", REGISTER, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 201, response.content
    assert ChildCase.objects.count() == 2
    print(client.get("/api/v1/changes/").json())
