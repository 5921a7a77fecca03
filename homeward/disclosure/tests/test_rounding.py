"""Rounding published cells to a base, each on its own."""

from __future__ import annotations

import pytest

from homeward.disclosure import TOTAL, DisclosureRules, protect, round_to_base
from homeward.disclosure.tests.helpers import grid


@pytest.mark.parametrize(
    ("value", "base", "rounded"),
    [(0, 5, 0), (2, 5, 0), (3, 5, 5), (7, 5, 5), (8, 5, 10), (115, 5, 115), (5, 10, 10)],
)
def test_counts_round_to_the_nearest_multiple_with_halves_up(
    value: int, base: int, rounded: int
) -> None:
    assert round_to_base(value, base) == rounded


def test_totals_are_rounded_on_their_own_and_blanks_stay_blank() -> None:
    table = grid({"IQ": [116, 3, 8], "SY": [41, 9, 11], "TR": [21, 16, 7]})
    protected = protect(table, DisclosureRules(rounding_base=5))
    shown = {key: o.shown for key, o in protected.outcomes.items()}
    assert shown[("IQ", "x")] == 115 and shown[("SY", "x")] == 40 and shown[("TR", "x")] == 20
    # 178 children in column x round to 180, not to 115 + 40 + 20 = 175.
    assert shown[(TOTAL, "x")] == 180
    assert shown[("IQ", "y")] is None
    assert protected.outcomes[("IQ", "y")].value == 3
    assert all(v is None or v % 5 == 0 for v in shown.values())


def test_rounding_is_stated_in_the_rules_description() -> None:
    assert "rounded to the nearest 5" in DisclosureRules(rounding_base=5).describe()
    assert "rounded" not in DisclosureRules().describe()
