"""The disclosure-control engine: public tables of counts that never single a child out.

Plain Python on NumPy and SciPy, no Django: the `releases` app turns statistics into a
`Table`, calls `protect`, and keeps what comes out.

    table = Table.from_rows(["region", "age-band"], rows)
    protected = protect(table, DisclosureRules(threshold=5, rounding_base=None))
    protected.outcomes[("RU-DA", "3-9")].shown      # None when suppressed
    feasible_ranges(table, protected.suppressed)    # what a reader can work out
    protect(table, rules, progress=lambda stage, done, total: ...)  # for a progress bar

Why this and not a library. The field's tools for tables are R's sdcTable (HITAS, OPT)
and tau-Argus (Java and C++), neither callable from Python without an R or Java runtime
on every machine. The Python tools are ACRO (research-output checking: it applies
thresholds and dominance rules, primary suppression only, on pandas, and leaves
secondary suppression to a person) and sdcMicro-like packages for microdata, not tables.
So the engine is small and written here, on a well-kept solver: SciPy's bindings to HiGHS
(`milp` for choosing complementary cells, `linprog` for the audit), already a dependency.
The formulation is the classical one (Fischetti and Salazar-González 2000): minimise the
suppressed total under each sensitive cell's protection, with cuts from the reader's
linear programme; the audit proves each release before it leaves.

Errors: `DisclosureError` (rules or table unusable) and `TableError` (a table that cannot
be built), both `ValueError`s whose message names the field or cell.
"""

from __future__ import annotations

from homeward.disclosure.audit import Interval, exposed_cells, feasible_ranges
from homeward.disclosure.rounding import round_to_base
from homeward.disclosure.rules import DEFAULT_RULES, DisclosureError, DisclosureRules
from homeward.disclosure.suppression import (
    CellOutcome,
    Progress,
    ProtectedTable,
    Reason,
    primary_cells,
    protect,
)
from homeward.disclosure.tables import TOTAL, Key, Relation, Table, TableError

__all__ = [
    "DEFAULT_RULES",
    "TOTAL",
    "CellOutcome",
    "DisclosureError",
    "DisclosureRules",
    "Interval",
    "Key",
    "Progress",
    "ProtectedTable",
    "Reason",
    "Relation",
    "Table",
    "TableError",
    "exposed_cells",
    "feasible_ranges",
    "primary_cells",
    "protect",
    "round_to_base",
]
