"""Reads: the changes feed, figures and releases, manifests, imports, and the pages' session."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone

from homeward.accounts.models import Agency
from homeward.api.tests.helpers import KeyClient, make_key
from homeward.cases import services
from homeward.cases.services import NameInput
from homeward.conftest import make_user, signed_in
from homeward.releases.tests.helpers import a_release


def test_the_changes_feed_gives_each_change_once_after_the_cursor(
    key_client: Any, make_case: Any, caseworker: Any, other_agency: Agency
) -> None:
    client = key_client()
    first = make_case()
    start = client.get("/api/v1/changes/").json()
    assert [c["id"] for c in start["results"]] == [first.pk]
    client.get(f"/api/v1/cases/{first.pk}/")  # a read is not a change
    services.replace_names(
        first.child, [NameInput("Amina Isaeva", "consular")], by=caseworker, case=first
    )
    make_case(owner=other_agency)  # not ours: never listed
    later = client.get(f"/api/v1/changes/?since={start['next_cursor']}").json()
    assert [(c["id"], c["action"]) for c in later["results"]] == [(first.pk, "case.names_changed")]
    assert later["results"][0]["url"] == f"/api/v1/cases/{first.pk}/"
    assert not later["more"]
    assert client.get(f"/api/v1/changes/?since={later['next_cursor']}").json()["results"] == []


def test_updated_since_finds_a_case_whose_names_changed(
    key_client: Any, make_case: Any, caseworker: Any
) -> None:
    changed, _unchanged = make_case(), make_case()
    since = timezone.now()
    services.replace_names(
        changed.child, [NameInput("Amina Isaeva", "consular")], by=caseworker, case=changed
    )
    stamp = since.isoformat().replace("+00:00", "Z")
    listed = key_client().get("/api/v1/cases/", {"updated_since": stamp}).json()["results"]
    assert [c["id"] for c in listed] == [changed.pk]


def test_the_list_pages_with_a_cursor_and_filters(key_client: Any, make_case: Any) -> None:
    made = [make_case().pk for _ in range(3)]
    client = key_client()
    first = client.get("/api/v1/cases/", {"limit": 2}).json()
    assert [c["id"] for c in first["results"]] == made[:2]
    rest = client.get(first["next"]).json()
    assert [c["id"] for c in rest["results"]] == made[2:] and rest["next"] is None
    assert client.get("/api/v1/cases/", {"status": "placed"}).json()["results"] == []
    assert (
        len(client.get("/api/v1/cases/", {"host": "IQ", "region": "RU-DA"}).json()["results"]) == 3
    )


def test_a_release_never_shows_a_suppressed_cell(agency: Agency, make_case: Any) -> None:
    make_case()  # one child: a cell below any threshold
    analyst = make_user("analyst", agency, "analyst")
    approved = a_release(analyst, approved_by=make_user("supervisor", agency, "supervisor"))
    waiting = a_release(analyst)
    client = KeyClient(make_key(agency, "analyst"))
    assert [r["id"] for r in client.get("/api/v1/releases/").json()["results"]] == [approved.pk]
    assert client.get(f"/api/v1/releases/{waiting.pk}/").status_code == 404
    published = client.get(f"/api/v1/releases/{approved.pk}/").json()
    suppressed = [c for c in approved.table["cells"] if c["shown"] is None]
    assert suppressed, "the test needs a suppressed cell"
    assert all(
        row["count"] in ("x", 0) or isinstance(row["count"], int) for row in published["rows"]
    )
    assert [row["count"] for row in published["rows"]].count("x") == len(suppressed)


def test_statistics_count_as_homeward_stats_does(key_client: Any, make_case: Any) -> None:
    make_case()
    answer = (
        key_client("analyst", scope="all")
        .get("/api/v1/statistics/children/", {"by": "region", "as_of": "2019-01-05"})
        .json()
    )
    assert answer["total"] == 1 and answer["rows"] == [{"region": "RU-DA", "count": 1}]
    assert answer["protected"] is False
    bad = key_client("analyst").get("/api/v1/statistics/children/", {"bands": "nonsense"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "bands"


def test_figures_outside_the_callers_scope_are_protected_as_on_the_page(
    key_client: Any, make_case: Any
) -> None:
    """Issue 14 item 4 through the API: one child of 10 in a region is a count of 1, which
    a key whose scope is not every case must never read (nor the child's age)."""
    make_case()
    client = key_client("analyst")
    answer = client.get(
        "/api/v1/statistics/children/", {"by": "region", "as_of": "2019-01-05"}
    ).json()
    assert answer["protected"] is True
    assert answer["rows"] == [{"region": "RU-DA", "count": None}] and answer["total"] is None
    assert answer["ages"] == {"youngest": None, "oldest": None}
    tracing = client.get("/api/v1/statistics/tracing/").json()["rows"]
    assert all(row["count"] is None or row["count"] == 0 or row["count"] >= 5 for row in tracing)


def test_the_manifest_comes_as_json_and_as_a_pdf(arrived_case: Any, coordinator: Any) -> None:
    from homeward.missions.models import Mission

    mission = Mission.objects.get()
    client = signed_in(coordinator)
    rows = client.get(f"/api/v1/missions/{mission.pk}/manifest/").json()["rows"]
    assert [r["reference"] for r in rows] == [arrived_case.reference]
    pdf = client.get(f"/api/v1/missions/{mission.pk}/manifest.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_an_import_is_checked_then_committed(key_client: Any) -> None:
    client = key_client()
    rows = (
        "external_id,name_cyrillic,sex,birth,nationality,host_country,identified_on\n"
        "k-1,Импорт Тест,f,2013,RU,IQ,2018-05-02\n"
    ).encode()

    def send(commit: bool, key: str) -> Any:
        upload = io.BytesIO(rows)
        upload.name = "kobo.csv"
        return client.post(
            "/api/v1/imports/",
            {"file": upload, "source": "KoBo", "kind": "children", "commit": commit},
            HTTP_IDEMPOTENCY_KEY=key,
        )

    checked = send(False, "dry")
    assert checked.status_code == 201, checked.content
    assert checked.json()["status"] == "checked" and checked.json()["problems"] == []
    batch = checked.json()["id"]
    committed = client.post(f"/api/v1/imports/{batch}/commit/")
    assert committed.json()["status"] == "committed" and committed.json()["created"] == 1
    assert client.get(f"/api/v1/imports/{batch}/").json()["created"] == 1


def test_a_signed_in_person_uses_the_api_with_csrf_on_writes(
    caseworker: Any, make_case: Any
) -> None:
    case = make_case()
    client = signed_in(caseworker)
    client.handler.enforce_csrf_checks = True
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    body = {"to_status": "verified"}
    refused = client.post(
        f"/api/v1/cases/{case.pk}/transitions/", body, content_type="application/json"
    )
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    done = client.post(
        f"/api/v1/cases/{case.pk}/transitions/",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert done.status_code == 201 and done.json()["status"] == "verified"


def test_a_session_without_the_second_factor_is_not_enough(caseworker: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(caseworker)
    assert client.get("/api/v1/me/").status_code in (302, 401)


def test_a_key_expiring_soon_still_works(agency: Agency) -> None:
    from homeward.api.models import ApiKey

    secret = make_key(agency, "caseworker")
    ApiKey.objects.update(expires_at=timezone.now() + timedelta(seconds=30))
    assert KeyClient(secret).get("/api/v1/me/").status_code == 200


def test_a_parameter_given_twice_is_refused(key_client: Any) -> None:
    # Found by the long fuzzing run: `after=x&after=0.0` once read the last value only.
    response = key_client().get("/api/v1/tracing-requests/?after=x&after=0.0")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "after"
