"""Monte Carlo simulation of allocation sequences, used by the validation report.

One simulated trial draws the strata of ``n_patients`` patients independently with the
given stratum probabilities, then allocates the *same* patients with every scheme
(common random numbers, so that schemes are compared on identical cohorts). Each random
process has its own generator, seeded with :func:`.derive_seed`:

* patients: ``Random(derive_seed(seed, "patients", trial)).choices(strata, probabilities)``;
* permuted blocks: the list of :func:`.generate_permuted_block_list` with seed
  ``derive_seed(seed, "permuted_blocks", trial)``, each stratum generated only as far as
  needed, slots used in order;
* minimization: ``generate_minimization_draws(n_patients, derive_seed(seed,
  "minimization", trial))`` consumed by :func:`.choose_arm`;
* complete randomization: ``Random(derive_seed(seed, "complete_randomization", trial))``,
  one ``choices(arms, weights=ratio)`` per patient.

Guessing follows the convergence strategy (Blackwell & Hodges, *Ann Math Stat*
1957;28:449–460): before each assignment the guesser, who knows every earlier
assignment, guesses the arm furthest behind its share *within the patient's stratum*
(for minimization: the arm minimization favours, i.e. with the smallest total imbalance).
On a tie the guess is a coin flip among the tied arms; it is credited with its expected
value ``1/m`` when the assigned arm is one of the ``m`` tied arms (same expectation as
flipping the coin, with less Monte Carlo noise and no extra random numbers).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from oncotrial.core.randomization.arms import AllocationRatio, Scheme
from oncotrial.core.randomization.minimization import (
    MinimizationDesign,
    choose_arm,
    generate_minimization_draws,
    imbalance_scores,
)
from oncotrial.core.randomization.permuted_blocks import stratum_rng, stratum_slots
from oncotrial.core.randomization.seeds import derive_seed
from oncotrial.core.randomization.strata import Factors, Stratum


@dataclass(frozen=True, slots=True)
class TrialMetrics:
    """Balance and predictability of one simulated trial under one scheme.

    Imbalance of a set of patients is ``max_k(n_k/w_k) − min_k(n_k/w_k)`` (``|n_A − n_B|``
    with 1:1). ``final_within_stratum`` and ``max_within_stratum`` are the worst stratum at
    the end and at any time; ``marginal`` is the final imbalance among patients at each
    (factor, level), in factor order; ``correct_guesses`` the expected number of correct
    convergence-strategy guesses.
    """

    final_within_stratum: float
    max_within_stratum: float
    final_overall: float
    marginal: tuple[float, ...]
    correct_guesses: float


@dataclass(frozen=True, slots=True)
class Cohort:
    """What every scheme needs to know about the simulated population (pre-checked)."""

    factors: Factors
    strata: tuple[Stratum, ...]
    probabilities: tuple[float, ...]
    ratio: AllocationRatio
    n_patients: int

    @property
    def marginal_levels(self) -> tuple[tuple[str, str], ...]:
        return tuple((code, level) for code, levels in self.factors for level in levels)


def draw_patients(cohort: Cohort, seed: int, trial: int) -> list[int]:
    """Stratum indices of the patients of simulated trial ``trial``, in arrival order."""
    rng = random.Random(derive_seed(seed, "patients", trial))
    indices = range(len(cohort.strata))
    return rng.choices(indices, weights=cohort.probabilities, k=cohort.n_patients)


class _Tally:
    """Running counts of one simulated trial (internal, mutable)."""

    def __init__(self, cohort: Cohort) -> None:
        n_arms = len(cohort.ratio.arms)
        levels = cohort.marginal_levels
        self.ratio = cohort.ratio
        self.by_stratum = [[0] * n_arms for _ in cohort.strata]
        self.overall = [0] * n_arms
        self.marginal = [[0] * n_arms for _ in levels]
        self.levels_of = [tuple(levels.index(pair) for pair in s) for s in cohort.strata]
        self.max_within = 0.0
        self.correct = 0.0

    def record(self, stratum: int, arm: int, guessed: Sequence[int]) -> None:
        if arm in guessed:
            self.correct += 1.0 / len(guessed)
        counts = self.by_stratum[stratum]
        counts[arm] += 1
        self.overall[arm] += 1
        for level in self.levels_of[stratum]:
            self.marginal[level][arm] += 1
        self.max_within = max(self.max_within, self.ratio.imbalance(counts))

    def metrics(self) -> TrialMetrics:
        imbalance = self.ratio.imbalance
        return TrialMetrics(
            final_within_stratum=max(imbalance(counts) for counts in self.by_stratum),
            max_within_stratum=self.max_within,
            final_overall=imbalance(self.overall),
            marginal=tuple(imbalance(counts) for counts in self.marginal),
            correct_guesses=self.correct,
        )


def simulate_permuted_blocks(
    cohort: Cohort, patients: Sequence[int], block_sizes: tuple[int, ...], seed: int, trial: int
) -> TrialMetrics:
    """Allocate ``patients`` from a stratified permuted-block list (block sizes pre-checked)."""
    list_seed = derive_seed(seed, Scheme.PERMUTED_BLOCKS.value, trial)
    ratio = cohort.ratio
    arm_index = {arm: k for k, arm in enumerate(ratio.arms)}
    sequences: list[list[int]] = []
    for s, stratum in enumerate(cohort.strata):
        needed = patients.count(s)  # a prefix of whole blocks of the full list's stratum
        slots = stratum_slots(stratum, needed, stratum_rng(list_seed, stratum), ratio, block_sizes)
        sequences.append([arm_index[slot.arm] for slot in slots])
    tally = _Tally(cohort)
    used = [0] * len(cohort.strata)
    for s in patients:
        guessed = ratio.behind(tally.by_stratum[s])
        tally.record(s, sequences[s][used[s]], guessed)
        used[s] += 1
    return tally.metrics()


def simulate_minimization(
    cohort: Cohort, patients: Sequence[int], design: MinimizationDesign, seed: int, trial: int
) -> TrialMetrics:
    """Allocate ``patients`` by Pocock–Simon minimization (``design`` matches the cohort)."""
    draws = generate_minimization_draws(
        len(patients), derive_seed(seed, Scheme.MINIMIZATION.value, trial)
    ).draws
    counts = {pair: [0] * len(design.arms) for pair in cohort.marginal_levels}
    levels_of = [dict(stratum) for stratum in cohort.strata]
    tally = _Tally(cohort)
    for k, s in enumerate(patients):
        levels = levels_of[s]
        scores = imbalance_scores(design, counts, levels)
        arm, _, tied = choose_arm(design.p, scores, draws[k])
        tally.record(s, arm, tied)
        for pair in levels.items():
            counts[pair][arm] += 1
    return tally.metrics()


def simulate_complete(
    cohort: Cohort, patients: Sequence[int], seed: int, trial: int
) -> TrialMetrics:
    """Allocate ``patients`` by complete (unrestricted) randomization with the ratio's weights."""
    rng = random.Random(derive_seed(seed, Scheme.COMPLETE.value, trial))
    ratio = cohort.ratio
    arms = range(len(ratio.arms))
    tally = _Tally(cohort)
    for s in patients:
        guessed = ratio.behind(tally.by_stratum[s])
        tally.record(s, rng.choices(arms, weights=ratio.weights)[0], guessed)
    return tally.metrics()
