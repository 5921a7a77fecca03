"""Statistics no longer single children out (issue 14, item 4): figures that take in cases
outside a user's scope pass the disclosure rule of a public release; a user whose scope
is every case sees them exact. The page says which."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency, Role, Scope
from homeward.cases.models import ChildCase
from homeward.conftest import make_user, signed_in

pytestmark = pytest.mark.django_db

FINE = {"by": ["region", "sex", "age-band"]}


@pytest.fixture
def children(make_case: Callable[..., ChildCase], other_agency: Agency) -> None:
    """8 children of the caseworker's agency from Dagestan; one of another agency from
    Bashkortostan, who alone makes her cell."""
    for _ in range(8):
        make_case(home_region="RU-DA")
    make_case(owner=other_agency, home_region="RU-BA")


def rows(page: Any) -> dict[tuple[str, ...], Any]:
    return {tuple(row["cells"]): row["count"] for row in page.context["rows"]}


def test_a_caseworker_sees_no_cell_of_one_child(children: None, caseworker: User) -> None:
    page = signed_in(caseworker).get(reverse("statistics:page"), FINE)
    counts = rows(page)
    bashkir = [n for key, n in counts.items() if key[0].startswith("RU-BA")]
    assert bashkir == [None]  # shown as x
    assert 1 not in counts.values()
    html = page.content.decode()
    assert "protected as a public release is" in html and "Cells counting 1 to 4" in html
    assert all(not bar.label.startswith("RU-BA") for bar in page.context["charts"][0].bars)


def test_an_analyst_below_national_scope_is_protected_too(children: None, analyst: User) -> None:
    page = signed_in(analyst).get(reverse("statistics:page"), {"by": ["region"]})
    assert rows(page)[("RU-BA Bashkortostan, Respublika",)] is None


def test_a_user_whose_scope_is_every_case_sees_exact_figures(
    children: None, agency: Agency
) -> None:
    national = make_user("national", agency, Role.SUPERVISOR)
    national.staff_profile.scope = Scope.ALL
    national.staff_profile.save()
    page = signed_in(national).get(reverse("statistics:page"), FINE)
    assert 1 in rows(page).values()
    assert "protected as a public release is" not in page.content.decode()


def test_protected_figures_take_three_dimensions_at_most(children: None, caseworker: User) -> None:
    query = {"by": ["region", "sex", "age-band", "status"]}
    page = signed_in(caseworker).get(reverse("statistics:page"), query)
    assert "group by at most 3 dimensions" in page.context["form"].errors["by"][0]


def test_protected_figures_of_no_child_at_all_are_zero(caseworker: User) -> None:
    """Found by the property test: an empty table gave the engine no category."""
    page = signed_in(caseworker).get(reverse("statistics:page"), {"by": ["region"]})
    assert page.status_code == 200 and page.context["total"] == 0
