"""Validation report: balance and predictability of the schemes, by seeded simulation."""

from __future__ import annotations

import json

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.randomization import (
    DEFAULT_FACTORS,
    AllocationRatio,
    Scheme,
    ValidationReport,
    build_strata,
    build_validation_report,
)


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    return build_validation_report(seed=2026, n_trials=150, n_patients=60)


def test_report_covers_every_scheme_and_is_plain_json(report: ValidationReport) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert data["format"] == "oncotrial.randomization_validation_report"
    assert (data["seed"], data["n_trials"], data["n_patients"]) == (2026, 150, 60)
    assert [s["scheme"] for s in data["schemes"]] == [
        "permuted_blocks", "minimization", "complete_randomization"
    ]
    blocks = data["schemes"][0]
    assert blocks["parameters"] == {"block_sizes": [2, 4]}
    assert set(blocks["final_within_stratum_imbalance"]) == {
        "mean", "p50", "p90", "p95", "p99", "max"
    }
    assert [(m["factor"], m["level"]) for m in blocks["marginal_imbalance"]] == [
        ("extrahepatic_metastasis", "yes"), ("extrahepatic_metastasis", "no"),
        ("ecog", "0"), ("ecog", "1"),
    ]
    assert set(blocks["guessing"]) == {"strategy", "expected_correct", "mc_se"}
    assert [s["probability"] for s in data["stratum_probabilities"]] == [0.25] * 4


def test_text_rendering_names_schemes_and_guessing(report: ValidationReport) -> None:
    text = report.to_text()
    for expected in ("permuted_blocks", "minimization", "complete_randomization",
                     "final marginal ecog=0", "Monte Carlo SE", "seed 2026"):
        assert expected in text


def test_same_seed_gives_the_same_report_and_another_seed_differs() -> None:
    first = build_validation_report(seed=5, n_trials=20, n_patients=30)
    assert first == build_validation_report(seed=5, n_trials=20, n_patients=30)
    assert first.to_dict() != build_validation_report(seed=6, n_trials=20, n_patients=30).to_dict()


def test_permuted_blocks_keep_every_stratum_within_half_the_largest_block(
    report: ValidationReport,
) -> None:
    blocks = report.scheme(Scheme.PERMUTED_BLOCKS)
    assert blocks.max_within_stratum.max <= 2
    assert blocks.final_within_stratum.max <= 2
    assert blocks.final_overall.max <= 4  # at most one half-filled block of 4 in each stratum
    complete = report.scheme(Scheme.COMPLETE)
    assert complete.final_overall.mean > blocks.final_overall.mean


def test_maximum_imbalance_is_never_below_final_imbalance(report: ValidationReport) -> None:
    for part in report.schemes:
        assert part.max_within_stratum.mean >= part.final_within_stratum.mean
        assert part.max_within_stratum.max >= part.final_within_stratum.max
        summary = part.final_overall
        assert summary.p50 <= summary.p90 <= summary.p95 <= summary.p99 <= summary.max


def test_blocks_of_two_are_guessed_correctly_three_times_in_four() -> None:
    # Within each block of 2 the first assignment is a coin flip (1/2), the second is
    # certain (1): expectation 3/4 exactly when every block is complete (one stratum,
    # an even number of patients). Ties are credited 1/2, so the estimate has no noise.
    single = build_validation_report(
        seed=1, factors=(), block_sizes=(2,), n_trials=50, n_patients=40,
        schemes=(Scheme.PERMUTED_BLOCKS,),
    )
    guessing = single.scheme(Scheme.PERMUTED_BLOCKS).guessing
    assert abs(guessing.expected_correct - 0.75) <= 4 * guessing.mc_se + 1e-12
    assert guessing.expected_correct == pytest.approx(0.75, abs=1e-12)


def test_blocks_of_two_in_four_strata_match_the_expectation_with_open_blocks() -> None:
    # With 4 equally likely strata and n = 40 patients, a stratum with an odd count ends on
    # an open block whose last guess is a coin flip: 1/4 lost per odd stratum. P(odd) for
    # Binomial(40, 1/4) is (1 - 0.5**40) / 2, so the expectation is 0.75 - 0.25 * 2 / 40.
    n = 40
    expected = 0.75 - 0.25 * 4 * (1 - 0.5**n) / 2 / n
    stratified = build_validation_report(
        seed=3, block_sizes=(2,), n_trials=400, n_patients=n, schemes=(Scheme.PERMUTED_BLOCKS,)
    )
    guessing = stratified.scheme(Scheme.PERMUTED_BLOCKS).guessing
    assert guessing.mc_se > 0
    assert abs(guessing.expected_correct - expected) <= 4 * guessing.mc_se
    assert abs(guessing.expected_correct - 0.75) <= 0.02


def test_complete_randomization_cannot_be_guessed_better_than_a_coin() -> None:
    comparator = build_validation_report(
        seed=4, n_trials=300, n_patients=40, schemes=(Scheme.COMPLETE,)
    )
    guessing = comparator.scheme(Scheme.COMPLETE).guessing
    assert abs(guessing.expected_correct - 0.5) <= 4 * guessing.mc_se


def test_deterministic_minimization_keeps_a_single_factor_within_one() -> None:
    single_factor = build_validation_report(
        seed=8, factors=(("ecog", ("0", "1")),), p=1.0, n_trials=50, n_patients=41,
        schemes=(Scheme.MINIMIZATION,),
    )
    part = single_factor.scheme(Scheme.MINIMIZATION)
    assert all(m.summary.max <= 1 for m in part.marginal)
    assert part.final_overall.max <= 1


def test_minimization_guess_rate_lies_between_coin_and_p() -> None:
    minimization = build_validation_report(
        seed=9, n_trials=100, n_patients=60, p=0.8, schemes=(Scheme.MINIMIZATION,)
    )
    rate = minimization.scheme(Scheme.MINIMIZATION).guessing.expected_correct
    assert 0.5 < rate < 0.8


def test_stratum_probabilities_are_used_and_validated() -> None:
    strata = build_strata(DEFAULT_FACTORS)
    only_first = dict.fromkeys(strata, 0.0) | {strata[0]: 1.0}
    skewed = build_validation_report(
        seed=2, n_trials=10, n_patients=20, stratum_probabilities=only_first,
        schemes=(Scheme.COMPLETE,),
    )
    marginal = {(m.factor, m.level): m.summary for m in skewed.schemes[0].marginal}
    assert marginal[("ecog", "1")].max == 0  # nobody in ecog 1
    with pytest.raises(DomainError, match="stratum_probabilities"):
        build_validation_report(seed=2, n_trials=10, stratum_probabilities={strata[0]: 1.0})
    halves = dict.fromkeys(strata, 0.5)
    with pytest.raises(DomainError) as caught:
        build_validation_report(seed=2, n_trials=10, stratum_probabilities=halves)
    assert caught.value.field == "stratum_probabilities"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_trials": 1}, "n_trials"),
        ({"n_patients": 0}, "n_patients"),
        ({"seed": -1}, "seed"),
        ({"block_sizes": (3,)}, "block_sizes[0]"),
        ({"schemes": ("stratified_urn",)}, "schemes[0]"),
        ({"ratio": AllocationRatio.from_mapping({"HAIC": 2, "GEMOX": 1}),
          "block_sizes": (3, 6)}, "ratio"),
        ({"p": 0.5}, "p"),
    ],
)
def test_bad_report_parameters_are_rejected(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"seed": 1, "n_trials": 5, "n_patients": 10}
    arguments.update(kwargs)
    with pytest.raises(DomainError) as caught:
        build_validation_report(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_unequal_ratio_works_for_blocks_and_complete_randomization() -> None:
    ratio = AllocationRatio.from_mapping({"HAIC": 2, "GEMOX": 1})
    unequal = build_validation_report(
        seed=12, ratio=ratio, block_sizes=(3, 6), n_trials=30, n_patients=30,
        schemes=(Scheme.PERMUTED_BLOCKS, Scheme.COMPLETE),
    )
    # imbalance is max(n_k/w_k) - min(n_k/w_k): a half-filled block of 6 gives at most 2
    assert unequal.scheme(Scheme.PERMUTED_BLOCKS).max_within_stratum.max <= 2
    with pytest.raises(DomainError, match="scheme"):
        unequal.scheme(Scheme.MINIMIZATION)
