"""End to end, in a real headless Chromium with no network: the documentation page runs
under the site's Content-Security-Policy, its assets from this site, and a signed-in person
tries an endpoint from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from homeward.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_documentation_page_works_under_the_csp_and_offline(
    page: Any, live_server: Any, caseworker: User
) -> None:
    refused: list[str] = []
    elsewhere: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    sign_in(page, "caseworker")
    page.goto("/api/v1/docs/")
    page.get_by_text("Homeward API").first.wait_for()
    page.get_by_text("/api/v1/cases/", exact=True).first.wait_for()
    # Try the caller's own account from the page: the session is enough.
    page.locator("#operations-me-me").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".response-col_status", has_text="200").first.wait_for()
    screenshot(page, "api-docs")
    assert refused == []
    assert elsewhere == []
