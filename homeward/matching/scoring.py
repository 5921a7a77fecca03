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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from homeward.matching.compare import FIELD_LEVELS, FIELDS, MISSING

Levels = Mapping[str, float]
Probabilities = Mapping[str, Levels]
Vector = tuple[str, ...]

# Documented priors. m: how often a true pair shows each level (names are often written
# in another script, hence the phonetic share); u: how often two different children do.
M_PRIORS: Probabilities = {
    "names": {
        "exact": 0.45, "similar spelling": 0.15, "same tokens": 0.1,
        "phonetic agree": 0.25, "disagree": 0.05,
    },
    "sex": {"agree": 0.97, "disagree": 0.03},
    "age": {"ranges overlap": 0.8, "within 1 year": 0.12, "within 3 years": 0.05, "disagree": 0.03},
    "mother": {
        "exact": 0.4, "similar spelling": 0.15, "same tokens": 0.1,
        "phonetic agree": 0.25, "disagree": 0.1,
    },
    "father": {
        "exact": 0.4, "similar spelling": 0.15, "same tokens": 0.1,
        "phonetic agree": 0.25, "disagree": 0.1,
    },
    "place": {"exact": 0.6, "similar": 0.2, "disagree": 0.2},
}  # fmt: skip
NAME_U_PRIORS: Levels = {
    "exact": 0.001, "similar spelling": 0.002, "same tokens": 0.005,
    "phonetic agree": 0.01, "disagree": 0.982,
}  # fmt: skip
U_PRIORS: Probabilities = {
    "names": NAME_U_PRIORS,
    "sex": {"agree": 0.5, "disagree": 0.5},
    "age": {"ranges overlap": 0.1, "within 1 year": 0.1, "within 3 years": 0.2, "disagree": 0.6},
    "mother": NAME_U_PRIORS,
    "father": NAME_U_PRIORS,
    "place": {"exact": 0.05, "similar": 0.05, "disagree": 0.9},
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
    - u_sample_pairs, seed: random pairs for u, drawn reproducibly;
    - blocking_rules, max_block_size, birth_bucket_years: see `blocking`.
    """

    top_k: int = 5
    threshold: float = 0.5
    em_iterations: int = 20
    em_training_left: int = 5000
    min_training_pairs: int = 300
    u_sample_pairs: int = 20_000
    seed: int = 20190210
    blocking_rules: tuple[str, ...] = ("names_birth", "names_mother", "names")
    max_block_size: int = 400
    birth_bucket_years: int = 4
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
