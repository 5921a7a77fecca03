"""The manifest documents: a PDF checked as a picture of its first page, CSV and XLSX with
official names, formula injection neutralised, and who may print them."""

from __future__ import annotations

import io
import shutil
import subprocess  # nosec B404: runs poppler's pdftoppm on a file the test wrote
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput
from homeward.conftest import ARTIFACTS, signed_in
from homeward.missions import documents, services
from homeward.missions.models import Mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission_on_the_day(
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    coordinator: User,
    caseworker: User,
) -> Mission:
    mission = make_mission(operator="Emergency flights (test)", aircraft="Il-76")
    escort = services.add_escort(mission, caseworker, "doctor", by=coordinator)
    children = [
        [NameInput("Амина Исаева", "civil_registry"), NameInput("أمينة عيسى", "host_authority")],
        [NameInput("Юсуп Магомедов", "civil_registry"), NameInput("Yusup Magomedov", "consular")],
        # "=" is refused when a name is entered; a leading "@" is not, and is a formula too.
        [NameInput('@HYPERLINK("http://x")', "other", script="Latn")],
    ]
    for seat, names in enumerate(children, start=1):
        case = make_ready_case(names=names)
        services.add_to_manifest(
            mission, case, by=coordinator, seat=f"{seat}A", escort=escort, today=date(2018, 12, 20)
        )
    return mission


def test_official_names_are_the_registry_cyrillic_and_the_passport_latin(
    mission_on_the_day: Mission,
) -> None:
    rows = documents.manifest_rows(mission_on_the_day)
    assert [(r.seat, r.latin_name, r.cyrillic_name) for r in rows[:2]] == [
        ("1A", "AMINA ISAEVA", "Амина Исаева"),  # ICAO, as a passport prints it
        ("2A", "YUSUP MAGOMEDOV", "Юсуп Магомедов"),  # the consular (passport) spelling
    ]
    assert rows[0].birth == "aged 4–5 (born 2013)"
    assert rows[0].receiving_region == "Dagestan, Respublika"
    assert rows[0].escort.endswith("(doctor)")


def test_spreadsheets_neutralise_formulas(mission_on_the_day: Mission) -> None:
    text = documents.manifest_csv(mission_on_the_day).decode("utf-8-sig")
    assert "'@HYPERLINK" in text and ",@HYPERLINK" not in text
    sheet = load_workbook(io.BytesIO(documents.manifest_xlsx(mission_on_the_day))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'@HYPERLINK("http://x")'.upper() in [str(v).upper() for v in values]
    assert "Амина Исаева" in values


@pytest.mark.slow
def test_the_pdf_first_page_shows_the_manifest(mission_on_the_day: Mission, tmp_path: Path) -> None:
    pdf = documents.manifest_pdf(mission_on_the_day)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "manifest.pdf"
    path.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils must be installed (scripts/install --test)"
    subprocess.run(  # nosec B603: fixed program and arguments
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    image_path = next(tmp_path.glob("page*.png"))
    image = Image.open(image_path).convert("L")
    width, height = image.size
    assert width > height  # A4 landscape
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert 0.005 < dark / (width * height) < 0.2  # text on the page, not blank, not black
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(image_path, ARTIFACTS / "manifest-page-1.png")
    text = subprocess.run(  # nosec B603
        [shutil.which("pdftotext") or "pdftotext", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "AMINA ISAEVA" in text and "Амина Исаева" in text and "BGW → ZIA" in text


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("coordinator", True), ("supervisor", True), ("caseworker", False), ("medic", False)],
)
def test_only_coordinators_and_supervisors_print_it_and_each_print_is_audited(
    mission_on_the_day: Mission, who: str, allowed: bool, request: Any
) -> None:
    user = request.getfixturevalue(who)
    url = reverse("missions:manifest", args=[mission_on_the_day.pk, "csv"])
    response = signed_in(user).get(url)
    assert (response.status_code == 200) is allowed
    exported = AuditEntry.objects.filter(action="mission.manifest_exported", actor=user)
    assert exported.exists() is allowed


def test_the_manifest_is_not_printed_for_someone_whose_scope_misses_a_child(
    mission_on_the_day: Mission,
    make_ready_case: Callable[..., ChildCase],
    coordinator: User,
    supervisor: User,
    other_agency: Any,
) -> None:
    theirs = make_ready_case(owner=other_agency, names=[NameInput("Чужой Ребёнок", "family")])
    services.add_to_manifest(mission_on_the_day, theirs, by=coordinator, today=date(2018, 12, 20))
    url = reverse("missions:manifest", args=[mission_on_the_day.pk, "csv"])
    refused = signed_in(supervisor).get(url)  # agency scope: not the other agency's child
    assert refused.status_code == 403
    assert "Чужой" not in refused.content.decode()
    assert signed_in(coordinator).get(url).status_code == 200  # national scope
