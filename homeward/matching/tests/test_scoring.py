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
    competing_probabilities,
    estimate_m,
    estimate_m_one_to_one,
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


def test_a_lone_candidate_keeps_its_probability_and_namesakes_share_it() -> None:
    model = Model(DEFAULT_SETTINGS.m_priors, DEFAULT_SETTINGS.u_priors, match_proportion=0.01)
    (alone,) = competing_probabilities([model.odds(10.0)])
    assert alone == pytest.approx(model.probability(10.0))
    twins = competing_probabilities([model.odds(10.0), model.odds(10.0)])
    assert twins[0] == twins[1] < 0.5
    assert competing_probabilities([]) == []


def test_one_to_one_em_learns_the_person_not_the_name_when_all_pairs_are_namesakes() -> None:
    # Blocking on names: every pair agrees on names, one per group is the child itself.
    rng = random.Random(3)
    u = estimate_u(draw(rng, match=False) for _ in range(20_000))
    groups = [
        [vector("exact", *draw(rng, match=True)[1:3])]
        + [vector("exact", *draw(rng, match=False)[1:3]) for _ in range(9)]
        for _ in range(1_000)
    ]
    settings = replace(DEFAULT_SETTINGS, m_prior_share=0.0)
    m, proportion = estimate_m_one_to_one(groups, u, settings)
    assert m["age"]["ranges overlap"] == pytest.approx(0.85, abs=0.05)
    assert m["sex"]["agree"] == pytest.approx(0.98, abs=0.03)
    assert proportion == pytest.approx(0.1, abs=0.02)


def test_the_priors_keep_a_share_of_m_so_no_level_rules_a_match_out() -> None:
    groups = [[vector("exact", "agree", "ranges overlap")] for _ in range(1_000)]
    m, _ = estimate_m_one_to_one(groups, DEFAULT_SETTINGS.u_priors)
    prior = DEFAULT_SETTINGS.m_priors["age"]["within 1 year"]
    assert m["age"]["within 1 year"] >= DEFAULT_SETTINGS.m_prior_share * prior
