"""Cross-script scale benchmark for the matching engine (issue 4).

A deterministic generator makes registered children (names as a host-country register
writes them, in Arabic script, sometimes with an NGO's Latin spelling; ages often only
estimated) and one tracing request per child (names as relatives at home write them, in
Cyrillic or Latin, with transliteration differences, typos and swapped name order).
Each request's true match is its child.

    .venv/bin/python bench/bench_matching.py                      # 1k and 10k
    .venv/bin/python bench/bench_matching.py --sizes 1000,10000,100000

Reports recall@1, recall@5, precision at the default threshold, wall time and peak
memory (process peak RSS, so it is the peak of the run so far) per size, and, at 1k, a
baseline: rapidfuzz token_set_ratio of transliterated names over all pairs, no blocking.
Next to each size's figures: the best recall@1 and recall@5 any engine could reach on
the same data (`bench_matching_ceiling.py`; `--no-ceiling` skips it). The last line is
name=value pairs for comparing runs.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz, process

from homeward.demo.names import BOYS, FAMILY_NAMES, GIRLS, family_name, misspell
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.lib.scripts import search_variants
from homeward.matching.engine import candidates_by_left
from homeward.matching.records import PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS

LATIN, CYRILLIC, ARABIC = 0, 1, 2
REGISTERED_ON = date(2019, 3, 1)  # when host authorities estimated the ages
PLACES = [("Makhachkala", "Махачкала"), ("Khasavyurt", "Хасавюрт"), ("Derbent", "Дербент"),
          ("Grozny", "Грозный"), ("Kizlyar", "Кизляр"), ("Buynaksk", "Буйнакск")]  # fmt: skip
Name = tuple[str, str, str]


@dataclass(frozen=True)
class Person:
    sex: str
    given: Name
    family: Name  # the father's, masculine; `child_family` is the child's form
    father_given: Name
    mother_given: Name
    mother_family: Name
    born: date
    place: tuple[str, str]

    @property
    def child_family(self) -> Name:
        return family_name(self.family, self.sex)


def make_person(rng: random.Random) -> Person:
    sex = rng.choice("fm")
    family = rng.choice(FAMILY_NAMES)
    born = date(2004, 1, 1) + timedelta(days=rng.randrange(14 * 365))
    return Person(
        sex=sex,
        given=rng.choice(GIRLS if sex == "f" else BOYS),
        family=family,
        father_given=rng.choice(BOYS),
        mother_given=rng.choice(GIRLS),
        mother_family=family_name(rng.choice(FAMILY_NAMES), "f"),
        born=born,
        place=rng.choice(PLACES),
    )


def typo(text: str, rng: random.Random) -> str:
    """One letter replaced, as a hurried clerk does."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(letters[1:] or letters)
    return text[:i] + rng.choice("aeiouklmnrst") + text[i + 1 :]


def child_record(index: int, person: Person, rng: random.Random) -> PersonRecord:
    """As the host register has it: Arabic order (given, father's given, family)."""
    arabic = f"{person.given[ARABIC]} {person.father_given[ARABIC]} {person.child_family[ARABIC]}"
    names = [arabic]
    if rng.random() < 0.5:  # an NGO worker's Latin spelling, by ear
        names.append(misspell(f"{person.given[LATIN]} {person.child_family[LATIN]}", rng))
    mother = f"{person.mother_given[ARABIC]} {person.mother_family[ARABIC]}"
    father = f"{person.father_given[ARABIC]} {person.family[ARABIC]}"
    return PersonRecord(
        id=f"c{index}",
        names=tuple(names),
        sex=person.sex if rng.random() < 0.95 else None,
        birth=registered_birth(person.born, rng),
        mother=(mother,) if rng.random() < 0.9 else (),
        father=(father,) if rng.random() < 0.4 else (),
        place="",
    )


def registered_birth(born: date, rng: random.Random) -> BirthDate:
    roll = rng.random()
    if roll < 0.5:  # "about 6 years old", often a year off
        age = (REGISTERED_ON - born).days // 365 + rng.choice([-1, 0, 0, 0, 1])
        return BirthDate(BirthPrecision.ESTIMATE, estimated_age=max(age, 0),
                         estimated_on=REGISTERED_ON, margin_years=1)  # fmt: skip
    if roll < 0.8:
        return BirthDate(BirthPrecision.YEAR, date(born.year, 1, 1))
    return BirthDate(BirthPrecision.DAY, born)


def request_record(index: int, person: Person, rng: random.Random) -> PersonRecord:
    """As a grandmother at home files it: Cyrillic, or Latin with its own spellings."""
    script = CYRILLIC if rng.random() < 0.6 else LATIN
    parts = [person.given[script], person.child_family[script]]
    if rng.random() < 0.3:
        parts.reverse()
    name = " ".join(parts)
    if script == LATIN and rng.random() < 0.5:
        name = misspell(name, rng)
    if rng.random() < 0.1:
        name = typo(name, rng)
    mother = f"{person.mother_given[script]} {person.mother_family[script]}"
    return PersonRecord(
        id=f"r{index}",
        names=(name,),
        sex=person.sex if rng.random() < 0.9 else None,
        birth=requested_birth(person.born, rng),
        mother=(mother,) if rng.random() < 0.95 else (),
        father=(f"{person.father_given[script]} {person.family[script]}",)
        if rng.random() < 0.5
        else (),
        place=person.place[script] if rng.random() < 0.5 else "",
    )


def requested_birth(born: date, rng: random.Random) -> BirthDate:
    roll = rng.random()
    if roll < 0.6:
        return BirthDate(BirthPrecision.DAY, born)
    if roll < 0.9:
        return BirthDate(BirthPrecision.YEAR, date(born.year, 1, 1))
    return BirthDate(BirthPrecision.UNKNOWN)


def generate(size: int, seed: int = 4) -> tuple[list[PersonRecord], list[PersonRecord]]:
    """`size` tracing requests and `size` children; request r{i} seeks child c{i}."""
    _, requests, children = generate_people(size, seed)
    return requests, children


def generate_people(
    size: int, seed: int = 4
) -> tuple[list[Person], list[PersonRecord], list[PersonRecord]]:
    """`generate`, with the people behind the records: r{i} and c{i} describe people[i]."""
    rng = random.Random(seed)
    people = [make_person(rng) for _ in range(size)]
    children = [child_record(i, person, rng) for i, person in enumerate(people)]
    requests = [request_record(i, person, rng) for i, person in enumerate(people)]
    rng.shuffle(children)
    return people, requests, children


def is_true(left_id: str, right_id: str) -> bool:
    return left_id[1:] == right_id[1:]


def run_engine(size: int) -> dict[str, float]:
    requests, children = generate(size)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    settings = replace(DEFAULT_SETTINGS, threshold=0.0)  # rank everything; threshold below
    ranked = list(candidates_by_left(requests, children, settings))
    seconds = time.perf_counter() - started
    cpu_seconds = _cpu_seconds() - cpu_started
    hits = [[is_true(c.left_id, c.right_id) for c in candidates] for candidates in ranked]
    above = [
        c for candidates in ranked for c in candidates if c.score >= DEFAULT_SETTINGS.threshold
    ]
    return {
        "recall1": sum(any(h[:1]) for h in hits) / size,
        "recall5": sum(any(h[:5]) for h in hits) / size,
        "precision": sum(is_true(c.left_id, c.right_id) for c in above) / max(len(above), 1),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and of its worker processes that have ended: steadier than
    wall time on a machine whose speed drifts with other tenants' load."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def latin_names(record: PersonRecord) -> str:
    return " ".join(variant for name in record.names for variant in search_variants(name))


def run_baseline(size: int) -> dict[str, float]:
    """Full-text-style matching: token_set_ratio of transliterated names, every pair."""
    requests, children = generate(size)
    started = time.perf_counter()
    choices = [latin_names(child) for child in children]
    hits = []
    for request in requests:
        top = process.extract(latin_names(request), choices, scorer=fuzz.token_set_ratio, limit=5)
        hits.append([is_true(request.id, children[j].id) for _, _, j in top])
    seconds = time.perf_counter() - started
    return {
        "recall1": sum(any(h[:1]) for h in hits) / size,
        "recall5": sum(any(h[:5]) for h in hits) / size,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated sizes")
    parser.add_argument(
        "--no-ceiling", action="store_true", help="skip the best recall any engine could reach"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    from bench_matching_ceiling import ceiling  # imports this module: not at the top

    figures: dict[str, str] = {}
    result_of: dict[int, dict[str, float]] = {}
    if 1000 in sizes or min(sizes) <= 1000:
        base = run_baseline(1000)
        print(f"baseline 1000: recall@1={base['recall1']:.4f} recall@5={base['recall5']:.4f} "
              f"time={base['seconds']:.2f}s")  # fmt: skip
        figures |= {f"baseline_1k_{k}": f"{v:.4f}" for k, v in base.items()}
    for size in sizes:
        result = result_of[size] = run_engine(size)
        label = f"{size // 1000}k" if size >= 1000 else str(size)
        print(f"homeward {size}: recall@1={result['recall1']:.4f} recall@5={result['recall5']:.4f} "
              f"precision@{DEFAULT_SETTINGS.threshold}={result['precision']:.4f} "
              f"time={result['seconds']:.1f}s cpu={result['cpu_seconds']:.1f}s "
              f"peak_rss={result['peak_mb']:.0f}MB")  # fmt: skip
        figures |= {f"homeward_{label}_{k}": f"{v:.4f}" for k, v in result.items()}
        if not args.no_ceiling:
            best = ceiling(size)
            print(f"ceiling  {size}: recall@1={best['recall1']:.4f} "
                  f"recall@5={best['recall5']:.4f} (any engine, names read perfectly; "
                  f"bench_matching_ceiling.py)")  # fmt: skip
            figures |= {f"ceiling_{label}_{k}": f"{best[k]:.4f}" for k in ("recall1", "recall5")}
    timed = [(size, result_of[size]) for size in sizes if size >= 1000]
    for (small, first), (large, second) in pairwise(timed):
        # n log n allows (large log large) / (small log small) times the work.
        allowed = large * math.log(large) / (small * math.log(small))
        wall = second["seconds"] / max(first["seconds"], 1e-9)
        cpu = second["cpu_seconds"] / max(first["cpu_seconds"], 1e-9)
        print(f"growth {small}->{large}: wall {wall:.2f}x, cpu {cpu:.2f}x; "
              f"n log n allows {allowed:.2f}x")  # fmt: skip
        label = f"growth_{small // 1000}k_{large // 1000}k"
        figures |= {f"{label}_wall_ratio": f"{wall:.4f}", f"{label}_cpu_ratio": f"{cpu:.4f}"}
    print("matching " + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
