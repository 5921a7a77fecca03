"""End to end, in a real headless Chromium: the outputs people use as they are. The
statistics page's charts, a release from preview to the file a reader downloads, an
export of a filtered list, and a sibling registered from a case page; each screenshot is
kept under test-artifacts/."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, PlacementInput, RelativeInput
from homeward.conftest import screenshot, sign_in
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.releases.models import Release
from homeward.releases.services import approve_release

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Children by home region, as in the first mission: most from Dagestan, a few from
# Chechnya, one each from two other regions (cells a release must hide).
REGIONS = [("RU-DA", 14), ("RU-CE", 5), ("RU-IN", 1), ("RU-KB", 2)]
SINCE = date(2021, 1, 1)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/**")


@pytest.fixture
def registry(make_case: Callable[..., ChildCase]) -> list[ChildCase]:
    cases = []
    for region, n in REGIONS:
        for i in range(n):
            born = BirthDate(BirthPrecision.YEAR, date(2009 + (i * 3) % 11, 1, 1))
            cases.append(
                make_case(
                    names=[NameInput(f"Child {region} {chr(65 + i)}", "consular")],
                    home_region=region, birth=born, identified_on=SINCE,
                    placement=PlacementInput("IQ", "state_orphanage", SINCE, "Orphanage"),
                )
            )  # fmt: skip
    return cases


def test_the_statistics_page_and_a_release_read_as_they_are(
    page: Any, registry: list[ChildCase], analyst: User, supervisor: User, caseworker: User
) -> None:
    # A national analyst: anyone whose scope is not every case sees the small bars
    # suppressed (statistics.disclosed), and these are the exact figures.
    analyst.staff_profile.scope = "all"
    analyst.staff_profile.save()
    sign_in(page, "analyst")
    page.goto("/statistics/?by=region&by=age-band")
    chart = page.locator("svg.bar-chart").first
    expect(chart).to_be_visible()
    assert chart.locator("text.tick").all_text_contents() == ["0", "5", "10", "15"]
    assert chart.locator("text.count").all_text_contents() == ["14", "5", "2", "1"]
    expect(page.locator(".chart-with-table table").first).to_be_visible()
    # Drawn on the server: no script but the layout's own, which every page has.
    assert page.locator("script:not([src$='/layout.js'])").count() == 0
    shot = screenshot(page, "statistics-page")
    assert shot.stat().st_size > 20_000

    page.get_by_role("link", name="Prepare a public release of this table").click()
    page.get_by_label("Title").fill("Children abroad by home region and age band")
    page.get_by_role("button", name="Prepare and check").click()
    page.wait_for_url("**/releases/*/")
    expect(page.get_by_text("Release prepared")).to_be_visible()
    text = page.locator("table.release").inner_text()
    assert "-0 to" not in text and " 0 to " in text  # the reader's ranges, in whole children
    screenshot(page, "release-preview")
    sign_out(page)

    release = Release.objects.get()
    approve_release(release, by=supervisor, note="Checked")
    sign_in(page, "caseworker")  # a reader of the release as published, blanks and all
    page.goto(f"/releases/{release.pk}/")
    expect(page.get_by_text("Approved for publication").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[0] == ["Children abroad by home region and age band"]
    assert any(row[:1] == ["Approved"] for row in rows) and ["Notes"] in rows
    assert ["Total", "Dagestan, Respublika", "x"] in rows and ["Total", "Total", "22"] in rows
    screenshot(page, "release-approved")


def test_an_export_of_a_filtered_list_and_a_sibling_registered_from_a_case(
    page: Any, registry: list[ChildCase], caseworker: User, make_case: Callable[..., ChildCase]
) -> None:
    mother = RelativeInput("mother", [NameInput("Асият Курбанова", "family")], sex="f",
                           status="detained")  # fmt: skip
    first = make_case(names=[NameInput("Зарема Курбанова", "civil_registry")],
                      home_region="RU-CE", relatives=[mother])  # fmt: skip
    sign_in(page, "caseworker")
    page.goto("/cases/?region=RU-CE")
    expect(page.get_by_text("6 cases")).to_be_visible()
    page.get_by_role("link", name="Export this list").click()
    page.get_by_role("link", name="Manifest preparation").click()
    # The region is shown by its name (stored and exported as RU-CE).
    assert page.locator("#id_region").input_value() == "Chechenskaya Respublika"
    screenshot(page, "export-filtered-list")
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_text("The export of 6 records is ready.")).to_be_visible()

    page.goto(f"/cases/{first.pk}/")
    page.get_by_role("link", name="Register a sibling").click()
    expect(page.get_by_text("Асият Курбанова")).to_be_visible()
    page.locator("#id_names-0-full_name").fill("Ибрагим Курбанов")
    page.locator("#id_names-0-source").select_option("family")
    page.get_by_label("Sex").select_option("m")
    page.get_by_label("Date of birth").fill("2016")
    screenshot(page, "register-sibling")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/cases/*/")
    expect(page.get_by_text("a sibling of")).to_be_visible()
    expect(page.get_by_text("Асият Курбанова")).to_be_visible()
    expect(page.get_by_text("Зарема Курбанова")).to_be_visible()
