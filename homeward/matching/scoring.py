"""Fellegi-Sunter scoring: each comparison level has an m and a u probability.

m is P(level | same person) and u is P(level | different people). A pair's match weight
is the sum over fields of log2(m/u), with "missing" counting zero; the probability that
the pair is one person follows from the weight and the prior proportion of matches.

u is estimated from random pairs, which are almost all non-matches. m is estimated by
expectation-maximisation on the blocked candidate pairs, starting from the priors below,
with u held fixed (as Splink does when u comes from random sampling).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from homeward.matching.compare import FIELD_LEVELS, FIELDS, MISSING

Levels = Mapping[str, float]
Probabilities = Mapping[str, Levels]
Vector = tuple[str, ...]

# Documented priors. m: how often a true pair shows each level (names are often written
# in another script, hence the phonetic share); u: how often two different children do.
# "family name only" is a shared family name with other given names: common among
# different children (siblings, cousins, a few dozen family names), rare for one child.
M_PRIORS: Probabilities = {
    "names": {
        "exact": 0.45, "similar spelling": 0.15, "same tokens": 0.1,
        "phonetic agree": 0.2, "phonetic close": 0.05, "family name only": 0.02,
        "one word agrees": 0.015, "disagree": 0.015,
    },
    "sex": {"agree": 0.97, "disagree": 0.03},
    "age": {
        "same date": 0.1, "date a typo apart": 0.02, "same year": 0.3, "middles agree": 0.25,
        "ranges overlap": 0.15, "within 1 year": 0.12, "within 3 years": 0.04, "disagree": 0.02,
    },
    "mother": {
        "exact": 0.4, "similar spelling": 0.15, "same tokens": 0.1,
        "phonetic agree": 0.2, "phonetic close": 0.05, "family name only": 0.03,
        "one word agrees": 0.03, "disagree": 0.04,
    },
    "father": {
        "exact": 0.4, "similar spelling": 0.15, "same tokens": 0.1,
        "phonetic agree": 0.2, "phonetic close": 0.05, "family name only": 0.03,
        "one word agrees": 0.03, "disagree": 0.04,
    },
    "place": {"exact": 0.6, "similar": 0.2, "most words agree": 0.1, "disagree": 0.1},
}  # fmt: skip
NAME_U_PRIORS: Levels = {
    "exact": 0.001, "similar spelling": 0.002, "same tokens": 0.005,
    "phonetic agree": 0.01, "phonetic close": 0.01, "family name only": 0.03,
    "one word agrees": 0.05, "disagree": 0.892,
}  # fmt: skip
U_PRIORS: Probabilities = {
    "names": NAME_U_PRIORS,
    "sex": {"agree": 0.5, "disagree": 0.5},
    "age": {
        "same date": 0.0005,
        "date a typo apart": 0.002,
        "same year": 0.03,
        "middles agree": 0.025,
        "ranges overlap": 0.045,
        "within 1 year": 0.1,
        "within 3 years": 0.2,
        "disagree": 0.5975,
    },
    "mother": NAME_U_PRIORS,
    "father": NAME_U_PRIORS,
    "place": {"exact": 0.05, "similar": 0.05, "most words agree": 0.05, "disagree": 0.85},
}
PRIOR_MATCH_PROPORTION = 0.01  # of blocked pairs, before EM says otherwise
SMOOTHING = 0.5  # added to every level's count, so no level is ever impossible


@dataclass(frozen=True)
class Settings:
    """How the engine matches. `DEFAULT_SETTINGS` is what the tracing pages and the linker use.

    - top_k, threshold: candidates kept per left record, and the least score shown;
    - em_iterations, em_training_left: EM rounds, and how many left records' blocked pairs
      train m (enough to learn, few enough to stay fast);
    - min_training_pairs: below this many pairs the priors are used as they are;
    - m_prior_share: how much of each learnt m is the documented prior (see EM): enough
      that a level EM never sees as a match keeps a floor, little enough that the data
      decide;
    - u_sample_pairs, seed: random pairs for u, drawn reproducibly;
    - blocking_rules, max_block_size, max_candidates, close_candidates (how many more
      past the cap, when their pre-check is within close_margin of the last kept one),
      birth_bucket_years: see `blocking`;
    - word_left_over_bits: taken off a pair's weight for each word of the left name that
      no word of the right one reads as (`engine._Work.words_unread`), at the levels that
      say only that the shorter name's words are among the longer's ("phonetic agree"
      down to "one word agrees"), for ranking and for the share of probability; and
      added for each word read past the first at "family name only" and "one word
      agrees", which say one word agrees, not how many (`_Work.words_read_past_one`);
    - parent_word_unspelled_bits: taken off likewise for each word of the left record's
      mother's or father's name spelled like no word of the right one's, where the two
      agree by their consonants only (`engine._Work.parent_words_unspelled`);
    - workers, parallel_from: processes that score (0: one per CPU), used from this many
      left records on (forking costs more than it saves on a short list: each worker
      fills its caches again).

    The figures behind these defaults are in `bench/README.md` ("The engine's settings").
    """

    top_k: int = 5
    threshold: float = 0.5
    em_iterations: int = 20
    em_training_left: int = 5000
    min_training_pairs: int = 300
    u_sample_pairs: int = 20_000
    seed: int = 20190210
    blocking_rules: tuple[str, ...] = (
        "names_mother",
        "name_mother",
        "names_birth",
        "names_father",
        "name_father",
        "names",
        "birth_day",
        "name_year",
        "name_in_estimate",
        "name_place",
        "place_year",
        "place",
    )
    max_block_size: int = 400
    max_candidates: int = 40
    close_candidates: int = 0
    close_margin: float = 0.5
    birth_bucket_years: int = 2
    word_left_over_bits: float = 2.0
    parent_word_unspelled_bits: float = 1.0
    workers: int = 0
    parallel_from: int = 10_000
    m_prior_share: float = 0.02
    m_priors: Probabilities = field(default_factory=lambda: M_PRIORS)
    u_priors: Probabilities = field(default_factory=lambda: U_PRIORS)
    prior_match_proportion: float = PRIOR_MATCH_PROPORTION


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Model:
    """Trained m and u per field and level, and the proportion of matches among pairs."""

    m: Probabilities
    u: Probabilities
    match_proportion: float

    def weight(self, field_name: str, level: str) -> float:
        if level == MISSING:
            return 0.0
        return math.log2(self.m[field_name][level] / self.u[field_name][level])

    def weights(self, vector: Vector) -> tuple[float, ...]:
        return tuple(self.weight(name, level) for name, level in zip(FIELDS, vector, strict=True))

    def probability(self, match_weight: float) -> float:
        """Bayes: prior odds times the likelihood ratio 2**weight, as a probability."""
        prior_weight = math.log2(self.match_proportion / (1 - self.match_proportion))
        return 1 / (1 + 2 ** -(match_weight + prior_weight))

    def odds(self, match_weight: float) -> float:
        """Posterior odds that one pair is one person, ignoring every other candidate."""
        prior_weight = math.log2(self.match_proportion / (1 - self.match_proportion))
        return float(2 ** min(max(match_weight + prior_weight, -1000.0), 1000.0))


def competing_probabilities(odds: Sequence[float]) -> list[float]:
    """Probabilities for the candidates of one record that is at most one of them.

    A tracing request seeks one child: if several children look like it, they share the
    probability instead of each getting it whole. With candidate odds o_i, candidate i is
    the one with probability o_i / (1 + sum of all o_j), the 1 standing for "none of
    them". A lone candidate keeps o / (1 + o), the plain Fellegi-Sunter probability.
    """
    total = 1.0 + sum(odds)
    return [value / total for value in odds]


def prior_model(settings: Settings = DEFAULT_SETTINGS) -> Model:
    """The model before any data is seen; used when there are too few pairs to learn from."""
    return Model(settings.m_priors, settings.u_priors, settings.prior_match_proportion)


def estimate_u(
    random_vectors: Iterable[Vector], settings: Settings = DEFAULT_SETTINGS
) -> Probabilities:
    """Level frequencies among random pairs, which are nearly all different people."""
    counts = Counter(random_vectors)
    if sum(counts.values()) < settings.min_training_pairs:
        return settings.u_priors
    return {
        name: _frequencies(counts, index, {vector: 1.0 for vector in counts})
        for index, name in enumerate(FIELDS)
    }


def estimate_m(
    candidate_vectors: Iterable[Vector], u: Probabilities, settings: Settings = DEFAULT_SETTINGS
) -> tuple[Probabilities, float]:
    """m and the match proportion by expectation-maximisation over the candidate pairs.

    1. Count identical comparison vectors (a few hundred kinds), so rounds are cheap.
    2. E step: each kind's probability of being a match under the current m, u and prior.
    3. M step: m of a level is the expected matches showing it over the expected matches
       that recorded the field; the prior is the expected share of matches.
    4. Repeat `em_iterations` times, from the documented priors.
    """
    counts = Counter(candidate_vectors)
    if sum(counts.values()) < settings.min_training_pairs:
        return settings.m_priors, settings.prior_match_proportion
    m, proportion = settings.m_priors, settings.prior_match_proportion
    for _ in range(settings.em_iterations):
        posterior = {v: _match_probability(v, m, u, proportion) for v in counts}
        m = {name: _frequencies(counts, index, posterior) for index, name in enumerate(FIELDS)}
        expected = sum(counts[v] * posterior[v] for v in counts)
        proportion = min(max(expected / sum(counts.values()), 1e-6), 1 - 1e-6)
    return m, proportion


def estimate_m_one_to_one(
    groups: Iterable[Sequence[Vector]], u: Probabilities, settings: Settings = DEFAULT_SETTINGS
) -> tuple[Probabilities, float]:
    """m and the match proportion by EM where each left record is at most one right record.

    `groups` holds, per left record, the comparison vectors of its blocked pairs. Plain EM
    over pooled pairs can settle on the wrong two classes: when blocking puts only
    namesakes together, "same name" separates the pairs better than "same person" and EM
    learns that age, sex and mother do not matter. Here the E step shares each record's
    match probability among its candidates (`competing_probabilities`), which rules out
    a left record matching all its namesakes at once.

    1. Number the distinct vectors; each group becomes a list of vector numbers.
    2. E step: each vector's odds under the current m, u and prior; each pair's share of
       its group's probability; sum the shares per vector.
    3. M step: m from those expected counts, as in `estimate_m`, blended with the priors
       (`m_prior_share` of them) so that a level EM rarely sees as a match, such as an age
       a year off, keeps some weight instead of ruling the true pair out; the match
       proportion from their sum.
    4. Repeat `em_iterations` times, from the documented priors.
    """
    kinds: dict[Vector, int] = {}
    kind_of_pair: list[int] = []
    group_of_pair: list[int] = []
    for number, group in enumerate(groups):
        for vector in group:
            kind_of_pair.append(kinds.setdefault(vector, len(kinds)))
            group_of_pair.append(number)
    return em_one_to_one(
        list(kinds), np.array(kind_of_pair, dtype=np.int64),
        np.array(group_of_pair, dtype=np.int64), u, settings,
    )  # fmt: skip


def em_one_to_one(
    kinds: Sequence[Vector],
    kind_of_pair: np.ndarray,
    group_of_pair: np.ndarray,
    u: Probabilities,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[Probabilities, float]:
    """`estimate_m_one_to_one` on numbered pairs: pair k shows vector `kinds[kind_of_pair[k]]`
    and belongs to the left record numbered `group_of_pair[k]` (any non-negative ints).
    The E step is three array operations per round, whatever the number of pairs."""
    pair_count = len(kind_of_pair)
    if pair_count < settings.min_training_pairs:
        return settings.m_priors, settings.prior_match_proportion
    _, group_of_pair = np.unique(group_of_pair, return_inverse=True)
    counts = np.bincount(kind_of_pair, minlength=len(kinds))
    seen = [index for index in range(len(kinds)) if counts[index]]
    vector_counts = {kinds[index]: int(counts[index]) for index in seen}
    m, proportion = settings.m_priors, settings.prior_match_proportion
    for _ in range(settings.em_iterations):
        prior = math.log(proportion / (1 - proportion))
        odds = np.array([math.exp(min(_log_ratio(v, m, u) + prior, 700.0)) for v in kinds])
        pair_odds = odds[kind_of_pair]
        totals = 1.0 + np.bincount(group_of_pair, weights=pair_odds)
        expected = np.bincount(
            kind_of_pair, weights=pair_odds / totals[group_of_pair], minlength=len(kinds)
        )
        # _frequencies weighs each vector's count; give it expected matches per pair.
        posterior = {kinds[i]: float(expected[i]) / int(counts[i]) for i in seen}
        learnt = {
            name: _frequencies(vector_counts, index, posterior) for index, name in enumerate(FIELDS)
        }
        m = _blend(learnt, settings.m_priors, settings.m_prior_share)
        proportion = min(max(float(expected.sum()) / pair_count, 1e-6), 1 - 1e-6)
    return m, proportion


def _blend(learnt: Probabilities, priors: Probabilities, share: float) -> Probabilities:
    return {
        name: {level: (1 - share) * p + share * priors[name][level] for level, p in levels.items()}
        for name, levels in learnt.items()
    }


def _log_ratio(vector: Vector, m: Probabilities, u: Probabilities) -> float:
    return sum(
        math.log(m[name][level] / u[name][level])
        for name, level in zip(FIELDS, vector, strict=True)
        if level != MISSING
    )


def _match_probability(vector: Vector, m: Probabilities, u: Probabilities, prior: float) -> float:
    log_odds = math.log(prior / (1 - prior))
    for name, level in zip(FIELDS, vector, strict=True):
        if level != MISSING:
            log_odds += math.log(m[name][level] / u[name][level])
    return 1 / (1 + math.exp(-min(max(log_odds, -700.0), 700.0)))


def _frequencies(
    counts: Mapping[Vector, int], index: int, weights: Mapping[Vector, float]
) -> Levels:
    """Weighted share of each level of one field, missing left out, smoothed."""
    levels = [level for level in FIELD_LEVELS[FIELDS[index]] if level != MISSING]
    totals = dict.fromkeys(levels, SMOOTHING)
    for vector, count in counts.items():
        if vector[index] != MISSING:
            totals[vector[index]] += count * weights[vector]
    grand_total = sum(totals.values())
    return {level: total / grand_total for level, total in totals.items()}
