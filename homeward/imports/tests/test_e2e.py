"""End to end, in a real headless Chromium: a field team's file uploaded, its columns
mapped, the dry run read, and the import committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from homeward.cases.models import ChildCase
from homeward.conftest import screenshot, sign_in
from homeward.imports.tests.conftest import write_csv

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

KOBO_HEADERS = ["_id", "child/name_ru", "child/gender", "child/dob", "child/region",
                "location/country", "_submission_time"]  # fmt: skip


def test_upload_map_check_and_commit_a_kobo_export(
    page: Any, caseworker: User, tmp_path: Path
) -> None:
    rows = [
        ["101", "Зарема Курбанова", "female", "2012-05-03", "RU-DA", "IQ", "2018-04-01"],
        ["102", "Амина Исаева", "female", "2099-01-01", "RU-DA", "IQ", "2018-04-01"],
    ]
    path = write_csv(tmp_path / "kobo.csv", KOBO_HEADERS, rows)
    sign_in(page, "caseworker")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("New source's name").fill("KoBo, Iraq team")
    page.get_by_label("CSV or XLSX file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()

    page.wait_for_url("**/imports/*/mapping/")
    columns = {
        "Record id in the source *": "_id", "Name in Cyrillic letters": "child/name_ru",
        "Sex (f, m, u)": "child/gender", "Date of birth (2012-05-03, 2012-05, 2012)": "child/dob",
        "Home region (ISO 3166-2 code, e.g. RU-DA)": "child/region",
        "Country where the child is (ISO code, e.g. IQ) *": "location/country",
        "Identified on *": "_submission_time",
    }  # fmt: skip
    for label, header in columns.items():
        page.get_by_label(label, exact=True).select_option(header)
    page.get_by_label("Default for nationality").fill("RU")
    page.get_by_role("button", name="Save the mapping and check the file").click()

    page.wait_for_url("**/imports/*/")
    problems = page.locator("table.problems tbody tr")
    assert problems.count() == 1
    assert "The date of birth is in the future." in problems.first.inner_text()
    assert "child/dob" in problems.first.inner_text()
    assert page.get_by_role("button", name="Import").count() == 0
    screenshot(page, "import-dry-run")

    write_csv(path, KOBO_HEADERS, [rows[0], [*rows[1][:3], "~6@2019-03-01", *rows[1][4:]]])
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Source:", exact=True).select_option(label="KoBo, Iraq team")
    page.get_by_label("CSV or XLSX file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()
    page.wait_for_url("**/imports/*/mapping/")
    page.get_by_role("button", name="Save the mapping and check the file").click()
    page.wait_for_url("**/imports/*/")
    page.get_by_role("button", name="Import 2 records").click()

    expect(page.get_by_text("Imported: 2 created, 0 updated, 0 unchanged.")).to_be_visible()
    assert ChildCase.objects.count() == 2
    assert (
        ChildCase.objects.get(child__names__full_name="Амина Исаева").child.birth_estimated_age == 6
    )
