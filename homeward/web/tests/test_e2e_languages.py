"""In a real Chromium whose language is Russian: a date typed as the reader writes it comes
back the same on the edit page. (Every page in every language, at a laptop's and a phone's
width, with screenshots: test_e2e_screens.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import expect

from homeward.cases.models import ChildCase
from homeward.conftest import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def browser_page(browser: Any, live_server: Any, user: User, locale: str) -> Any:
    """A page of a browser set to `locale` (its Accept-Language too), signed in as `user`
    (password and second factor, as signed_in makes the session)."""
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15_000)
    session = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context.new_page()


@pytest.fixture
def russian_page(browser: Any, live_server: Any, caseworker: User) -> Iterator[Any]:
    page = browser_page(browser, live_server, caseworker, "ru-RU")
    yield page
    page.context.close()


def test_a_russian_browser_registers_a_child_born_15_03_2014_and_reads_it_back(
    russian_page: Any,
) -> None:
    page = russian_page
    page.goto("/cases/register/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.locator("#id_names-0-full_name").fill("Амина Исаева")
    page.locator("#id_names-0-source").select_option("consular")
    page.locator("#id_sex").select_option("f")
    page.get_by_label("Дата рождения").fill("15.03.2014")
    page.get_by_label("Регион происхождения").fill("Дагестан")
    page.get_by_label("Дата выявления").fill("01.04.2018")
    page.locator("#id_country").select_option("IQ")
    page.locator("#id_facility_kind").select_option("camp")
    page.get_by_role("button", name="Зарегистрировать", exact=True).click()

    page.wait_for_url("**/cases/*/")
    case = ChildCase.objects.get()
    expect(page.get_by_text(f"Зарегистрировано: {case.reference}.")).to_be_visible()
    assert case.child.birth.value == date(2014, 3, 15) and case.home_region == "RU-DA"
    expect(page.get_by_text("15.03.2014").first).to_be_visible()

    page.goto(f"/cases/{case.pk}/identity/")
    assert page.get_by_label("Дата рождения").input_value() == "15.03.2014"
    assert page.get_by_label("Регион происхождения").input_value() == "Республика Дагестан"
    page.get_by_role("button", name="Сохранить").click()  # saved again untouched
    case.refresh_from_db()
    assert case.child.birth.value == date(2014, 3, 15)
