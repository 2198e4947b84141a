"""Beta-spending (power-based) futility bounds for group sequential MaxCombo designs (one-sided).

rpact ``getDesignGroupSequential(typeBetaSpending = ...)`` for one statistic (Pampallona, Tsiatis &
Kim, Stat Med 2001; Jennison & Turnbull, *Group Sequential Methods*, 2000, §7.3; see
:mod:`oncotrial.design.futility`): the futility bound of look :math:`k` spends
:math:`\\beta^*(t_k) - \\beta^*(t_{k-1})` under the alternative, and the drift is solved so that the
power is :math:`1 - \\beta`. Generalised to the max :math:`G_k = \\max_a Z_{a,k}` of the four FH
statistics: the alternative is the normal law of the :math:`4K` statistics with the planning
(:math:`H_0`) correlation and mean :math:`\\theta\\mu`, where :math:`\\mu` are the statistics' means under
the scenario's experimental arm (:mod:`.maxcombo_drift`). :math:`\\theta` scales the alternative's
effect with its shape kept (across the weights and the looks; for a local alternative this is scaling
the log hazard ratio function), as rpact's drift scales one statistic's mean. For a given
:math:`\\theta` the futility bounds :math:`g_k` on :math:`G_k` solve

.. math:: P_{\\theta\\mu}(C_1, \\dots, C_{k-1}, G_k < g_k) = \\beta^*(t_k) - \\beta^*(t_{k-1}),
          \\qquad C_j = \\{g_j \\le G_j < b_j\\},

by the inclusion–exclusion of :mod:`.maxcombo_binding` with the Genz limits shifted by the means
(:math:`P(Z < u) = P(Z - \\theta\\mu < u - \\theta\\mu)`, :mod:`.mvn_genz`), and :math:`\\theta` solves
:math:`\\sum_k P_{\\theta\\mu}(\\text{stop for futility at } k) + P_{\\theta\\mu}(C_{<K}, G_K < b_K)
= \\beta`, i.e. power :math:`1 - \\beta` (rpact's :math:`f_K = c_K`). A futility bound that would
reach the efficacy bound is set to it (every continuing path stops there). The efficacy bounds are
the alpha-spending ones of :mod:`.maxcombo_design` (non-binding) or, with binding futility,
recomputed from the current :math:`g_j` at every :math:`\\theta` (:mod:`.maxcombo_binding`), as rpact's
binding sweep. :math:`\\theta` is found by Brent's method on a coarser quasi-Monte Carlo rule
(2^12 points × 8 scramblings), the final bounds on the full rule. Reported-z futility bounds:
:math:`P_{H_0}(G_k \\ge g_k) = \\bar\\Phi(f_k)` (:func:`.maxcombo_binding.futility_statistic` inverted).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtri

from oncotrial.core.errors import DomainError
from oncotrial.design.spending import SpendingFunction
from oncotrial.simulation.maxcombo_binding import LOWEST, XTOL, continuation, crossing_bound
from oncotrial.simulation.maxcombo_design import (
    FloatArray,
    MaxComboBounds,
    nominal_p,
    reordered,
    sov_order,
)
from oncotrial.simulation.mvn_genz import Factor, QmcRule, factor

SEARCH_RULE = QmcRule(log2_points=12)
SCALE_TOL = 1e-5


@dataclass(frozen=True)
class BetaSpendingBounds:
    """A MaxCombo design with beta-spending futility bounds."""

    bounds: MaxComboBounds           # efficacy b_k (statistic), z, alpha; futility_statistic = g_k
    futility_z: tuple[float, ...]    # f_k on the reported z scale (-inf: none)
    scale: float                     # theta: the alternative's mean is theta * mean
    mean: FloatArray                 # (4K,) means of the FH statistics under the scenario's alternative
    beta_spent: tuple[float, ...]    # cumulative P(stop for futility by look k) at theta * mean
    power: float                     # P(reject at some look) at theta * mean


@dataclass(frozen=True)
class _Sweep:
    b: list[float]
    g: list[float]
    futile: list[FloatArray]     # replicates of P(stop for futility at look k), the last: G_K < b_K
    crossed: list[FloatArray]    # replicates of P(reject at look k) under the alternative
    alpha: FloatArray            # replicates of the type I error spent (binding: over continuing paths)
    complete: bool               # False: the futility bounds left too few paths (binding)


class _Problem:
    def __init__(self, cov: FloatArray, mean: FloatArray, rates: tuple[float, ...], alpha_spending:
                 SpendingFunction, alpha: float, beta_spending: SpendingFunction, beta: float,
                 efficacy: tuple[float, ...], binding: bool) -> None:
        self.cov, self.mean, self.binding, self.beta = cov, mean, binding, beta
        self.k_max = len(rates)
        self.alpha_cum = [alpha_spending.cumulative(alpha, t, 1) for t in rates]
        self.beta_cum = [beta_spending.cumulative(beta, t, 1) for t in rates[:-1]] + [beta]
        self.efficacy = list(efficacy)
        self.factors: list[Factor] = [factor(reordered(cov, k + 1)) for k in range(self.k_max)]

    def block(self, k: int) -> FloatArray:
        return np.asarray(self.cov[4 * k: 4 * k + 4, 4 * k: 4 * k + 4], dtype=np.float64)

    def sweep(self, theta: float, nodes: FloatArray) -> _Sweep:
        b: list[float] = [self.efficacy[0]]
        g: list[float] = []
        futile: list[FloatArray] = []
        crossed: list[FloatArray] = []
        alpha = np.full(nodes.shape[0], nominal_p(b[0], self.block(0), 1))
        for k in range(self.k_max):
            f = self.factors[k]
            shift = theta * self.mean[sov_order(k + 1)]
            if k > 0:
                if self.binding:
                    try:
                        needed = self.alpha_cum[k] - float(alpha.mean())
                        x, spent = crossing_bound(f, b, g, self.block(k), needed, nodes, ())
                    except DomainError:
                        return _Sweep(b, g, futile, crossed, alpha, False)
                    b.append(x)
                    alpha = alpha + spent
                else:
                    b.append(self.efficacy[k])
            going = continuation(f, b[:k], g, math.inf, nodes, shift)
            below_b = continuation(f, b[:k], g, b[k], nodes, shift)
            crossed.append(going - below_b)
            if k == self.k_max - 1:
                futile.append(below_b)
                break
            needed = self.beta_cum[k] - (self.beta_cum[k - 1] if k else 0.0)
            x, stop = self._futility(f, b, g, needed, below_b, nodes, shift)
            g.append(x)
            futile.append(stop)
        return _Sweep(b, g, futile, crossed, alpha, True)

    @staticmethod
    def _futility(f: Factor, b: list[float], g: list[float], needed: float, below_b: FloatArray,
                  nodes: FloatArray, shift: FloatArray) -> tuple[float, FloatArray]:
        k = len(g)
        if needed <= 1e-14:
            return -math.inf, np.zeros(nodes.shape[0])
        if float(below_b.mean()) <= needed:
            return b[k], below_b

        def spent(x: float) -> float:
            return float(continuation(f, b[:k], g, x, nodes, shift).mean()) - needed

        if spent(LOWEST) >= 0.0:
            return -math.inf, np.zeros(nodes.shape[0])
        x = float(brentq(spent, LOWEST, b[k], xtol=XTOL))
        return x, continuation(f, b[:k], g, x, nodes, shift)

    def gap(self, theta: float, nodes: FloatArray) -> float:
        """P(no rejection) - beta at ``theta`` (decreasing in theta)."""
        s = self.sweep(theta, nodes)
        if not s.complete:
            return -self.beta
        return 1.0 - float(sum(c.mean() for c in s.crossed)) - self.beta


def maxcombo_beta_bounds(h0: MaxComboBounds, mean: FloatArray, rates: tuple[float, ...],
                         alpha_spending: SpendingFunction, alpha: float, beta_spending: SpendingFunction,
                         beta: float, binding: bool, rule: QmcRule | None = None) -> BetaSpendingBounds:
    """Beta-spending futility bounds (see the module) for the non-binding design ``h0``."""
    rule = rule or QmcRule()
    k_max = len(rates)
    cov = h0.covariance
    name = "bs" + beta_spending.label[2:]
    if not float(np.max(mean[4 * (k_max - 1):])) > 0.0:
        raise DomainError("beta_spending", name,
                          "an experimental arm that is better than control at the last look (the FH "
                          "statistics' means under the alternative are all <= 0, or the arms are equal)")
    problem = _Problem(cov, mean, rates, alpha_spending, alpha, beta_spending, beta, h0.statistic, binding)
    coarse = SEARCH_RULE.nodes(3 * k_max)
    hi = 1.0
    while problem.gap(hi, coarse) > 0.0:
        hi *= 2.0
        if hi > 1e3:
            raise DomainError("beta_spending", name, "a power of 1 - beta that can be reached")
    lo = 0.0 if hi == 1.0 else hi / 2.0
    theta = float(brentq(lambda t: problem.gap(t, coarse), lo, hi, xtol=SCALE_TOL))
    s = problem.sweep(theta, rule.nodes(3 * k_max))
    if not s.complete:
        raise DomainError("beta_spending", name,
                          "futility bounds that leave enough paths to spend the type I error "
                          "(binding futility: try non-binding bounds or a smaller beta)")
    blocks = [problem.block(k) for k in range(k_max)]
    futility_z = tuple(-math.inf if not math.isfinite(x) else float(-ndtri(nominal_p(x, blocks[k], 1)))
                       for k, x in enumerate(s.g))
    if binding:
        nominal = tuple(nominal_p(x, blocks[k], 1) for k, x in enumerate(s.b))
        se = float(s.alpha.std(ddof=1) / math.sqrt(s.alpha.size))
        mb = MaxComboBounds(tuple(s.b), nominal, tuple(float(-ndtri(p)) for p in nominal),
                            h0.cumulative_alpha, float(s.alpha.mean()), se, h0.times, cov, tuple(s.g))
    else:
        mb = dataclasses.replace(h0, futility_statistic=tuple(s.g))
    beta_spent = tuple(float(x) for x in np.cumsum([float(r.mean()) for r in s.futile]))
    power = float(sum(float(c.mean()) for c in s.crossed))
    return BetaSpendingBounds(mb, futility_z, theta, mean, beta_spent, power)
