"""An imported name with an invisible character is a problem of its row and column, as on
the forms (issue 14, item 7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from homeward.cases.models import ChildCase
from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS

pytestmark = pytest.mark.django_db


def test_an_imported_name_with_a_zero_width_space_is_refused(
    run_import: Callable[..., Any],
) -> None:
    row = list(AMINA)
    row[CHILD_HEADERS.index("name_latin")] = "Amina Sai\u200bdova"
    _, check = run_import([row], commit=True)
    [problem] = check.problems
    assert (problem.row, problem.column) == (2, "name_latin")
    assert "U+200B ZERO WIDTH SPACE" in problem.reason
    assert not ChildCase.objects.exists()
