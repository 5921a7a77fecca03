"""A table of counts with every marginal total, as the disclosure engine sees it.

A table has k dimensions (region, age band, ...), each with its categories. Its cells are
every combination of a category or `TOTAL` in each dimension: the inner cells hold counts,
the others are sums. A 2-D table of 3 regions by 4 bands has 4 x 5 = 20 cells: 12 inner
cells, 3 row totals, 4 column totals and the grand total. Each cell with `TOTAL` in a
dimension is the sum of the cells that name a category there instead: these *relations*
are what a reader can use to work a hidden cell out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

TOTAL = "total"

Key = tuple[str, ...]


class TableError(ValueError):
    """A table that cannot be built as given (the message names the dimension or cell)."""


@dataclass(frozen=True)
class Relation:
    """`total` equals the sum of `parts`."""

    total: Key
    parts: tuple[Key, ...]


@dataclass(frozen=True)
class Table:
    """Counts by k dimensions; cells not given are 0. Totals are computed, never given."""

    dimensions: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    counts: Mapping[Key, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.dimensions) != len(self.categories):
            raise TableError("Give the categories of every dimension, and only those.")
        for dimension, categories in zip(self.dimensions, self.categories, strict=True):
            if not categories:
                raise TableError(f"Dimension {dimension!r} has no category.")
            if TOTAL in categories:
                raise TableError(f"Dimension {dimension!r} has a category named {TOTAL!r}.")
            if len(set(categories)) != len(categories):
                raise TableError(f"Dimension {dimension!r} names a category twice.")
        for key, count in self.counts.items():
            self._check_inner(key)
            if not isinstance(count, int) or count < 0:
                raise TableError(f"Cell {key} holds {count!r}, not a count.")

    @classmethod
    def from_rows(
        cls,
        dimensions: Iterable[str],
        rows: Iterable[Mapping[str, Any]],
        *,
        categories: Mapping[str, Iterable[str]] | None = None,
        count: str = "count",
    ) -> Table:
        """A table from rows such as `{"region": "RU-DA", "age-band": "3-9", "count": 24}`.
        Categories are taken in the order given, then in the order the rows name them."""
        dims = tuple(dimensions)
        given = {d: list(categories.get(d, ())) for d in dims} if categories else {}
        seen: dict[str, list[str]] = {d: list(given.get(d, [])) for d in dims}
        counts: dict[Key, int] = {}
        for row in rows:
            key = tuple(str(row[d]) for d in dims)
            for d, value in zip(dims, key, strict=True):
                if value not in seen[d]:
                    seen[d].append(value)
            counts[key] = counts.get(key, 0) + int(row[count])
        return cls(dims, tuple(tuple(seen[d]) for d in dims), counts)

    def _check_inner(self, key: Key) -> None:
        if len(key) != len(self.dimensions):
            raise TableError(f"Cell {key} does not name one category per dimension.")
        for d, value, categories in zip(self.dimensions, key, self.categories, strict=True):
            if value not in categories:
                raise TableError(f"Cell {key}: {value!r} is not a category of {d!r}.")

    def cells(self) -> list[Key]:
        """Every cell, inner cells and totals, in row-major order with totals last."""
        axes = [(*categories, TOTAL) for categories in self.categories]
        return [tuple(key) for key in itertools.product(*axes)]

    def is_inner(self, key: Key) -> bool:
        return TOTAL not in key

    def value(self, key: Key) -> int:
        return sum(self.counts.get(inner, 0) for inner in self._inner_cells_under(key))

    def values(self) -> dict[Key, int]:
        """Every cell's value, totals included, in one pass over the inner cells."""
        result = dict.fromkeys(self.cells(), 0)
        for inner, count in self.counts.items():
            for key in _totals_over(inner):
                result[key] += count
        return result

    def relations(self) -> list[Relation]:
        """For each cell and each dimension in which it is a total: total = sum of parts."""
        relations = []
        for key in self.cells():
            for axis, value in enumerate(key):
                if value == TOTAL:
                    parts = tuple(
                        (*key[:axis], category, *key[axis + 1 :])
                        for category in self.categories[axis]
                    )
                    relations.append(Relation(key, parts))
        return relations

    def _inner_cells_under(self, key: Key) -> Iterator[Key]:
        axes = [
            categories if value == TOTAL else (value,)
            for value, categories in zip(key, self.categories, strict=True)
        ]
        return (tuple(inner) for inner in itertools.product(*axes))


def _totals_over(inner: Key) -> Iterator[Key]:
    """The inner cell itself and every total it adds to."""
    for mask in itertools.product((False, True), repeat=len(inner)):
        yield tuple(TOTAL if hide else value for value, hide in zip(inner, mask, strict=True))
