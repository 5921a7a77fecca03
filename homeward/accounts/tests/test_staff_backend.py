"""The signed-in user is read with their staff profile and agency, in one query (issue 21:
every page asks for both, two queries a request more)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from homeward.cases.models import ChildCase
from homeward.conftest import signed_in

pytestmark = pytest.mark.django_db


def _read(client: Client, url: str) -> list[str]:
    """What each SELECT of the second request reads, from its FROM on."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"].split(" FROM ", 1)[1] for query in captured if " FROM " in query["sql"]]


def test_a_page_reads_the_profile_and_agency_with_the_user(
    caseworker: User, make_case: object
) -> None:
    case = make_case()  # type: ignore[operator]
    assert isinstance(case, ChildCase)
    read = _read(signed_in(caseworker), f"/cases/{case.pk}/")
    assert not any(sql.startswith('"accounts_staffprofile"') for sql in read)
    assert not any(
        sql.startswith('"accounts_agency" WHERE "accounts_agency"."id" =') for sql in read
    )
    (user,) = [sql for sql in read if sql.startswith('"auth_user"')]
    assert '"accounts_staffprofile"' in user and '"accounts_agency"' in user


def test_a_user_without_a_profile_is_still_signed_in(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    response = client.get("/sign-in/")
    assert response.wsgi_request.user == admin_user


def test_a_session_begun_with_djangos_own_backend_stays_signed_in(caseworker: User) -> None:
    client = signed_in(caseworker)
    session = client.session
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get("/cases/").status_code == 200
