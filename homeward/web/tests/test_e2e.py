"""End to end, in a real headless Chromium: what a caseworker does on a normal day."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from homeward.cases.models import ChildCase
from homeward.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_register_a_child_in_cyrillic_then_find_them_by_a_latin_spelling(
    page: Any, caseworker: User
) -> None:
    sign_in(page, "caseworker")
    page.get_by_role("link", name="Register a child").first.click()

    page.locator("#id_names-0-full_name").fill("Зарема Курбанова")
    page.locator("#id_names-0-source").select_option("civil_registry")
    page.get_by_label("Sex").select_option("f")
    page.get_by_label("Date of birth").fill("2013-05")
    page.get_by_label("Home region").fill("RU-DA")
    page.get_by_label("Identified on").fill("2018-04-01")
    page.get_by_label("Country").select_option("IQ")
    page.locator("#id_facility_kind").select_option("state_orphanage")
    page.get_by_label("Mother's name").fill("Асият Курбанова")
    page.get_by_label("Mother's status").select_option("detained")
    page.get_by_role("button", name="Register").click()

    page.wait_for_url("**/cases/*/")
    case = ChildCase.objects.get()
    expect(page.get_by_role("heading", name="Зарема Курбанова")).to_be_visible()
    expect(page.get_by_text(f"Registered {case.reference}.")).to_be_visible()

    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Name or reference").fill("Zarema Kurbanova")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table.cases tbody tr")
    assert results.count() == 1
    results.get_by_role("link", name="Зарема Курбанова").click()

    page.wait_for_url(f"**/cases/{case.pk}/")
    expect(page.get_by_text("May 2013")).to_be_visible()
    assert page.get_by_text("In detention with mother").count() == 0
    expect(page.get_by_text("Асият Курбанова")).to_be_visible()
    expect(page.get_by_text("Dagestan, Respublika")).to_be_visible()
    shot = screenshot(page, "case-page")
    assert shot.stat().st_size > 10_000


def test_a_mistake_on_the_form_is_shown_next_to_the_field(page: Any, caseworker: User) -> None:
    sign_in(page, "caseworker")
    page.goto("/cases/register/")
    page.locator("#id_names-0-full_name").fill("Amina Isaeva")
    page.get_by_label("Sex").select_option("f")  # sex and placement start unchosen
    page.locator("#id_facility_kind").select_option("camp")
    page.get_by_label("Date of birth").fill("2099-01-01")
    page.get_by_label("Identified on").fill("2018-04-01")
    page.get_by_role("button", name="Register").click()
    field = page.locator(".field", has=page.get_by_label("Date of birth"))
    expect(field.get_by_text("The date of birth is in the future.")).to_be_visible()
    assert page.get_by_label("Date of birth").input_value() == "2099-01-01"
    assert ChildCase.objects.count() == 0
    screenshot(page, "registration-error")
