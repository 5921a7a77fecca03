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
    records: list, people: list, tables: BirthTables
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision kind, day index (day) or year index (year) or estimate, per record."""
    kind = np.empty(len(records), dtype=np.int64)
    value = np.zeros(len(records), dtype=np.int64)
    year = np.zeros(len(records), dtype=np.int64)
    for k, (record, person) in enumerate(zip(records, people, strict=True)):
        birth = record.birth
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


def ceiling(size: int) -> dict[str, float]:
    """Best possible recall@1 and recall@5 at `size`, and how many children tie."""
    started = time.perf_counter()
    people, requests, children = generate_people(size)
    tables = BirthTables()
    child_people = [people[int(child.id[1:])] for child in children]
    r_birth = _birth_columns(requests, people, tables)
    c_birth = _birth_columns(children, child_people, tables)
    c_latin = np.array([len(child.names) > 1 for child in children])
    c_mother = np.array([bool(child.mother) for child in children])
    position = {int(child.id[1:]): j for j, child in enumerate(children)}

    def group(person) -> tuple[str, str, str]:
        return (person.sex, person.given[ARABIC], person.child_family[ARABIC])

    groups_r: dict[tuple, list[int]] = defaultdict(list)
    groups_c: dict[tuple, list[int]] = defaultdict(list)
    for i, person in enumerate(people):
        groups_r[group(person)].append(i)
    for j, person in enumerate(child_people):
        groups_c[group(person)].append(j)
    recall = {1: 0.0, 5: 0.0}
    consistent: list[int] = []
    beaten = 0
    for key, rows in groups_r.items():
        cols = groups_c[key]
        sex, given_ar, family_ar = key
        r_people = [people[i] for i in rows]
        c_people = [child_people[j] for j in cols]
        # Names: a Latin spelling tells the name exactly; Arabic alone, any that share it.
        same_name = np.array(
            [[p.given == q.given and p.family == q.family for q in c_people] for p in r_people]
        )
        arabic_only = 1 / (GIVEN_K[sex][given_ar] * FAMILY_K[person_family_ar(family_ar, sex)])
        like = np.where(c_latin[cols][None, :], same_name.astype(float), arabic_only)
        # The father's given name is the child's second Arabic word.
        has_father = np.array([bool(requests[i].father) for i in rows])
        r_fa = np.array([p.father_given[ARABIC] for p in r_people], dtype=object)
        c_fa = np.array([q.father_given[ARABIC] for q in c_people], dtype=object)
        father = (r_fa[:, None] == c_fa[None, :]) / np.array([BOYS_K[a] for a in r_fa])[:, None]
        like *= np.where(has_father[:, None], father, 1.0)
        # The mother, when the request records her.
        has_mother = np.array([bool(requests[i].mother) for i in rows])
        r_mo = np.array(
            [p.mother_given[ARABIC] + " " + p.mother_family[ARABIC] for p in r_people], dtype=object
        )
        c_mo = np.array(
            [q.mother_given[ARABIC] + " " + q.mother_family[ARABIC] for q in c_people], dtype=object
        )
        k_mo = np.array(
            [GIVEN_K["f"][p.mother_given[ARABIC]] * FAMILY_K[p.mother_family[ARABIC][:-1]]
             for p in r_people]
        )  # fmt: skip
        mother = np.where(
            c_mother[cols][None, :], (r_mo[:, None] == c_mo[None, :]) / k_mo[:, None], ANY_MOTHER
        )
        like *= np.where(has_mother[:, None], mother, 1.0)
        like *= _birth_likelihood(
            tables,
            *(column[rows] for column in r_birth),
            *(column[cols] for column in c_birth),
        )
        col_of = {j: k for k, j in enumerate(cols)}
        true_col = np.array([col_of[position[i]] for i in rows])
        true_like = like[np.arange(len(rows)), true_col]
        assert (true_like > 0).all(), "the true child must be possible"
        above = (like > true_like[:, None] * (1 + 1e-9)).sum(axis=1)
        ties = (np.abs(like - true_like[:, None]) <= true_like[:, None] * 1e-9).sum(axis=1) - 1
        for k in recall:
            recall[k] += np.clip((k - above) / (ties + 1), 0, 1).sum()
        beaten += int((above > 0).sum())
        consistent.extend(((like > 0).sum(axis=1) - 1).tolist())
    counts = np.array(consistent)
    return {
        "recall1": recall[1] / size,
        "recall5": recall[5] / size,
        "beaten": beaten / size,  # some child is strictly more likely than the true one
        "alone": float((counts == 0).mean()),  # no other child is even consistent
        "consistent_median": float(np.median(counts)),
        "seconds": time.perf_counter() - started,
    }


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
