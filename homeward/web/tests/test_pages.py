from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Agency
from homeward.conftest import signed_in
from homeward.demo.scenario import AGENCIES

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_lists_demo_accounts_only_on_a_demo_database(
    client: Client, settings: object
) -> None:
    settings.HOMEWARD_DEMO_MODE = True  # type: ignore[attr-defined]
    assert "homeward-demo" not in client.get(reverse("login")).content.decode()
    name, short, kind, country = AGENCIES["occr"]
    Agency.objects.create(name=name, short_name=short, kind=kind, country=country)
    page = client.get(reverse("login")).content.decode()
    assert "homeward-demo" in page and "coordinator" in page


def test_case_staff_start_at_what_needs_them_and_analysts_at_the_figures(
    caseworker: User, analyst: User
) -> None:
    page = signed_in(caseworker).get("/")
    assert page.status_code == 200 and "What needs you today" in page.content.decode()
    assert signed_in(analyst).get("/")["Location"] == reverse("statistics:page")


def test_the_dashboard_takes_a_past_day_and_refuses_a_bad_one(caseworker: User) -> None:
    client = signed_in(caseworker)
    assert "What needed you on 2019-01-21" in client.get("/?on=2019-01-21").content.decode()
    # Day first as Russian and Iraqi documents write it; never month first.
    assert "What needed you on 2019-01-21" in client.get("/?on=21.01.2019").content.decode()
    page = client.get("/?on=01/21/2019").content.decode()
    assert "The date must be written YYYY-MM-DD" in page and "What needs you today" in page


def test_an_analyst_sees_aggregate_figures(analyst: User, make_case: object) -> None:
    make_case()  # type: ignore[operator]
    response = signed_in(analyst).get(reverse("statistics:page"), {"by": "region"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "RU-DA" in page and "Амина" not in page


def test_the_statistics_page_names_a_bad_age_band(caseworker: User) -> None:
    response = signed_in(caseworker).get(reverse("statistics:page"), {"bands": "9-3"})
    assert "Age band &#x27;9-3&#x27; ends before it starts." in response.content.decode()


def test_an_unknown_page_is_a_plain_not_found(caseworker: User) -> None:
    response = signed_in(caseworker).get("/no-such-page/")
    assert response.status_code == 404


def test_a_user_without_an_agency_is_told_why_they_cannot_register(db: None) -> None:
    admin = User.objects.create_superuser("root", password="a long test passphrase")
    response = signed_in(admin).get(reverse("cases:register"))
    assert response.status_code == 403
    assert "your account has no such role" in response.content.decode()


def test_pages_for_a_signed_in_user_are_never_cached(caseworker: User) -> None:
    response = signed_in(caseworker).get(reverse("cases:list"))
    assert response["Cache-Control"] == "no-store"


def test_case_records_are_not_in_the_admin_where_reads_would_escape_the_audit(db: None) -> None:
    admin = User.objects.create_superuser("root", password="a long test passphrase")
    page = signed_in(admin).get(reverse("admin:index")).content.decode()
    assert "Agencies" in page and "Missions" in page
    assert "Child cases" not in page and "People" not in page
