"""The careful reader: what a published table with blanks tells about each blank.

A reader who knows every published cell and that each total is the sum of its parts can
work out, for every suppressed cell, the lowest and highest value consistent with the
table: two linear programmes (`scipy.optimize.linprog`, HiGHS) over all cells, published
cells fixed, suppressed cells free between 0 and their value plus a margin. The audit is
done on exact values, so it also holds for a rounded release (a reader of rounded figures
knows less).

The same programme gives the cuts that secondary suppression adds (Fischetti and
Salazar-González's formulation): the reduced costs of the reader's optimum say which
suppressed cells' freedom the reader's bound rests on, and how much each would widen it.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array, lil_array

from homeward.disclosure.rules import DEFAULT_RULES, DisclosureError, DisclosureRules
from homeward.disclosure.tables import Key, Table

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Interval:
    """What a reader can work out about a cell: it lies between `low` and `high`."""

    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.high - self.low < TOLERANCE


@dataclass(frozen=True)
class Cut:
    """Suppressing cells with these weights must add up to at least `needed`."""

    weights: dict[int, float]
    needed: float


class Reader:
    """The reader's linear programme over one table (built once, solved per cell)."""

    def __init__(self, table: Table, rules: DisclosureRules = DEFAULT_RULES) -> None:
        self.table = table
        self.keys = table.cells()
        self.index = {key: i for i, key in enumerate(self.keys)}
        values = table.values()
        self.values = np.array([values[key] for key in self.keys], dtype=float)
        # A priori a cell lies between 0 and its value plus this margin (the grand total, or
        # the threshold if larger, so that hiding every cell always protects): without it a
        # blank with every total blank would be unbounded, and the programme with it.
        self.margin = float(max(values[self.keys[-1]], rules.threshold, 1))
        self.equalities = self._relations_matrix()

    def _relations_matrix(self) -> csr_array:
        relations = self.table.relations()
        matrix = lil_array((max(len(relations), 1), len(self.keys)))
        for row, relation in enumerate(relations):
            matrix[row, self.index[relation.total]] = 1
            for part in relation.parts:
                matrix[row, self.index[part]] = -1
        return matrix.tocsr()

    def interval(self, key: Key, suppressed: Collection[Key]) -> Interval:
        """The whole counts a reader can narrow the cell to. The solver's optimum is a float
        that may come back as -0.0 or 7.999999: a reader knows a count is a whole number
        of children, so the bounds are rounded inwards (with the solver's tolerance) and a
        page never prints "-0 to 7"."""
        low, _ = self._solve(key, suppressed, maximise=False)
        high, _ = self._solve(key, suppressed, maximise=True)
        return Interval(whole_at_least(low), whole_at_most(high))

    def cut(self, key: Key, suppressed: Collection[Key], *, upward: bool, needed: float) -> Cut:
        """The cut that says how much more this cell must be able to move `upward` (or down)."""
        _, reduced = self._solve(key, suppressed, maximise=upward)
        lower_room = self.values  # a blank may fall to 0
        upper_room = np.full(len(self.keys), self.margin)
        weights = np.maximum(reduced, 0) * lower_room + np.maximum(-reduced, 0) * upper_room
        return Cut({i: float(w) for i, w in enumerate(weights) if w > TOLERANCE}, needed)

    def _solve(
        self, key: Key, suppressed: Collection[Key], *, maximise: bool
    ) -> tuple[float, np.ndarray]:
        hidden = np.zeros(len(self.keys), dtype=bool)
        hidden[[self.index[k] for k in suppressed]] = True
        lower = np.where(hidden, 0.0, self.values)
        upper = np.where(hidden, self.values + self.margin, self.values)
        objective = np.zeros(len(self.keys))
        objective[self.index[key]] = -1.0 if maximise else 1.0
        result = linprog(
            objective,
            A_eq=self.equalities,
            b_eq=np.zeros(self.equalities.shape[0]),
            bounds=np.column_stack([lower, upper]),
            method="highs",
        )
        if result.status != 0:
            raise DisclosureError(f"The reader's programme for cell {key} failed: {result.message}")
        reduced = np.asarray(result.lower.marginals) + np.asarray(result.upper.marginals)
        return float(result.x[self.index[key]]), reduced


def whole_at_least(bound: float) -> float:
    """The smallest count not below `bound` (as a float, never -0.0)."""
    return float(max(math.ceil(bound - TOLERANCE), 0))


def whole_at_most(bound: float) -> float:
    """The largest count not above `bound` (as a float, never -0.0)."""
    return float(max(math.floor(bound + TOLERANCE), 0))


def feasible_ranges(
    table: Table, suppressed: Collection[Key], rules: DisclosureRules = DEFAULT_RULES
) -> dict[Key, Interval]:
    """For each suppressed cell, the range a reader can narrow it to from the rest."""
    reader = Reader(table, rules)
    return {key: reader.interval(key, suppressed) for key in table.cells() if key in suppressed}


def is_protected(interval: Interval, value: int, rules: DisclosureRules) -> bool:
    below, above = rules.protection(value)
    return interval.low <= value - below + TOLERANCE and interval.high >= value + above - TOLERANCE


def exposed_cells(table: Table, suppressed: Collection[Key], rules: DisclosureRules) -> list[Key]:
    """The sensitive cells a reader could read outright or narrow down too far."""
    reader = Reader(table, rules)
    values = table.values()
    hidden = set(suppressed)
    return [
        key
        for key in table.cells()
        if rules.is_sensitive(values[key])
        and (
            key not in hidden or not is_protected(reader.interval(key, hidden), values[key], rules)
        )
    ]
