"""Primary and secondary suppression, proved by the reader's audit."""

from __future__ import annotations

import math

import pytest

from homeward.disclosure import (
    TOTAL,
    DisclosureError,
    DisclosureRules,
    Reason,
    Table,
    exposed_cells,
    feasible_ranges,
    primary_cells,
    protect,
)
from homeward.disclosure.tests.helpers import grid

# Children by host country (rows) and age band (columns): one small cell, (IQ, 10).
LEAKY = {"IQ": [115, 3, 8], "SY": [40, 9, 11], "TR": [20, 15, 7]}


def test_cells_below_the_threshold_are_primary_and_the_threshold_is_a_setting() -> None:
    table = grid(LEAKY)
    assert primary_cells(table) == [("IQ", "y")]
    assert primary_cells(table, DisclosureRules(threshold=10)) == [
        ("IQ", "y"),
        ("IQ", "z"),
        ("SY", "y"),
        ("TR", "z"),
    ]
    assert primary_cells(table, DisclosureRules(threshold=1)) == []


def test_naive_suppression_leaks_the_small_cell_through_its_row_total() -> None:
    table = grid(LEAKY)
    # Only the small cell blanked: 126 - 115 - 8 = 3, and the reader knows it exactly.
    ranges = feasible_ranges(table, [("IQ", "y")])
    assert (ranges[("IQ", "y")].low, ranges[("IQ", "y")].high) == (3, 3)
    assert exposed_cells(table, [("IQ", "y")], DisclosureRules()) == [("IQ", "y")]


def test_secondary_suppression_closes_the_leak_and_the_audit_proves_it() -> None:
    table = grid(LEAKY)
    protected = protect(table)
    assert protected.keys_with(Reason.PRIMARY) == [("IQ", "y")]
    secondary = protected.keys_with(Reason.SECONDARY)
    assert secondary  # at least one other cell in the row and one in the column
    assert any(key[0] == "IQ" for key in secondary)
    assert any(key[1] == "y" for key in secondary)
    assert exposed_cells(table, protected.suppressed, DisclosureRules()) == []
    reader_sees = protected.outcomes[("IQ", "y")].reader_range
    assert reader_sees is not None and reader_sees.low <= 0 and reader_sees.high >= 5


def test_secondary_cells_are_the_cheapest_that_protect() -> None:
    table = grid(LEAKY)
    protected = protect(table)
    # The smallest rectangle through (IQ, 10): the 7-9 cells, never the 115 or a total.
    assert sorted(protected.keys_with(Reason.SECONDARY)) == [("IQ", "z"), ("SY", "y"), ("SY", "z")]
    assert protected.outcomes[(TOTAL, TOTAL)].shown == 228


def test_a_partner_in_every_row_and_column_is_not_enough_when_the_range_stays_narrow() -> None:
    # 2, 1 and 1 are small; blanking them with the 50 gives every blank a partner in its row
    # and column, but the reader still knows the 2 lies between 0 and 3: it could not be 5.
    table = grid({"A": [2, 1, 30], "B": [1, 50, 30], "C": [30, 30, 30]})
    rectangle = [("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")]
    ranges = feasible_ranges(table, rectangle)
    assert (ranges[("A", "x")].low, ranges[("A", "x")].high) == (0, 3)
    assert ("A", "x") in exposed_cells(table, rectangle, DisclosureRules())
    protected = protect(table)
    assert exposed_cells(table, protected.suppressed, DisclosureRules()) == []
    assert set(protected.suppressed) > {("A", "x"), ("A", "y"), ("B", "x")}


def test_small_totals_are_protected_like_any_cell() -> None:
    table = grid({"A": [1, 1, 1], "B": [20, 30, 40], "C": [25, 35, 45]})
    protected = protect(table)
    assert ("A", TOTAL) in protected.keys_with(Reason.PRIMARY)
    assert exposed_cells(table, protected.suppressed, DisclosureRules()) == []


def test_zeros_are_published_unless_the_rules_call_them_sensitive() -> None:
    table = grid({"A": [0, 20, 30], "B": [20, 30, 40]})
    assert protect(table).suppressed == []
    strict = protect(table, DisclosureRules(zeros_are_sensitive=True))
    assert strict.outcomes[("A", "x")].reason == Reason.PRIMARY
    assert exposed_cells(table, strict.suppressed, DisclosureRules(zeros_are_sensitive=True)) == []


def test_a_one_row_table_hides_the_column_totals_that_repeat_its_cells() -> None:
    # One host country: each column total equals its one cell, so both must go.
    table = grid({"IQ": [115, 3, 8]})
    protected = protect(table)
    assert {("IQ", "y"), (TOTAL, "y")} <= set(protected.keys_with(Reason.PRIMARY))
    assert {("IQ", "z"), (TOTAL, "z")} <= set(protected.keys_with(Reason.SECONDARY))
    assert exposed_cells(table, protected.suppressed, DisclosureRules()) == []


def test_a_one_dimensional_table_hides_a_second_cell() -> None:
    table = Table.from_rows(
        ["band"],
        [{"band": b, "count": n} for b, n in [("below 10", 115), ("10", 2), ("11-17", 8)]],
    )
    protected = protect(table)
    assert protected.keys_with(Reason.PRIMARY) == [("10",)]
    assert protected.keys_with(Reason.SECONDARY) == [("11-17",)]
    assert protected.outcomes[(TOTAL,)].shown == 125


def test_a_table_of_fewer_children_than_the_threshold_is_hidden_whole() -> None:
    table = grid({"A": [1, 0, 2]})
    protected = protect(table)
    assert protected.outcomes[(TOTAL, TOTAL)].reason == Reason.PRIMARY
    assert exposed_cells(table, protected.suppressed, DisclosureRules()) == []
    assert all(o.shown in (None, 0) for o in protected.outcomes.values())


def test_a_three_dimensional_table_is_protected_in_every_marginal() -> None:
    counts = iter([1, 7, 12, 30, 2, 9, 14, 6, 20, 3, 11, 8])
    rows = [
        {"host": h, "sex": s, "band": b, "count": next(counts)}
        for h in ("IQ", "SY")
        for s in ("f", "m")
        for b in ("0-2", "3-9", "10-17")
    ]
    table = Table.from_rows(["host", "sex", "band"], rows)
    protected = protect(table)
    assert protected.keys_with(Reason.PRIMARY)
    assert exposed_cells(table, protected.suppressed, DisclosureRules()) == []


def test_a_table_without_small_cells_is_published_whole() -> None:
    protected = protect(grid({"A": [10, 20, 30], "B": [40, 50, 60]}))
    assert protected.suppressed == [] and protected.rounds == 0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"threshold": 0}, "threshold: give a whole number of at least 1"),
        ({"rounding_base": 1}, "rounding_base: give a whole number of at least 2"),
    ],
)
def test_rules_that_make_no_sense_are_refused_by_name(given: dict[str, int], message: str) -> None:
    with pytest.raises(DisclosureError, match=message):
        DisclosureRules(**given)


def test_a_readers_range_is_in_whole_children_and_never_minus_zero() -> None:
    # The solver returned -0.0 as the lowest value of (CE, total) and (IN, 3-9) here, which a
    # release page printed as "-0 to 6".
    table = grid({"DA": [3, 20], "CE": [1, 2], "IN": [7, 4]}, columns="xy")
    ranges = [o.reader_range for o in protect(table).outcomes.values() if o.reader_range]
    assert ranges
    for interval in ranges:
        for bound in (interval.low, interval.high):
            assert bound == int(bound) and math.copysign(1, bound) == 1, interval
    assert f"{ranges[0].low:g}" == "0"


def test_protect_tells_its_progress_round_by_round_and_cell_by_cell() -> None:
    heard: list[tuple[str, int, int]] = []
    protected = protect(grid(LEAKY), progress=lambda *told: heard.append(told))
    rounds = [told for told in heard if told[0] == "suppression"]
    ranges = [told for told in heard if told[0] == "ranges"]
    assert [done for _, done, _ in rounds] == list(range(1, protected.rounds + 1))
    suppressed = len(protected.suppressed)
    assert ranges == [("ranges", n, suppressed) for n in range(1, suppressed + 1)]
