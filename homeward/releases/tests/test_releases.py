"""Public releases: prepared by analysts, checked by the engine, approved by supervisors."""

from __future__ import annotations

import csv
import io
import json
import signal
from collections.abc import Callable
from datetime import UTC
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from homeward.accounts.models import Agency, Role
from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.conftest import make_user, signed_in
from homeward.disclosure import DisclosureRules
from homeward.releases import services
from homeward.releases.models import Release, ReleasePreparation, ReleaseStatus
from homeward.releases.services import ReleaseError, approve_release, prepare_release
from homeward.statistics.services import StatsQuery, count_children

pytestmark = pytest.mark.django_db

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.fixture
def supervisor(agency: Agency) -> User:
    return make_user("supervisor", agency, Role.SUPERVISOR)


@pytest.fixture
def children(make_case: Callable[..., ChildCase]) -> None:
    """16 children: 8 from Dagestan, 2 from Chechnya (too few to publish), 6 from Ingushetia."""
    for region, n in (("RU-DA", 8), ("RU-CE", 2), ("RU-IN", 6)):
        for _ in range(n):
            make_case(home_region=region)


def by_region(analyst: User, **rules: Any) -> Release:
    return prepare_release(
        "Children by home region", StatsQuery(by=("region",)), DisclosureRules(**rules), by=analyst
    )


def cells(release: Release) -> dict[tuple[str, ...], dict[str, Any]]:
    return {tuple(c["key"]): c for c in release.table["cells"]}


def test_an_analyst_prepares_a_release_checked_for_disclosure(
    children: None, analyst: User
) -> None:
    release = by_region(analyst)
    table = cells(release)
    assert table[("RU-CE",)] | {"range": None} == {
        "key": ["RU-CE"], "value": 2, "reason": "primary", "shown": None, "range": None,
    }  # fmt: skip
    # The next-smallest region goes too, or 16 - 8 - 6 would give the 2 away.
    assert table[("RU-IN",)]["reason"] == "secondary"
    assert table[("RU-DA",)]["shown"] == 8 and table[("total",)]["shown"] == 16
    assert (release.primary_cells, release.secondary_cells) == (1, 1)
    assert release.status == ReleaseStatus.AWAITING_APPROVAL
    assert release.parameters["as_of"]  # "today" written down, so it can be counted again
    assert AuditEntry.objects.filter(action="releases.prepared", object_id=str(release.pk))


def test_the_stored_parameters_count_the_same_table_again(children: None, analyst: User) -> None:
    release = by_region(analyst)
    again = count_children(services.query_of(release.parameters))
    assert {r["region"]: r["count"] for r in again.rows} == {"RU-DA": 8, "RU-CE": 2, "RU-IN": 6}


def test_a_supervisor_approves_it_and_the_approval_is_audited(
    children: None, analyst: User, supervisor: User
) -> None:
    release = approve_release(by_region(analyst), by=supervisor, note="Checked against the log")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED and release.decided_by == supervisor
    assert AuditEntry.objects.filter(action="releases.approved", actor=supervisor).count() == 1
    with pytest.raises(ReleaseError, match="already approved"):
        approve_release(release, by=supervisor)


def test_only_analysts_prepare_and_only_supervisors_decide(
    children: None, analyst: User, caseworker: User, supervisor: User
) -> None:
    with pytest.raises(ReleaseError, match="Only analysts"):
        by_region(caseworker)
    release = by_region(analyst)
    with pytest.raises(ReleaseError, match="Only supervisors"):
        approve_release(release, by=analyst)
    with pytest.raises(ReleaseError, match="Say why") as refused:
        services.reject_release(release, by=supervisor, reason=" ")
    assert refused.value.field == "reason"


def test_a_table_changed_after_the_check_is_not_approved(
    children: None, analyst: User, supervisor: User
) -> None:
    release = by_region(analyst)
    for cell in release.table["cells"]:
        if cell["key"] == ["RU-IN"]:
            cell["shown"], cell["reason"] = 6, "published"  # someone un-blanks the complement
    release.save()
    with pytest.raises(ReleaseError, match="changed since it was checked"):
        approve_release(release, by=supervisor)


def test_a_release_is_a_table_of_one_to_three_dimensions(children: None, analyst: User) -> None:
    with pytest.raises(ReleaseError, match="group by 1 to 3") as refused:
        prepare_release("Total", StatsQuery(), DisclosureRules(), by=analyst)
    assert refused.value.field == "by"


def test_the_preview_shows_which_cells_were_suppressed_and_why(
    children: None, analyst: User, caseworker: User
) -> None:
    release = by_region(analyst)
    page = signed_in(analyst).get(reverse("releases:detail", args=[release.pk])).content.decode()
    assert "(2, primary; 0 to " in page and "(6, secondary;" in page
    assert "Fewer children than the threshold." in page
    # Other roles see the release as it will be published, blanks and all, and cannot tell
    # the small blanks (1 to 4 children) from the ones hidden to protect them.
    other = signed_in(caseworker).get(reverse("releases:detail", args=[release.pk]))
    html = other.content.decode()
    assert "(2, primary" not in html and "cell-primary" not in html
    assert "cell-secondary" not in html and "Fewer children than the threshold" not in html
    assert html.count('class="num cell-suppressed"') == 2 and " to 8" not in html
    assert "2 cells not published" in html and "(secondary)" not in html


def test_the_analyst_prepares_from_the_page_and_a_bad_threshold_is_named(
    children: None, analyst: User
) -> None:
    client = signed_in(analyst)
    assert client.get(reverse("releases:prepare"), {"by": "region"}).status_code == 200
    response = client.post(
        reverse("releases:prepare"), {"title": "T", "by": ["region"], "threshold": "0"}
    )
    assert "threshold" in response.context["form"].errors
    response = client.post(
        reverse("releases:prepare"),
        {"title": "By region", "by": ["region"], "threshold": "3", "rounding_base": "5"},
    )
    release = Release.objects.get()
    assert response["Location"] == reverse("releases:detail", args=[release.pk])
    assert release.rules == {"threshold": 3, "zeros_are_sensitive": False, "rounding_base": 5}
    assert cells(release)[("RU-CE",)]["reason"] == "primary"
    assert cells(release)[("RU-DA",)]["shown"] == 10  # 8 rounded to base 5


def approved_by_region(analyst: User, supervisor: User) -> Release:
    supervisor.first_name, supervisor.last_name = "Zarina", "Aliyeva"
    supervisor.save()
    return approve_release(by_region(analyst), by=supervisor)


def test_only_an_approved_release_is_downloaded(
    children: None, analyst: User, supervisor: User, caseworker: User
) -> None:
    release = by_region(analyst)
    client = signed_in(caseworker)
    url = reverse("releases:download", args=[release.pk])
    assert client.get(url).status_code == 404
    approve_release(release, by=supervisor)
    assert client.get(url).status_code == 200
    assert client.get(url, {"format": "pdf"}).status_code == 404
    assert AuditEntry.objects.filter(action="releases.downloaded", actor=caseworker).count() == 1


def test_a_release_csv_stands_on_its_own(
    children: None, analyst: User, supervisor: User, caseworker: User
) -> None:
    release = approved_by_region(analyst, supervisor)
    url = reverse("releases:download", args=[release.pk])
    response = signed_in(caseworker).get(url, {"format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="release-{release.pk}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    heading = {row[0]: row[1] for row in rows[1:6] if len(row) == 2}
    assert rows[0] == ["Children by home region"]
    assert heading["Date"] == f"As of {release.parameters['as_of']}"
    assert heading["Source"] == "Consular Section (test)"
    approved_at = release.decided_at.astimezone(UTC)
    assert heading["Approved"] == (
        "Approved for publication by Zarina Aliyeva (Consular Section (test)) on "
        f"{approved_at:%Y-%m-%d %H:%M} UTC."
    )
    table = rows[rows.index(["Home region", "Children"]) :]
    assert table[1:6] == [["Dagestan, Respublika", "8"], ["Ingushetiya, Respublika", "x"],
                          ["Chechenskaya Respublika", "x"], ["Total", "16"], []]  # fmt: skip
    notes = {row[0]: row[1] for row in table[7:]}
    assert notes["Disclosure control"].startswith("Cells counting 1 to 4 children are suppressed")
    assert notes["Legend"].startswith("x: not published. Either fewer than 5 children")
    assert "midpoint" in notes["Ages"] and release.content_hash in notes["Seal"]


def test_a_release_xlsx_carries_the_same_with_its_notes_on_the_sheet(
    children: None, analyst: User, supervisor: User, caseworker: User
) -> None:
    release = approved_by_region(analyst, supervisor)
    url = reverse("releases:download", args=[release.pk])
    response = signed_in(caseworker).get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Children by home region"] and sheet["A1"].font.bold
    assert ["Date", f"As of {release.parameters['as_of']}"] in values
    assert any(row[:1] == ["Approved"] and "Zarina Aliyeva" in row[1] for row in values)
    assert ["Dagestan, Respublika", 8] in values and ["Chechenskaya Respublika", "x"] in values
    assert ["Total", 16] in values
    notes = {row[0]: row[1] for row in values[values.index(["Notes"]) + 1 :]}
    assert set(notes) == {"Disclosure control", "Legend", "Ages", "Seal"}
    assert notes["Legend"].startswith("x: not published")


def test_a_release_json_names_codes_and_says_who_approved_it(
    children: None, analyst: User, supervisor: User, caseworker: User
) -> None:
    release = approved_by_region(analyst, supervisor)
    url = reverse("releases:download", args=[release.pk])
    data = json.loads(signed_in(caseworker).get(url, {"format": "json"}).content)
    assert data["rows"][2] == {
        "region": "RU-CE", "region_name": "Chechenskaya Respublika", "count": "x"
    }  # fmt: skip
    assert data["dimensions"] == [{"code": "region", "name": "Home region"}]
    assert data["approved_by"] == "Zarina Aliyeva (Consular Section (test))"
    assert data["as_of"] == release.parameters["as_of"] and data["title"] == release.title
    assert "Cells counting 1 to 4" in data["disclosure_control"] and data["legend"]
    assert "midpoint" in data["ages"]


def test_a_reader_range_stored_as_minus_zero_is_shown_as_zero(
    children: None, analyst: User
) -> None:
    # Releases prepared before the engine rounded its bounds hold what the solver gave.
    release = by_region(analyst)
    for cell in release.table["cells"]:
        if cell["range"]:
            cell["range"] = [-0.0, 7.999999999]
    release.save()
    page = signed_in(analyst).get(reverse("releases:detail", args=[release.pk])).content.decode()
    assert "; 0 to 8)" in page and "-0 to" not in page


def test_a_supervisor_decides_from_the_page(
    children: None, analyst: User, supervisor: User
) -> None:
    release = by_region(analyst)
    client = signed_in(supervisor)
    client.post(reverse("releases:reject", args=[release.pk]), {"note": "Wrong date"})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.REJECTED and release.decision_note == "Wrong date"
    assert (
        signed_in(analyst).post(reverse("releases:approve", args=[release.pk])).status_code == 403
    )


# The worker closes its database connection after each task; on PostgreSQL that would end
# the test's wrapping transaction, so this test commits for real (as the export's does).
@pytest.mark.django_db(transaction=True)
def test_a_large_table_is_protected_in_the_background_with_its_progress(
    children: None, analyst: User, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(services, "INLINE_MAX_CELLS", 3)  # the region table has 4 cells
    client = signed_in(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("releases:prepare"), {"title": "By region", "by": ["region"], "threshold": "5"}
        )
    assert response["Location"] == reverse("releases:list")
    preparation = ReleasePreparation.objects.get()
    assert preparation.status == "queued" and preparation.cells == 4 and not Release.objects.all()
    page = client.get(reverse("releases:list")).content.decode()
    assert 'http-equiv="refresh"' in page and "Being prepared" in page and "Waiting" in page
    run_worker()
    preparation.refresh_from_db()
    assert preparation.status == "done" and preparation.release is not None
    assert (preparation.stage, preparation.done, preparation.total) == ("ranges", 2, 2)
    assert preparation.release.secondary_cells == 1  # the same table as prepared at once
    assert services.run_preparation(preparation.pk) is False  # claimed once, kept once
    page = client.get(reverse("releases:list")).content.decode()
    assert "Being prepared" not in page and 'http-equiv="refresh"' not in page
    assert AuditEntry.objects.filter(action="releases.requested").count() == 1


def run_worker() -> None:
    # db_worker catches SIGINT, SIGTERM and SIGQUIT for good: give the test run its own back.
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
