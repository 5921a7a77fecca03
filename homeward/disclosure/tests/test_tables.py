"""Tables of counts with their marginal totals and the relations a reader can use."""

from __future__ import annotations

import pytest

from homeward.disclosure import TOTAL, Table, TableError
from homeward.disclosure.tests.helpers import grid


def test_totals_are_the_sums_of_their_parts() -> None:
    table = grid({"A": [3, 10, 12], "B": [8, 9, 11]})
    values = table.values()
    assert values[("A", TOTAL)] == 25
    assert values[(TOTAL, "x")] == 11
    assert values[(TOTAL, TOTAL)] == 53
    assert table.value((TOTAL, "y")) == 19
    assert len(table.cells()) == 3 * 4


def test_each_total_in_each_dimension_is_one_relation() -> None:
    table = grid({"A": [1, 2, 3], "B": [4, 5, 6]})
    relations = table.relations()
    # 2 row totals + 3 column totals + the grand total twice (over rows, over columns).
    assert len(relations) == 2 + 3 + 2
    row_a = next(r for r in relations if r.total == ("A", TOTAL))
    assert row_a.parts == (("A", "x"), ("A", "y"), ("A", "z"))


def test_a_three_dimensional_table_has_every_marginal() -> None:
    rows = [
        {"a": a, "b": b, "c": c, "count": 1}
        for a in ("p", "q")
        for b in ("x", "y", "z")
        for c in ("u", "v")
    ]
    table = Table.from_rows(["a", "b", "c"], rows)
    values = table.values()
    assert len(values) == 3 * 4 * 3
    assert values[("p", TOTAL, TOTAL)] == 6
    assert values[(TOTAL, "x", TOTAL)] == 4
    assert values[(TOTAL, TOTAL, TOTAL)] == 12


def test_categories_keep_the_order_given_and_missing_cells_are_zero() -> None:
    table = Table.from_rows(
        ["band"], [{"band": "10", "count": 2}], categories={"band": ["below 10", "10", "11-17"]}
    )
    assert table.categories == (("below 10", "10", "11-17"),)
    assert table.value(("below 10",)) == 0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Table(("band",), ((),)), "Dimension 'band' has no category"),
        (lambda: Table(("band",), (("total",),)), "category named 'total'"),
        (lambda: Table(("band",), (("a",),), {("b",): 1}), "'b' is not a category of 'band'"),
        (lambda: Table(("band",), (("a",),), {("a",): -1}), "not a count"),
    ],
)
def test_a_table_that_cannot_be_built_names_the_problem(build: object, message: str) -> None:
    with pytest.raises(TableError, match=message):
        build()  # type: ignore[operator]
