"""The engine as a library: its public surface, no Django, the reader's cuts."""

from __future__ import annotations

import subprocess
import sys

import homeward.disclosure
from homeward.disclosure.audit import Reader
from homeward.disclosure.tests.helpers import grid


def test_the_public_surface_is_what_the_docstring_shows() -> None:
    assert sorted(homeward.disclosure.__all__) == [
        "CellOutcome", "DEFAULT_RULES", "DisclosureError", "DisclosureRules", "Interval",
        "Key", "Progress", "ProtectedTable", "Reason", "Relation", "TOTAL", "Table", "TableError",
        "exposed_cells", "feasible_ranges", "primary_cells", "protect", "round_to_base",
    ]  # fmt: skip


def test_the_engine_runs_without_django() -> None:
    code = (
        "import sys, homeward.disclosure as d;"
        "d.protect(d.Table.from_rows(['a'], [{'a': 'x', 'count': 2}, {'a': 'y', 'count': 9}]));"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_cut_measures_how_far_the_current_pattern_lets_the_cell_move() -> None:
    # With (A,x), (A,y), (B,x), (B,y) blank the 2 can rise by min(1, 1) = 1: the cut's
    # left side at the current pattern equals exactly that room (LP duality).
    table = grid({"A": [2, 1, 30], "B": [1, 50, 30], "C": [30, 30, 30]})
    reader = Reader(table)
    blanks = {("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")}
    cut = reader.cut(("A", "x"), blanks, upward=True, needed=3)
    room = sum(w for i, w in cut.weights.items() if reader.keys[i] in blanks)
    assert abs(room - 1) < 1e-6
