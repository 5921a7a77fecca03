"""Public releases: prepared by analysts, checked by the engine, approved by supervisors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency, Role
from homeward.audit.models import AuditEntry
from homeward.cases.models import ChildCase
from homeward.conftest import make_user, signed_in
from homeward.disclosure import DisclosureRules
from homeward.releases import services
from homeward.releases.models import Release, ReleaseStatus
from homeward.releases.services import ReleaseError, approve_release, prepare_release
from homeward.statistics.services import StatsQuery, count_children

pytestmark = pytest.mark.django_db


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
    # Other roles see the release as it will be published, blanks and all.
    other = signed_in(caseworker).get(reverse("releases:detail", args=[release.pk]))
    assert "(2, primary" not in other.content.decode()


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


def test_only_an_approved_release_is_downloaded_with_blanks_as_x(
    children: None, analyst: User, supervisor: User, caseworker: User
) -> None:
    release = by_region(analyst)
    client = signed_in(caseworker)
    url = reverse("releases:download", args=[release.pk])
    assert client.get(url).status_code == 404
    approve_release(release, by=supervisor)
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert rows == [["region", "count"], ["RU-DA", "8"], ["RU-IN", "x"], ["RU-CE", "x"],
                    ["total", "16"]]  # fmt: skip
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert data["rows"][2] == {"region": "RU-CE", "count": "x"}
    assert "midpoint" in data["ages"] and "Cells counting 1 to 4" in data["disclosure_control"]
    assert AuditEntry.objects.filter(action="releases.downloaded", actor=caseworker).count() == 2


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
