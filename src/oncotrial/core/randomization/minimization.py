"""Pocock–Simon minimization with a random element.

Reference: Pocock SJ, Simon R. Sequential treatment assignment with balancing for
prognostic factors in the controlled clinical trial. *Biometrics* 1975;31:103–115.

For a new patient at level ``r_i`` of factor ``i`` (``i = 1..M``) and arms ``k = 1..K``:

1. ``x[i][r_i][k]`` is the number of earlier patients at level ``r_i`` of factor ``i``
   on arm ``k`` (marginal counts; strata are not used).
2. For each candidate arm ``t``, add the new patient to arm ``t``: ``x_t[k] = x[i][r_i][k]
   + (1 if k == t else 0)`` and take its imbalance ``D_i(t)``: the range
   ``max_k x_t[k] − min_k x_t[k]`` (default) or the population variance of ``x_t``.
3. Total imbalance ``G_t = Σ_i w_i · D_i(t)`` with factor weights ``w_i`` (default 1).
4. The *preferred* arm has the smallest ``G_t``. If ``m`` arms tie (within 1e-9), it is
   ``tied[floor(u2 · m)]``, the tied arms in declared order.
5. The preferred arm is assigned with probability ``p``; otherwise one of the other
   ``K − 1`` arms with equal probability (Pocock & Simon's ``p_1 = p``,
   ``p_k = (1 − p)/(K − 1)``): if ``u1 < p`` the preferred arm, else
   ``others[floor((u1 − p)/(1 − p) · (K − 1))]``, the other arms in declared order.

Draw consumption, exactly: the draws are a pre-generated sequence of pairs
``(u1, u2)`` of uniforms on [0, 1) (:func:`generate_minimization_draws`); the
assignment of the ``k``-th patient (``k = len(history)``, 0-based) consumes pair ``k``,
always both numbers, whatever the ties and ``p``. When all arms tie (the first patient)
the preferred arm is uniformly random, so the assignment is uniform for any ``p``.

``p`` is accepted in (0.5, 1]: ``p = 1`` is deterministic minimization (up to ties);
with two arms ``p = 0.5`` is complete randomization (a different scheme) and ``p < 0.5``
would favour imbalance. The default 0.8 is an Oncotrial assumption.
Minimization here balances equal allocation; unequal ratios are not supported.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, TypeAlias

from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.core.randomization import _records as rec
from oncotrial.core.randomization.arms import DEFAULT_ARMS, Scheme, check_arms
from oncotrial.core.randomization.seeds import check_seed
from oncotrial.core.randomization.strata import (
    DEFAULT_FACTORS,
    Factors,
    check_factors,
    check_levels,
)

DRAWS_FORMAT: Final = "oncotrial.minimization_list"
DRAWS_VERSION: Final = 1
_TIE_TOLERANCE: Final = 1e-9

MarginalCounts: TypeAlias = Mapping[tuple[str, str], Sequence[int]]
History: TypeAlias = Sequence[tuple[Mapping[str, str], str]]


class ImbalanceMethod(StrEnum):
    """How the imbalance ``D_i`` of one factor level across arms is measured."""

    RANGE = "range"
    VARIANCE = "variance"


@dataclass(frozen=True, slots=True)
class MinimizationDesign:
    """Factors, arms and the parameters of Pocock–Simon minimization."""

    factors: Factors = DEFAULT_FACTORS
    arms: tuple[str, ...] = DEFAULT_ARMS
    p: float = 0.8
    method: ImbalanceMethod = ImbalanceMethod.RANGE
    factor_weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "factors", check_factors(self.factors))
        if not self.factors:
            raise DomainError("factors", self.factors, "at least one factor to minimize on")
        object.__setattr__(self, "arms", check_arms(self.arms))
        p = rec.float_at(self.p, "p")
        if not 0.5 < p <= 1.0:
            raise DomainError("p", self.p, "a probability in (0.5, 1]", suggestion="0.8 is usual.")
        object.__setattr__(self, "p", p)
        try:
            object.__setattr__(self, "method", ImbalanceMethod(self.method))
        except ValueError:
            raise DomainError("method", self.method, "'range' or 'variance'") from None
        if self.factor_weights is not None:
            weights = rec.list_at(self.factor_weights, "factor_weights")
            if len(weights) != len(self.factors):
                raise DomainError("factor_weights", self.factor_weights, "one weight per factor")
            checked = tuple(rec.float_at(w, f"factor_weights[{i}]") for i, w in enumerate(weights))
            if any(w <= 0 for w in checked):
                raise DomainError("factor_weights", self.factor_weights, "positive weights")
            object.__setattr__(self, "factor_weights", checked)

    @property
    def weights(self) -> tuple[float, ...]:
        """Factor weights ``w_i`` in factor order (1.0 each by default)."""
        return self.factor_weights or tuple(1.0 for _ in self.factors)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-compatible form (keys scheme, factors, arms, p, method, factor_weights)."""
        return {
            "scheme": Scheme.MINIMIZATION.value,
            "factors": [{"code": c, "levels": list(levels)} for c, levels in self.factors],
            "arms": list(self.arms),
            "p": self.p,
            "method": self.method.value,
            "factor_weights": list(self.weights),
        }


@dataclass(frozen=True, slots=True)
class MinimizationDraws:
    """The pre-generated "minimization list": one pair ``(u1, u2)`` per future patient."""

    seed: int
    draws: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, object]:
        """``{"format", "version", "scheme": "minimization", "seed", "draws": [[u1, u2], …]}``."""
        return {
            "format": DRAWS_FORMAT,
            "version": DRAWS_VERSION,
            "scheme": Scheme.MINIMIZATION.value,
            "seed": self.seed,
            "draws": [[u1, u2] for u1, u2 in self.draws],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> MinimizationDraws:
        """Inverse of :meth:`to_dict`; every draw must be a pair of numbers in [0, 1)."""
        record = rec.mapping_at(data, "minimization_list")
        rec.expect_constant(record, "format", DRAWS_FORMAT, "")
        rec.expect_constant(record, "version", DRAWS_VERSION, "")
        rec.expect_constant(record, "scheme", Scheme.MINIMIZATION.value, "")
        seed = check_seed(rec.get(record, "seed", ""))
        draws: list[tuple[float, float]] = []
        for i, raw in enumerate(rec.list_at(rec.get(record, "draws", ""), "draws")):
            pair = rec.list_at(raw, f"draws[{i}]")
            values = [rec.float_at(u, f"draws[{i}][{j}]") for j, u in enumerate(pair)]
            if len(values) != 2 or not all(0.0 <= u < 1.0 for u in values):
                raise DomainError(f"draws[{i}]", raw, "a pair of numbers in [0, 1)")
            draws.append((values[0], values[1]))
        return cls(seed, tuple(draws))


@dataclass(frozen=True, slots=True)
class MinimizationAssignment:
    """The result of one minimization step, with everything needed to audit it."""

    sequence: int  # 1-based position in the allocation history
    arm: str
    preferred_arm: str
    tied_arms: tuple[str, ...]  # arms with the smallest total imbalance G
    scores: tuple[tuple[str, float], ...]  # (arm, G) in declared arm order
    draw: tuple[float, float]

    @property
    def followed_preference(self) -> bool:
        return self.arm == self.preferred_arm


def generate_minimization_draws(n: int, seed: int) -> MinimizationDraws:
    """``n`` pairs ``(u1, u2)`` from ``random.Random(seed)``, drawn in the order u1, u2, u1, …"""
    rec.int_at(n, "n", 1)
    rng = random.Random(check_seed(seed))
    return MinimizationDraws(seed, tuple((rng.random(), rng.random()) for _ in range(n)))


def marginal_counts(
    design: MinimizationDesign, history: History
) -> dict[tuple[str, str], list[int]]:
    """Counts per ``(factor, level)`` and arm (declared order) of the patients in ``history``."""
    n_arms = len(design.arms)
    counts = {(c, level): [0] * n_arms for c, levels in design.factors for level in levels}
    for i, entry in enumerate(history):
        if not isinstance(entry, tuple | list) or len(entry) != 2:
            raise AllocationError(f"history[{i}]", entry, "a pair (levels, arm)")
        levels = check_levels(design.factors, entry[0], f"history[{i}].levels")
        if entry[1] not in design.arms:
            raise AllocationError(f"history[{i}].arm", entry[1], "one of " + ", ".join(design.arms))
        arm = design.arms.index(entry[1])
        for code, level in levels.items():
            counts[(code, level)][arm] += 1
    return counts


def imbalance_scores(
    design: MinimizationDesign, counts: MarginalCounts, levels: Mapping[str, str]
) -> tuple[float, ...]:
    """Total imbalance ``G_t`` for each candidate arm ``t``, in declared arm order."""
    levels = check_levels(design.factors, levels, "levels")
    n_arms = len(design.arms)
    scores = [0.0] * n_arms
    for (code, _), weight in zip(design.factors, design.weights, strict=True):
        base = counts.get((code, levels[code]), [0] * n_arms)
        for t in range(n_arms):
            trial = [count + (k == t) for k, count in enumerate(base)]
            scores[t] += weight * _imbalance(trial, design.method)
    return tuple(scores)


def favoured_arms(scores: Sequence[float]) -> tuple[int, ...]:
    """Indices of the arms whose total imbalance is minimal (ties within 1e-9, relative)."""
    low = min(scores)
    limit = low + _TIE_TOLERANCE * max(1.0, abs(low))
    return tuple(i for i, score in enumerate(scores) if score <= limit)


def choose_arm(
    p: float, scores: Sequence[float], draw: tuple[float, float]
) -> tuple[int, int, tuple[int, ...]]:
    """Steps 4–5 of the procedure: ``(assigned index, preferred index, tied indices)``."""
    u1, u2 = draw
    tied = favoured_arms(scores)
    preferred = tied[min(int(u2 * len(tied)), len(tied) - 1)]
    if u1 < p:
        return preferred, preferred, tied
    others = [k for k in range(len(scores)) if k != preferred]
    pick = min(int((u1 - p) / (1.0 - p) * len(others)), len(others) - 1)
    return others[pick], preferred, tied


def minimization_assign(
    design: MinimizationDesign,
    history: History,
    new_patient_levels: Mapping[str, str],
    draws: MinimizationDraws,
) -> MinimizationAssignment:
    """Assign the next patient by minimization: a pure function of design, history and draws.

    ``history`` lists the earlier patients in allocation order as ``(levels, arm)``; the new
    patient consumes ``draws.draws[len(history)]``.

    Raises
    ------
    AllocationError
        The draws are exhausted (field ``draws``) or a history entry is invalid.
    DomainError
        ``new_patient_levels`` lacks a factor, has an unknown factor or an unknown level.
    """
    k = len(history)
    if k >= len(draws.draws):
        raise AllocationError(
            "draws",
            len(draws.draws),
            f"at least {k + 1} draws for patient {k + 1} (minimization list exhausted)",
            suggestion="generate a longer minimization list with a new recorded seed.",
        )
    counts = marginal_counts(design, history)
    check_levels(design.factors, new_patient_levels, "new_patient_levels")
    scores = imbalance_scores(design, counts, new_patient_levels)
    arm, preferred, tied = choose_arm(design.p, scores, draws.draws[k])
    return MinimizationAssignment(
        sequence=k + 1,
        arm=design.arms[arm],
        preferred_arm=design.arms[preferred],
        tied_arms=tuple(design.arms[i] for i in tied),
        scores=tuple(zip(design.arms, scores, strict=True)),
        draw=draws.draws[k],
    )


def _imbalance(counts: Sequence[int], method: ImbalanceMethod) -> float:
    if method is ImbalanceMethod.RANGE:
        return float(max(counts) - min(counts))
    mean = math.fsum(counts) / len(counts)
    return math.fsum((c - mean) ** 2 for c in counts) / len(counts)
