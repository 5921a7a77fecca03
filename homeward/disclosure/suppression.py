"""Primary and secondary cell suppression, and the protected table that results.

`protect(table, rules)`:

1. Primary: every cell the rules call sensitive (1 to threshold - 1, totals included).
2. Secondary, as an integer programme (`scipy.optimize.milp`, HiGHS): choose which other
   cells to suppress, one 0/1 variable per cell, minimising the children hidden plus one
   per blank (so a total is dear and a zero is not free), subject to
   a. every primary cell suppressed;
   b. no relation (total = sum of parts) with exactly one blank: that blank could be read
      off the others, so it hides nothing and no optimal choice has one;
   c. the cuts found so far (step 3).
3. The reader's audit (`audit.Reader`): for each primary cell, the lowest and highest value
   a reader can derive from the chosen pattern. Where the range falls short of the rules'
   protection, the reader's reduced costs give a cut that every protecting pattern meets
   (Fischetti and Salazar-González's capacity constraints); add it and go back to 2.
4. When the audit passes, every suppressed cell gets its reason and the range a reader can
   narrow it to; published cells are rounded if the rules ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

from homeward.disclosure.audit import Cut, Interval, Reader, is_protected
from homeward.disclosure.rounding import round_to_base
from homeward.disclosure.rules import DEFAULT_RULES, DisclosureError, DisclosureRules
from homeward.disclosure.tables import Key, Table

MAX_ROUNDS = 200

# Told how far `protect` has got: a stage ("suppression": integer programmes solved, no
# total known; "ranges": suppressed cells whose reader's range is worked out, of a total).
Progress = Callable[[str, int, int], None]
SUPPRESSION, RANGES = "suppression", "ranges"


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


class Reason(StrEnum):
    PUBLISHED = "published"
    PRIMARY = "primary"  # below the threshold
    SECONDARY = "secondary"  # hidden so that a primary cell cannot be worked out


@dataclass(frozen=True)
class CellOutcome:
    key: Key
    value: int
    reason: Reason
    shown: int | None  # what the release prints (rounded if asked); None: a blank
    reader_range: Interval | None  # for a blank: what a reader can work out

    @property
    def why(self) -> str:
        if self.reason == Reason.PRIMARY:
            return "fewer children than the threshold"
        if self.reason == Reason.SECONDARY:
            return "hidden so that a small cell cannot be worked out from the totals"
        return ""


@dataclass(frozen=True)
class ProtectedTable:
    table: Table
    rules: DisclosureRules
    outcomes: dict[Key, CellOutcome]
    rounds: int  # integer programmes solved

    def keys_with(self, reason: Reason) -> list[Key]:
        return [key for key, outcome in self.outcomes.items() if outcome.reason == reason]

    @property
    def suppressed(self) -> list[Key]:
        return [key for key, outcome in self.outcomes.items() if outcome.shown is None]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON: the table, the rules and every cell's outcome."""
        return {
            "dimensions": list(self.table.dimensions),
            "categories": [list(c) for c in self.table.categories],
            "rules": {
                "threshold": self.rules.threshold,
                "zeros_are_sensitive": self.rules.zeros_are_sensitive,
                "rounding_base": self.rules.rounding_base,
            },
            "cells": [
                {
                    "key": list(o.key),
                    "value": o.value,
                    "reason": o.reason.value,
                    "shown": o.shown,
                    "range": [o.reader_range.low, o.reader_range.high] if o.reader_range else None,
                }
                for o in self.outcomes.values()
            ],
        }


def primary_cells(table: Table, rules: DisclosureRules = DEFAULT_RULES) -> list[Key]:
    values = table.values()
    return [key for key in table.cells() if rules.is_sensitive(values[key])]


def protect(
    table: Table, rules: DisclosureRules = DEFAULT_RULES, progress: Progress = _no_progress
) -> ProtectedTable:
    """Steps 1 to 4 of the module's docstring; `progress` hears each round and cell."""
    primary = primary_cells(table, rules)
    reader = Reader(table, rules)
    suppressed, rounds = _secondary(reader, primary, rules, progress)
    values = table.values()
    outcomes = {}
    primary_set, done = set(primary), 0
    for key in table.cells():
        if key in suppressed:
            reason = Reason.PRIMARY if key in primary_set else Reason.SECONDARY
            outcomes[key] = CellOutcome(
                key, values[key], reason, None, reader.interval(key, suppressed)
            )
            done += 1
            progress(RANGES, done, len(suppressed))
        else:
            shown = values[key]
            if rules.rounding_base:
                shown = round_to_base(shown, rules.rounding_base)
            outcomes[key] = CellOutcome(key, values[key], Reason.PUBLISHED, shown, None)
    return ProtectedTable(table, rules, outcomes, rounds)


def _secondary(
    reader: Reader, primary: list[Key], rules: DisclosureRules, progress: Progress
) -> tuple[set[Key], int]:
    if not primary:
        return set(), 0
    cuts: list[Cut] = []
    for rounds in range(1, MAX_ROUNDS + 1):
        suppressed = _choose(reader, primary, cuts, rules)
        progress(SUPPRESSION, rounds, 0)
        new_cuts = _violated_cuts(reader, primary, suppressed, rules)
        if not new_cuts:
            return suppressed, rounds
        cuts += new_cuts
    raise DisclosureError(f"Secondary suppression did not settle in {MAX_ROUNDS} rounds.")


def _violated_cuts(
    reader: Reader, primary: list[Key], suppressed: set[Key], rules: DisclosureRules
) -> list[Cut]:
    cuts = []
    for key in primary:
        value = int(reader.values[reader.index[key]])
        below, above = rules.protection(value)
        interval = reader.interval(key, suppressed)
        if is_protected(interval, value, rules):
            continue
        if interval.high < value + above:
            cuts.append(reader.cut(key, suppressed, upward=True, needed=above))
        if interval.low > value - below:
            cuts.append(reader.cut(key, suppressed, upward=False, needed=below))
    return cuts


def _choose(
    reader: Reader, primary: list[Key], cuts: list[Cut], rules: DisclosureRules
) -> set[Key]:
    """One integer programme: the cheapest pattern meeting (a), (b) and the cuts."""
    n = len(reader.keys)
    cost = reader.values + 1.0
    lower = np.zeros(n)
    lower[[reader.index[key] for key in primary]] = 1.0
    constraints = [_no_lone_blank(reader)]
    if cuts:
        matrix = lil_array((len(cuts), n))
        for row, cut in enumerate(cuts):
            for column, weight in cut.weights.items():
                matrix[row, column] = weight
        needed = np.array([cut.needed for cut in cuts])
        constraints.append(LinearConstraint(matrix.tocsr(), needed, np.inf))
    result = milp(
        cost,
        integrality=np.ones(n),
        bounds=Bounds(lower, np.ones(n)),
        constraints=constraints,
        options={"time_limit": rules.time_limit_seconds},
    )
    if result.x is None:
        raise DisclosureError(f"No suppression pattern found: {result.message}")
    return {reader.keys[i] for i in np.flatnonzero(result.x > 0.5)}


def _no_lone_blank(reader: Reader) -> LinearConstraint:
    """For every relation and each of its cells: x_cell <= the sum of the others' x."""
    relations = reader.table.relations()
    rows = sum(len(r.parts) + 1 for r in relations)
    matrix = lil_array((max(rows, 1), len(reader.keys)))
    row = 0
    for relation in relations:
        members = [reader.index[k] for k in (relation.total, *relation.parts)]
        for cell in members:
            for other in members:
                matrix[row, other] = -1.0 if other == cell else 1.0
            row += 1
    return LinearConstraint(matrix.tocsr(), 0, np.inf)
