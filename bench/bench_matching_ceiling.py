"""The best recall any engine can reach on `bench_matching.py`'s data (issue 4's targets).

    .venv/bin/python bench/bench_matching_ceiling.py --sizes 10000,100000

For each tracing request, every registered child is given the probability that the
generator would have written this request about them, P(request | child's record),
computed from the generator's own rules and the people behind the records:

- names are read perfectly (an oracle): the request's typos and spelling variants, and
  the NGO's Latin spellings, are undone. What stays ambiguous is what the data leaves
  ambiguous: a child written only in Arabic script is any of the names that share that
  spelling (Fatima and Patimat are both فاطمة, Magomed and Muhammad both محمد, Omarov and
  Umarov both عمروف, Gasanov and Khasanov both حسانوف);
- the father's given name, always in the child's Arabic name, when the request names
  the father; the mother's name when the request records it (a child whose record has no
  mother gets the generator's chance of any mother: 1 in 16 × 20);
- the birth: a day, a year, or an estimated age "often a year off" (the generator's
  -1/0/0/0/+1), as the generator draws them; sex follows from the names;
- the place: children's records have none, so it tells nothing.

Ranking the children by that probability is the best any engine can do for a request on
its own (the Bayes decision; it ignores that each child is sought by one request only,
which a global assignment could exploit). Ties are broken at random, so a request whose
true child ties with t others and is beaten by a counts (k - a) / (t + 1) towards
recall@k, capped at 1. Because the names are read perfectly, these are upper bounds.

Also printed: how many children are merely consistent with the request on every field it
records (the literal "indistinguishable" count: an engine that only checks agreement,
without weighing a recorded mother against a missing one or a known year against an
estimate, would break ties among all of them).

The last line is name=value pairs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import ARABIC, REGISTERED_ON, generate_people

from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS
from homeward.lib.ages import BirthPrecision

FIRST_DAY = date(2004, 1, 1)  # make_person: born in the 14 * 365 days from this day
DAYS = 14 * 365
NOISE = {-1: 0.2, 0: 0.6, 1: 0.2}  # registered_birth: rng.choice([-1, 0, 0, 0, 1])
DAY, YEAR, OTHER = 0, 1, 2  # precisions (OTHER: the request's unknown, the child's estimate)


def _arabic_counts(names: list[tuple[str, str, str]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for name in names:
        counts[name[ARABIC]] += 1
    return counts


GIVEN_K = {"f": _arabic_counts(GIRLS), "m": _arabic_counts(BOYS)}
FAMILY_K = _arabic_counts(FAMILY_NAMES)
BOYS_K = GIVEN_K["m"]
ANY_MOTHER = 1 / (len(GIRLS) * len(FAMILY_NAMES))


class BirthTables:
    """P(request's birth | child's birth) pieces for the generator's uniform birth days."""

    def __init__(self) -> None:
        days = [FIRST_DAY + timedelta(days=k) for k in range(DAYS)]
        self.year = np.array([d.year for d in days])
        self.age = np.array([(REGISTERED_ON - d).days // 365 for d in days])
        self.first_year = int(self.year.min())
        years = self.year - self.first_year
        self.days_in_year = np.bincount(years).astype(float)
        ages = int(self.age.max()) + 2
        # w[A, d]: P(estimate A | born on day d); p_day[A, d] = P(day d | estimate A).
        w = np.zeros((ages + 1, DAYS))
        for noise, p in NOISE.items():
            estimate = np.maximum(self.age + noise, 0)
            np.add.at(w, (estimate, np.arange(DAYS)), p)
        self.p_day = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)
        # p_year[A, y]: P(born in year y | estimate A).
        self.p_year = np.zeros((ages + 1, len(self.days_in_year)))
        for y in range(len(self.days_in_year)):
            self.p_year[:, y] = self.p_day[:, years == y].sum(axis=1)

    def day_index(self, day: date) -> int:
        return (day - FIRST_DAY).days


def _birth_columns(
    births: list, people: list, tables: BirthTables
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision kind, day index (day) or year index (year) or estimate, per record's
    birth (`births`), and the year the person behind it was born."""
    kind = np.empty(len(births), dtype=np.int64)
    value = np.zeros(len(births), dtype=np.int64)
    year = np.zeros(len(births), dtype=np.int64)
    for k, (birth, person) in enumerate(zip(births, people, strict=True)):
        day = tables.day_index(person.born)
        year[k] = person.born.year - tables.first_year
        if birth.precision == BirthPrecision.DAY:
            kind[k], value[k] = DAY, day
        elif birth.precision == BirthPrecision.YEAR:
            kind[k], value[k] = YEAR, year[k]
        elif birth.precision == BirthPrecision.ESTIMATE:
            kind[k], value[k] = OTHER, birth.estimated_age
        else:
            kind[k] = OTHER
    return kind, value, year


def _birth_likelihood(
    tables: BirthTables,
    r_kind: np.ndarray, r_value: np.ndarray, r_year: np.ndarray,
    c_kind: np.ndarray, c_value: np.ndarray, c_year: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """P(the request's birth | the child's record), requests by rows, children by columns."""
    rk, rv, ry = r_kind[:, None], r_value[:, None], r_year[:, None]
    ck, cv, cy = c_kind[None, :], c_value[None, :], c_year[None, :]
    estimate = np.minimum(cv, tables.p_day.shape[0] - 1)
    day_index = np.clip(rv, 0, DAYS - 1)
    year_index = np.clip(rv, 0, len(tables.days_in_year) - 1)
    return np.select(
        [
            rk == OTHER,  # the request gives no birth
            (rk == DAY) & (ck == DAY),
            (rk == DAY) & (ck == YEAR),
            (rk == DAY) & (ck == OTHER),
            (rk == YEAR) & (ck == DAY),
            (rk == YEAR) & (ck == YEAR),
            (rk == YEAR) & (ck == OTHER),
        ],
        [
            np.ones(rk.shape),
            (rv == cv).astype(float),
            (ry == cv) / tables.days_in_year[np.clip(cv, 0, len(tables.days_in_year) - 1)],
            tables.p_day[estimate, day_index],
            (rv == cy).astype(float),
            (rv == cv).astype(float),
            tables.p_year[estimate, year_index],
        ],
        0.0,
    )


def ceiling(size: int, *, per_request: bool = False) -> dict[str, Any]:
    """Best possible recall@1 and recall@5 at `size`, and how many children tie; with
    `per_request`, also each request's share of recall@1 and recall@5 ("recall1_of",
    "recall5_of", indexed by request), for diagnostics.

    Computed group by group (requests and children of one sex, Arabic given and family
    name: no other child can be the request's), a block of requests at a time, in arrays
    of numbers, so that 1M fits in memory and minutes."""
    started = time.perf_counter()
    people, requests, children = generate_people(size)
    tables = BirthTables()
    order = np.array([int(child.id[1:]) for child in children], dtype=np.int64)
    columns = _PeopleColumns(people, requests, children)
    r_birth = _birth_columns([r.birth for r in requests], people, tables)
    c_birth = _birth_columns([c.birth for c in children], [people[i] for i in order], tables)
    del people, requests, children
    r_groups, c_groups = columns.group, columns.group[order]
    r_sorted = np.argsort(r_groups, kind="stable")
    c_sorted = np.argsort(c_groups, kind="stable")
    r_bounds = np.searchsorted(r_groups[r_sorted], np.arange(columns.groups + 1))
    c_bounds = np.searchsorted(c_groups[c_sorted], np.arange(columns.groups + 1))
    true_col = np.empty(size, dtype=np.int64)  # the true child's column within its group
    recall_of = {1: np.zeros(size), 5: np.zeros(size)}
    consistent = np.zeros(size, dtype=np.int64)
    beaten = np.zeros(size, dtype=bool)
    for g in range(columns.groups):
        rows = r_sorted[r_bounds[g] : r_bounds[g + 1]]
        cols = c_sorted[c_bounds[g] : c_bounds[g + 1]]
        if len(rows) == 0:
            continue
        true_col[order[cols]] = np.arange(len(cols))
        c_person = order[cols]
        for block in range(0, len(rows), ROWS_AT_ONCE):
            r = rows[block : block + ROWS_AT_ONCE]
            like = _likelihood(columns, tables, r, c_person, r_birth, c_birth, cols, g)
            true_like = like[np.arange(len(r)), true_col[r]]
            assert (true_like > 0).all(), "the true child must be possible"
            above = (like > true_like[:, None] * (1 + 1e-9)).sum(axis=1)
            ties = (np.abs(like - true_like[:, None]) <= true_like[:, None] * 1e-9).sum(axis=1) - 1
            for k, shares in recall_of.items():
                shares[r] = np.clip((k - above) / (ties + 1), 0, 1)
            beaten[r] = above > 0
            consistent[r] = (like > 0).sum(axis=1) - 1
    result: dict[str, Any] = {
        "recall1": float(recall_of[1].sum()) / size,
        "recall5": float(recall_of[5].sum()) / size,
        "beaten": float(beaten.mean()),  # some child is strictly more likely than the true one
        "alone": float((consistent == 0).mean()),  # no other child is even consistent
        "consistent_median": float(np.median(consistent)),
        "seconds": time.perf_counter() - started,
    }
    if per_request:
        result |= {"recall1_of": recall_of[1], "recall5_of": recall_of[5]}
    return result


ROWS_AT_ONCE = 256  # requests per block: a block of a 1M group is 256 × ~2,000 children


class _PeopleColumns:
    """What the ceiling needs of each person, as numbers (equal names, equal numbers);
    request i is people[i], child position j is people[order[j]]."""

    def __init__(self, people: list, requests: list, children: list) -> None:
        numbers: dict[Any, int] = {}

        def code(value: Any) -> int:
            return numbers.setdefault(value, len(numbers))

        size = len(people)
        self.group = np.empty(size, dtype=np.int64)
        self.given = np.empty(size, dtype=np.int64)  # the Latin name (every script's)
        self.family = np.empty(size, dtype=np.int64)
        self.father = np.empty(size, dtype=np.int64)  # the father's given name, Arabic
        self.father_k = np.empty(size)  # boys' names written alike in Arabic
        self.mother = np.empty(size, dtype=np.int64)  # her Arabic name
        self.mother_k = np.empty(size)
        self.arabic_only = np.empty(size)  # P(an Arabic-only name | the person's)
        groups: dict[tuple[str, str, str], int] = {}
        for i, p in enumerate(people):
            family_ar = p.child_family[ARABIC]
            self.group[i] = groups.setdefault((p.sex, p.given[ARABIC], family_ar), len(groups))
            self.given[i], self.family[i] = code(p.given), code(p.family)
            self.father[i] = code(p.father_given[ARABIC])
            self.father_k[i] = BOYS_K[p.father_given[ARABIC]]
            self.mother[i] = code(p.mother_given[ARABIC] + " " + p.mother_family[ARABIC])
            self.mother_k[i] = (
                GIVEN_K["f"][p.mother_given[ARABIC]] * FAMILY_K[p.mother_family[ARABIC][:-1]]
            )
            self.arabic_only[i] = 1 / (
                GIVEN_K[p.sex][p.given[ARABIC]] * FAMILY_K[person_family_ar(family_ar, p.sex)]
            )
        self.groups = len(groups)
        self.r_father = np.array([bool(r.father) for r in requests])
        self.r_mother = np.array([bool(r.mother) for r in requests])
        self.c_latin = np.array([len(c.names) > 1 for c in children])  # by child position
        self.c_mother = np.array([bool(c.mother) for c in children])


def _likelihood(
    columns: _PeopleColumns, tables: BirthTables, r: np.ndarray, c_person: np.ndarray,
    r_birth: tuple, c_birth: tuple, cols: np.ndarray, group: int,
) -> np.ndarray:  # fmt: skip
    """P(request | child) for requests `r` (people numbers) by the children at positions
    `cols` (people `c_person`) of one group."""
    # Names: a Latin spelling tells the name exactly; Arabic alone, any that share it.
    same_name = (columns.given[r][:, None] == columns.given[c_person][None, :]) & (
        columns.family[r][:, None] == columns.family[c_person][None, :]
    )
    like = np.where(columns.c_latin[cols][None, :], same_name, columns.arabic_only[r][:, None])
    # The father's given name is the child's second Arabic word.
    father = (columns.father[r][:, None] == columns.father[c_person][None, :]) / columns.father_k[
        r
    ][:, None]
    like *= np.where(columns.r_father[r][:, None], father, 1.0)
    # The mother, when the request records her.
    mother = np.where(
        columns.c_mother[cols][None, :],
        (columns.mother[r][:, None] == columns.mother[c_person][None, :])
        / columns.mother_k[r][:, None],
        ANY_MOTHER,
    )
    like *= np.where(columns.r_mother[r][:, None], mother, 1.0)
    like *= _birth_likelihood(
        tables, *(column[r] for column in r_birth), *(column[cols] for column in c_birth)
    )
    return like


def person_family_ar(child_family_ar: str, sex: str) -> str:
    """The masculine Arabic family name (FAMILY_NAMES' form) of a child's."""
    return child_family_ar[:-1] if sex == "f" else child_family_ar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated sizes")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    figures: dict[str, str] = {}
    for size in sizes:
        result = ceiling(size)
        label = f"{size // 1000}k" if size >= 1000 else str(size)
        print(f"ceiling {size}: recall@1={result['recall1']:.4f} recall@5={result['recall5']:.4f} "
              f"true child beaten={result['beaten']:.4f} alone={result['alone']:.4f} "
              f"median consistent others={result['consistent_median']:.0f} "
              f"time={result['seconds']:.1f}s")  # fmt: skip
        figures |= {f"ceiling_{label}_{k}": f"{v:.4f}" for k, v in result.items()}
    print("matching_ceiling " + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
