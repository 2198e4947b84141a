"""Validation report: balance and predictability of the randomization schemes, by simulation.

:func:`build_validation_report` simulates ``n_trials`` trials of ``n_patients`` patients
(default 1000 × 120, strata equally likely) and summarises, for each scheme, the
distribution over trials of: the final and the maximum within-stratum imbalance (worst
stratum), the final overall imbalance, the final marginal imbalance at each factor level,
and the proportion of assignments a convergence-strategy guesser predicts correctly, with
its Monte Carlo standard error (standard deviation of the per-trial proportions over
``sqrt(n_trials)``). Definitions and seeding: :mod:`.simulation`. Pure: the same
arguments give the same report.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.randomization import _records as rec
from oncotrial.core.randomization.arms import (
    DEFAULT_BLOCK_SIZES,
    DEFAULT_RATIO,
    AllocationRatio,
    Scheme,
    check_block_sizes,
)
from oncotrial.core.randomization.minimization import ImbalanceMethod, MinimizationDesign
from oncotrial.core.randomization.seeds import check_seed
from oncotrial.core.randomization.simulation import (
    Cohort,
    TrialMetrics,
    draw_patients,
    simulate_complete,
    simulate_minimization,
    simulate_permuted_blocks,
)
from oncotrial.core.randomization.strata import (
    DEFAULT_FACTORS,
    Factors,
    Stratum,
    build_strata,
    check_factors,
    same_stratum,
    stratum_key,
)
from oncotrial.core.randomization.summaries import (
    COLUMNS,
    DistributionSummary,
    GuessingSummary,
    MarginalImbalance,
)

REPORT_FORMAT: Final = "oncotrial.randomization_validation_report"
ALL_SCHEMES: Final = (Scheme.PERMUTED_BLOCKS, Scheme.MINIMIZATION, Scheme.COMPLETE)


@dataclass(frozen=True, slots=True)
class SchemeReport:
    """The simulated performance of one scheme."""

    scheme: Scheme
    parameters: tuple[tuple[str, str | float | tuple[int, ...] | tuple[float, ...]], ...]
    final_within_stratum: DistributionSummary
    max_within_stratum: DistributionSummary
    final_overall: DistributionSummary
    marginal: tuple[MarginalImbalance, ...]
    guessing: GuessingSummary

    def to_dict(self) -> dict[str, object]:
        return {
            "scheme": self.scheme.value,
            "parameters": {k: list(v) if isinstance(v, tuple) else v for k, v in self.parameters},
            "final_within_stratum_imbalance": self.final_within_stratum.to_dict(),
            "max_within_stratum_imbalance": self.max_within_stratum.to_dict(),
            "final_overall_imbalance": self.final_overall.to_dict(),
            "marginal_imbalance": [
                {"factor": m.factor, "level": m.level, "summary": m.summary.to_dict()}
                for m in self.marginal
            ],
            "guessing": self.guessing.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Simulated balance and predictability of each scheme, with the inputs that produced it."""

    seed: int
    n_trials: int
    n_patients: int
    ratio: AllocationRatio
    factors: Factors
    stratum_probabilities: tuple[tuple[Stratum, float], ...]
    schemes: tuple[SchemeReport, ...]

    def scheme(self, scheme: Scheme) -> SchemeReport:
        """The part of the report on ``scheme`` (raises :class:`DomainError` if not simulated)."""
        for part in self.schemes:
            if part.scheme is scheme:
                return part
        raise DomainError("scheme", scheme, "one of " + ", ".join(s.scheme for s in self.schemes))

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-compatible form: inputs first, then one entry per scheme."""
        return {
            "format": REPORT_FORMAT,
            "version": 1,
            "seed": self.seed,
            "n_trials": self.n_trials,
            "n_patients": self.n_patients,
            "ratio": self.ratio.to_records(),
            "factors": [{"code": c, "levels": list(levels)} for c, levels in self.factors],
            "stratum_probabilities": [
                {"stratum": [list(pair) for pair in s], "probability": p}
                for s, p in self.stratum_probabilities
            ],
            "schemes": [part.to_dict() for part in self.schemes],
        }

    def to_text(self) -> str:
        """A readable plain-text rendering of the report."""
        ratio = ":".join(self.ratio.arms) + " = " + ":".join(map(str, self.ratio.weights))
        lines = [
            "Randomization validation report",
            f"seed {self.seed}; {self.n_trials} simulated trials of {self.n_patients} patients;"
            f" arms {ratio}",
            "strata (probability): "
            + ", ".join(f"{stratum_key(s)} ({p:.3g})" for s, p in self.stratum_probabilities),
        ]
        header = f"  {'imbalance':<50}" + "".join(f"{name:>8}" for name in COLUMNS)
        for part in self.schemes:
            settings = ", ".join(f"{k}={_text(v)}" for k, v in part.parameters)
            lines += ["", f"Scheme: {part.scheme.value}" + (f" ({settings})" if settings else "")]
            rows = [
                ("final within-stratum (worst stratum)", part.final_within_stratum),
                ("maximum within-stratum (worst stratum, any time)", part.max_within_stratum),
                ("final overall", part.final_overall),
            ] + [(f"final marginal {m.factor}={m.level}", m.summary) for m in part.marginal]
            lines.append(header)
            for label, summary in rows:
                values = summary.to_dict().values()
                lines.append(f"  {label:<50}" + "".join(f"{v:>8.2f}" for v in values))
            g = part.guessing
            lines.append(
                f"  correct guesses, convergence strategy: {g.expected_correct:.4f}"
                f" (Monte Carlo SE {g.mc_se:.4f})"
            )
        lines += ["", "Imbalance = max(n_k/w_k) - min(n_k/w_k); with 1:1, |n_A - n_B|."]
        return "\n".join(lines)


def build_validation_report(
    *,
    seed: int,
    factors: Sequence[tuple[str, Sequence[str]]] = DEFAULT_FACTORS,
    ratio: AllocationRatio = DEFAULT_RATIO,
    block_sizes: Sequence[int] = DEFAULT_BLOCK_SIZES,
    p: float = 0.8,
    method: ImbalanceMethod = ImbalanceMethod.RANGE,
    factor_weights: Sequence[float] | None = None,
    n_trials: int = 1000,
    n_patients: int = 120,
    stratum_probabilities: Mapping[Stratum, float] | None = None,
    schemes: Sequence[Scheme] = ALL_SCHEMES,
) -> ValidationReport:
    """Simulate the schemes and summarise their balance and predictability.

    ``stratum_probabilities`` maps every stratum of ``factors`` to its probability (sum 1);
    default: equally likely. Minimization needs equal allocation and at least one factor.
    """
    check_seed(seed)
    checked = check_factors(factors)
    strata = build_strata(checked)
    rec.int_at(n_trials, "n_trials", 2)
    rec.int_at(n_patients, "n_patients", 1)
    chosen = _check_schemes(schemes)
    sizes = check_block_sizes(block_sizes, ratio)
    design = None
    if Scheme.MINIMIZATION in chosen:
        if not ratio.is_equal:
            raise DomainError("ratio", ratio.weights, "equal allocation for minimization")
        weights = None if factor_weights is None else tuple(factor_weights)
        design = MinimizationDesign(checked, ratio.arms, p, method, weights)
    cohort = Cohort(checked, strata, _check_probabilities(strata, stratum_probabilities),
                    ratio, n_patients)
    results: dict[Scheme, list[TrialMetrics]] = {scheme: [] for scheme in chosen}
    for trial in range(n_trials):
        patients = draw_patients(cohort, seed, trial)
        for scheme in chosen:
            if scheme is Scheme.PERMUTED_BLOCKS:
                metrics = simulate_permuted_blocks(cohort, patients, sizes, seed, trial)
            elif scheme is Scheme.MINIMIZATION and design is not None:
                metrics = simulate_minimization(cohort, patients, design, seed, trial)
            else:
                metrics = simulate_complete(cohort, patients, seed, trial)
            results[scheme].append(metrics)
    parts = tuple(
        _summarise(scheme, results[scheme], cohort, _parameters(scheme, sizes, design))
        for scheme in chosen
    )
    return ValidationReport(seed, n_trials, n_patients, ratio, checked,
                            tuple(zip(strata, cohort.probabilities, strict=True)), parts)


def _summarise(
    scheme: Scheme,
    trials: list[TrialMetrics],
    cohort: Cohort,
    parameters: tuple[tuple[str, str | float | tuple[int, ...] | tuple[float, ...]], ...],
) -> SchemeReport:
    proportions = [t.correct_guesses / cohort.n_patients for t in trials]
    guessing = GuessingSummary(
        statistics.fmean(proportions), statistics.stdev(proportions) / math.sqrt(len(trials))
    )
    marginal = tuple(
        MarginalImbalance(code, level, DistributionSummary.of([t.marginal[i] for t in trials]))
        for i, (code, level) in enumerate(cohort.marginal_levels)
    )
    return SchemeReport(
        scheme,
        parameters,
        DistributionSummary.of([t.final_within_stratum for t in trials]),
        DistributionSummary.of([t.max_within_stratum for t in trials]),
        DistributionSummary.of([t.final_overall for t in trials]),
        marginal,
        guessing,
    )


def _parameters(
    scheme: Scheme, sizes: tuple[int, ...], design: MinimizationDesign | None
) -> tuple[tuple[str, str | float | tuple[int, ...] | tuple[float, ...]], ...]:
    if scheme is Scheme.PERMUTED_BLOCKS:
        return (("block_sizes", sizes),)
    if scheme is Scheme.MINIMIZATION and design is not None:
        return (("p", design.p), ("method", design.method.value),
                ("factor_weights", design.weights))
    return ()


def _check_schemes(schemes: Sequence[Scheme]) -> tuple[Scheme, ...]:
    chosen: list[Scheme] = []
    for i, scheme in enumerate(schemes):
        try:
            value = Scheme(scheme)
        except ValueError:
            raise DomainError(f"schemes[{i}]", scheme, "one of " + ", ".join(Scheme)) from None
        if value in chosen:
            raise DomainError(f"schemes[{i}]", scheme, "a scheme not already listed")
        chosen.append(value)
    if not chosen:
        raise DomainError("schemes", schemes, "at least one scheme")
    return tuple(chosen)


def _check_probabilities(
    strata: tuple[Stratum, ...], given: Mapping[Stratum, float] | None
) -> tuple[float, ...]:
    if given is None:
        return tuple(1.0 / len(strata) for _ in strata)
    probabilities: list[float] = []
    for stratum in strata:
        matches = [value for key, value in given.items() if same_stratum(key, stratum)]
        field = f"stratum_probabilities[{stratum_key(stratum)!r}]"
        if len(matches) != 1:
            raise DomainError(field, None, "exactly one probability for every stratum")
        value = rec.float_at(matches[0], field)
        if not 0.0 <= value <= 1.0:
            raise DomainError(field, matches[0], "a probability in [0, 1]")
        probabilities.append(value)
    if len(given) != len(strata) or not math.isclose(math.fsum(probabilities), 1.0, abs_tol=1e-9):
        raise DomainError("stratum_probabilities", dict(given),
                          "one probability per stratum of the factors, summing to 1")
    return tuple(probabilities)


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_text(v) for v in value) + ")"
    return f"{value:g}" if isinstance(value, float) else str(value)
