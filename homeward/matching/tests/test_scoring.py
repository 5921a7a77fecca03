"""Fellegi-Sunter m and u estimation on a synthetic set where the truth is known."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from homeward.matching.compare import FIELDS
from homeward.matching.scoring import (
    DEFAULT_SETTINGS,
    Model,
    Vector,
    estimate_m,
    estimate_u,
    prior_model,
)

# Truth: matches agree on names 90% of the time, non-matches 2%; sex is always recorded.
TRUE_M_NAMES_EXACT = 0.9
TRUE_U_NAMES_EXACT = 0.02


def vector(names: str, sex: str, age: str) -> Vector:
    return (names, sex, age, "missing", "missing", "missing")


def draw(rng: random.Random, match: bool) -> Vector:
    names_exact = rng.random() < (TRUE_M_NAMES_EXACT if match else TRUE_U_NAMES_EXACT)
    sex_agree = rng.random() < (0.98 if match else 0.5)
    age_overlap = rng.random() < (0.85 if match else 0.1)
    return vector(
        "exact" if names_exact else "disagree",
        "agree" if sex_agree else "disagree",
        "ranges overlap" if age_overlap else "disagree",
    )


def test_u_is_the_level_frequency_among_random_pairs() -> None:
    rng = random.Random(1)
    u = estimate_u(draw(rng, match=False) for _ in range(20_000))
    assert u["names"]["exact"] == pytest.approx(TRUE_U_NAMES_EXACT, abs=0.005)
    assert u["sex"]["agree"] == pytest.approx(0.5, abs=0.02)


def test_em_recovers_m_and_the_match_proportion() -> None:
    rng = random.Random(2)
    u = estimate_u(draw(rng, match=False) for _ in range(20_000))
    pairs = [draw(rng, match=True) for _ in range(2_000)]
    pairs += [draw(rng, match=False) for _ in range(8_000)]
    m, proportion = estimate_m(pairs, u)
    assert m["names"]["exact"] == pytest.approx(TRUE_M_NAMES_EXACT, abs=0.03)
    assert m["age"]["ranges overlap"] == pytest.approx(0.85, abs=0.05)
    assert proportion == pytest.approx(0.2, abs=0.02)


def test_too_few_pairs_leave_the_priors() -> None:
    few = [vector("exact", "agree", "ranges overlap")] * 10
    assert estimate_u(few) == DEFAULT_SETTINGS.u_priors
    assert estimate_m(few, DEFAULT_SETTINGS.u_priors)[0] == DEFAULT_SETTINGS.m_priors


def test_the_weight_is_log2_m_over_u_and_missing_weighs_nothing() -> None:
    model = prior_model()
    assert model.weight("sex", "agree") == pytest.approx(0.956, abs=0.001)  # log2(.97/.5)
    assert model.weight("mother", "missing") == 0.0
    assert sum(model.weights(vector("exact", "agree", "missing"))) > 0


def test_the_probability_follows_from_weight_and_prior() -> None:
    model = Model(DEFAULT_SETTINGS.m_priors, DEFAULT_SETTINGS.u_priors, match_proportion=0.5)
    assert model.probability(0.0) == pytest.approx(0.5)
    assert model.probability(10.0) > 0.999
    low_prior = replace(model, match_proportion=0.01)
    assert low_prior.probability(0.0) == pytest.approx(0.01)


def test_fields_cover_every_comparison() -> None:
    assert set(FIELDS) == set(DEFAULT_SETTINGS.m_priors) == set(DEFAULT_SETTINGS.u_priors)
