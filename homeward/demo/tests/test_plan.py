"""The demo's plan is drawn without the database (no django_db mark: any query fails)."""

from __future__ import annotations

from collections import Counter

from homeward.demo.plan import SEED, ScenarioPlan


def test_the_plan_holds_the_reports_cohorts_without_touching_the_database() -> None:
    families = ScenarioPlan(SEED).plan()
    cohorts = Counter(child.cohort for family in families for child in family.children)
    assert cohorts["mission-1"] == 30 and cohorts["mission-2"] == 27
    assert all(child.case is None for family in families for child in family.children)


def test_the_same_seed_gives_the_same_plan() -> None:
    def children(seed: int) -> list[tuple[str, str, str]]:
        families = ScenarioPlan(seed).plan()
        return [(c.cohort, c.region, c.dob.isoformat()) for f in families for c in f.children]

    assert children(SEED) == children(SEED)
    assert children(SEED) != children(SEED + 7)
