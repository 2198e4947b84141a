"""Exact power and sample size for comparing two rates, by enumerating every 2×2 table.

With :math:`n_1, n_2` patients and :math:`x_1, x_2` responders (or patients event-free at the
landmark), the level-:math:`\\alpha` test rejects on a region :math:`\\mathcal R` of tables, and

.. math::

    \\text{power}(p_1, p_2) = \\sum_{(x_1, x_2) \\in \\mathcal R} b(x_1; n_1, p_1)\\,b(x_2; n_2, p_2)

exactly (no normal approximation, no simulation). Two tests:

* ``fisher``: Fisher's exact test, conditional on the total :math:`x_1 + x_2` (hypergeometric);
  one-sided :math:`p = P(X_1 \\ge x_1)`, two-sided as R ``fisher.test`` (sum of the probabilities
  of the tables no more likely than the observed one, relative tolerance :math:`10^{-7}`);
* ``unconditional``: the exact unconditional test of Suissa & Shuster (JRSS A 1985) with the
  pooled-variance statistic :math:`Z = (\\hat p_1 - \\hat p_2)/\\sqrt{\\bar p(1-\\bar p)(1/n_1 + 1/n_2)}`
  (Barnard's test as ``scipy.stats.barnard_exact(pooled=True)``):
  :math:`p = \\sup_{\\pi} P_\\pi(Z \\ge z_{obs})` (two-sided: :math:`|Z|`). The supremum is taken
  on a grid of :data:`NUISANCE_GRID` values of :math:`\\pi` and refined by bounded maximisation
  near the rejection boundary.

Tests are one-sided in the direction of the effect (:math:`p_1 > p_2` rejects for large
:math:`x_1/n_1 - x_2/n_2`), or two-sided with total level :math:`\\alpha`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar
from scipy.special import gammaln
from scipy.stats import binom

from oncotrial.core.errors import DomainError
from oncotrial.design.rates import check_rates, normal_subjects_control

NUISANCE_GRID = 1000
MAX_PER_ARM = 400


class ExactTest(StrEnum):
    """The exact test whose power is enumerated."""

    FISHER = "fisher"
    UNCONDITIONAL = "unconditional"


def _check(n1: int, n2: int, alpha: float, sided: int) -> None:
    for name, n in (("n1", n1), ("n2", n2)):
        if not 1 <= n <= MAX_PER_ARM:
            raise DomainError(name, n, f"a number of patients from 1 to {MAX_PER_ARM} per arm")
    if not 0 < alpha < 1 or sided not in (1, 2):
        raise DomainError("alpha", (alpha, sided), "alpha in (0, 1) and sided 1 or 2")


def fisher_region(n1: int, n2: int, alpha: float, sided: int = 1) -> NDArray[np.bool_]:
    """Tables ``[x1, x2]`` rejected by Fisher's exact test (one-sided: large :math:`x_1`)."""
    _check(n1, n2, alpha, sided)
    x1_all = np.arange(n1 + 1)[:, None]
    x2_all = np.arange(n2 + 1)[None, :]
    log_pmf = (_log_choose(n1, x1_all) + _log_choose(n2, x2_all)
               - _log_choose(n1 + n2, x1_all + x2_all))
    region = np.zeros((n1 + 1, n2 + 1), dtype=bool)
    for s in range(n1 + n2 + 1):
        x1 = np.arange(max(0, s - n2), min(n1, s) + 1)
        pmf = np.exp(log_pmf[x1, s - x1])
        if sided == 1:
            p = np.cumsum(pmf[::-1])[::-1]
        else:
            order = np.sort(pmf)
            idx = np.searchsorted(order, pmf * (1 + 1e-7), side="right") - 1
            p = np.cumsum(order)[idx]
        region[x1, s - x1] = p <= alpha * (1 + 1e-12)
    return region


def _log_choose(n: int, k: NDArray[np.int_]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    return out


def _z_pooled(n1: int, n2: int) -> NDArray[np.float64]:
    x1 = np.arange(n1 + 1)[:, None]
    x2 = np.arange(n2 + 1)[None, :]
    pbar = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (x1 / n1 - x2 / n2) / np.where(se > 0, se, 1.0), 0.0)
    return np.asarray(z, dtype=np.float64)


def _tail(prob: NDArray[np.float64], order: NDArray[np.intp],
          groups: NDArray[np.intp]) -> NDArray[np.float64]:
    """P(T >= each distinct value), rows = nuisance values; ``groups`` ends each tie block."""
    cum = np.cumsum(prob[:, order], axis=1)
    out: NDArray[np.float64] = cum[:, groups]
    return out


def unconditional_region(n1: int, n2: int, alpha: float, sided: int = 1,
                         grid: int = NUISANCE_GRID) -> NDArray[np.bool_]:
    """Tables rejected by the exact unconditional Z-pooled test at level ``alpha``."""
    _check(n1, n2, alpha, sided)
    z = _z_pooled(n1, n2)
    stat = (np.abs(z) if sided == 2 else z).ravel()
    order = np.argsort(-stat, kind="stable")
    sorted_stat = np.round(stat[order], 12)
    ends = np.flatnonzero(np.append(sorted_stat[1:] != sorted_stat[:-1], True))
    x1 = np.arange(n1 + 1)
    x2 = np.arange(n2 + 1)

    def table_prob(pis: NDArray[np.float64]) -> NDArray[np.float64]:
        b1 = binom.pmf(x1[None, :], n1, pis[:, None])
        b2 = binom.pmf(x2[None, :], n2, pis[:, None])
        out: NDArray[np.float64] = (b1[:, :, None] * b2[:, None, :]).reshape(pis.size, -1)
        return out

    pis = (np.arange(grid) + 0.5) / grid
    pvals = np.zeros(ends.size)
    argmax = np.zeros(ends.size)
    for chunk in np.array_split(pis, max(1, grid // 50)):
        tails = _tail(table_prob(chunk), order, ends)
        best = tails.max(axis=0)
        better = best > pvals
        argmax[better] = chunk[tails.argmax(axis=0)][better]
        pvals = np.maximum(pvals, best)
    rejected = int(np.sum(pvals <= alpha))  # p-values increase along the ordered statistic
    while rejected > 0:
        cut = ends[rejected - 1]

        def neg_tail(pi: float, cut: int = cut) -> float:
            return -float(table_prob(np.array([pi]))[0, order[: cut + 1]].sum())

        centre = argmax[rejected - 1]
        step = 1.0 / grid
        res = minimize_scalar(neg_tail, bounds=(max(1e-12, centre - step), min(1 - 1e-12, centre + step)),
                              method="bounded", options={"xatol": 1e-10})
        if -float(res.fun) <= alpha:
            break
        rejected -= 1
    region = np.zeros(stat.size, dtype=bool)
    if rejected > 0:
        region[order[: ends[rejected - 1] + 1]] = True
    return region.reshape(n1 + 1, n2 + 1)


def _oriented(p1: float, p2: float, n1: int, n2: int, alpha: float, sided: int,
              test: ExactTest) -> tuple[NDArray[np.bool_], float, float]:
    """Region for the effect's direction: tests reject for large x1/n1 - x2/n2 when p1 > p2."""
    make = fisher_region if test is ExactTest.FISHER else unconditional_region
    if p1 >= p2 or sided == 2:
        return make(n1, n2, alpha, sided), p1, p2
    # p1 < p2: rejecting for large x2/n2 - x1/n1 is the mirrored region (x -> n - x)
    region = make(n1, n2, alpha, sided)
    return region, 1 - p1, 1 - p2


def exact_power(p1: float, p2: float, n1: int, n2: int, alpha: float, sided: int = 1,
                test: ExactTest = ExactTest.FISHER) -> float:
    """Exact power of ``test`` with ``n1`` experimental and ``n2`` control patients (size if p1 = p2)."""
    check_rates(p1, p2, allow_equal=True)
    region, q1, q2 = _oriented(p1, p2, n1, n2, alpha, sided, test)
    b1 = binom.pmf(np.arange(n1 + 1), n1, q1)
    b2 = binom.pmf(np.arange(n2 + 1), n2, q2)
    return float(b1 @ region.astype(float) @ b2)


@dataclass(frozen=True, slots=True)
class ExactSampleSize:
    """Smallest sizes with exact power at least the target (power is saw-toothed in n)."""

    test: ExactTest
    n_experimental: int
    n_control: int
    power: float
    alpha: float
    sided: int

    @property
    def n_total(self) -> int:
        return self.n_experimental + self.n_control

    def to_dict(self) -> dict[str, Any]:
        return {"test": self.test.value, "n_experimental": self.n_experimental, "n_control": self.n_control,
                "n_total": self.n_total, "power": self.power, "alpha": self.alpha, "sided": self.sided}


def exact_sample_size(p1: float, p2: float, alpha: float, beta: float, sided: int = 1,
                      allocation_ratio: float = 1.0, test: ExactTest = ExactTest.FISHER) -> ExactSampleSize:
    """Smallest control size :math:`n_2` (and :math:`n_1 = \\lceil r n_2 \\rceil`) with power >= 1 - beta.

    The search starts at half the pooled normal-approximation size, where the power is far below
    any usual target, and goes up one patient at a time.
    """
    check_rates(p1, p2, allocation_ratio)
    start = max(2, int(normal_subjects_control(p1, p2, alpha, beta, sided, allocation_ratio) / 2))
    for n2 in range(start, MAX_PER_ARM + 1):
        n1 = max(1, math.ceil(allocation_ratio * n2 - 1e-9))
        if n1 > MAX_PER_ARM:
            break
        power = exact_power(p1, p2, n1, n2, alpha, sided, test)
        if power >= 1 - beta:
            return ExactSampleSize(test, n1, n2, power, alpha, sided)
    raise DomainError("p1", (p1, p2), f"rates whose exact sample size is at most {MAX_PER_ARM} per arm",
                      "use the normal approximation for small differences")
