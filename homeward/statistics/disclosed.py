"""Figures for someone whose scope does not reach every case: passed through the same
disclosure rule as a public release (issue 14, item 4).

A caseworker of one agency asking for children by region, sex, age band, status and
placement saw counts of 1 for other agencies' children (a girl of 10 from RU-BA in a
camp). Counts that take in cases outside a user's scope are protected as a release is:
cells of 1 to threshold - 1 children suppressed (primary), and further cells so that none
of those can be worked out from the totals (secondary), by the engine in
`homeward.disclosure`. Only someone whose scope is every case (`Scope.ALL`) sees exact
figures: they may open each of those children's cases anyway.

Why protect and not limit to the user's scope: analysts see no case at all, and their
figures are the programme's; one rule for everyone below national scope keeps the page
one page. The page says which it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeward.accounts.models import Scope
from homeward.cases.access import profile_of
from homeward.disclosure import DEFAULT_RULES, TOTAL, DisclosureRules, Key, protect
from homeward.statistics.services import StatsResult

# As a release: at most three dimensions, or the table is too fine to protect quickly.
MAX_DIMENSIONS = 3


def needs_protection(user: Any) -> bool:
    """Exact figures only for a scope that reaches every case."""
    profile = profile_of(user)
    return profile is None or profile.scope != Scope.ALL


@dataclass(frozen=True)
class ProtectedCounts:
    """What may be shown of a counted table, by cell key: None for a blank."""

    shown: dict[Key, int | None]
    dimensions: int

    @property
    def total(self) -> int | None:
        return self.shown.get((TOTAL,) * self.dimensions)


def protected(result: StatsResult, rules: DisclosureRules = DEFAULT_RULES) -> ProtectedCounts:
    """The result's rows and totals as a release would publish them."""
    from homeward.releases.services import table_of  # releases build on statistics

    if not result.query.by:
        return ProtectedCounts({(): shown_small(result.total, rules)}, 0)
    if not any(row["count"] for row in result.rows):  # no child: nothing to protect
        return ProtectedCounts({(TOTAL,) * len(result.query.by): 0}, len(result.query.by))
    outcomes = protect(table_of(result.query, result.rows), rules).outcomes
    shown = {key: outcome.shown for key, outcome in outcomes.items()}
    return ProtectedCounts(shown, len(result.query.by))


def shown_small(count: int, rules: DisclosureRules = DEFAULT_RULES) -> int | None:
    """A figure on its own (a month's children abroad, requests filed): blank when it
    counts fewer children than the threshold."""
    return None if rules.is_sensitive(count) else count


def children_for(user: Any, result: StatsResult) -> dict[str, Any]:
    """A count of children as `user` may read it, for machines (the API): exact for a
    scope that reaches every case; otherwise each protected cell and total is None (a
    blank), and the youngest and oldest ages are left out, since one child at an edge
    would be singled out by them."""
    answer = result.as_dict() | {"protected": needs_protection(user)}
    if not answer["protected"]:
        return answer
    shown = protected(result)
    by = result.query.by
    answer["rows"] = [
        row | {"count": shown.shown.get(tuple(row[d] for d in by))} for row in result.rows
    ]
    answer["total"] = shown.total
    answer["ages"] = {"youngest": None, "oldest": None}
    return answer


def small_counts_for(user: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of figures each standing on its own (requests filed, children on a flight, a
    month's children abroad) as `user` may read them: a count below the threshold is
    None for anyone whose scope does not reach every case."""
    if not needs_protection(user):
        return rows
    return [row | {"count": shown_small(row["count"])} for row in rows]
