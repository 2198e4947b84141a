"""Group sequential MaxCombo efficacy bounds with binding futility bounds (one-sided tests).

With binding futility bounds :math:`g_j` on :math:`G_j = \\max_a Z_{a,j}` a path goes on past look
:math:`j` only while :math:`g_j \\le G_j < b_j` (event :math:`C_j`), so the type I error spent at look
:math:`k` is

.. math:: \\pi_k(b_k) = P_{H_0}(C_1, \\dots, C_{k-1}, G_k \\ge b_k)
          = P(C_1, \\dots, C_{k-1}) - P(C_1, \\dots, C_{k-1}, G_k < b_k),

and :math:`b_k` solves :math:`\\sum_{j \\le k} \\pi_j(b_j) = \\alpha^*(t_k)`: Lan–DeMets spending over the
paths that were not stopped for futility (Jennison & Turnbull, *Group Sequential Methods*, 2000, §7.2;
rpact ``bindingFutility = TRUE``; gsDesign2 ``gs_design_combo(binding = TRUE)`` for MaxCombo,
Wang, Luo & Zheng, Pharm Stat 2021;20:879-897), under the joint normal law of the :math:`4K` FH
statistics of :mod:`.maxcombo_design`. :math:`C_j` is not a rectangle (:math:`G_j \\ge g_j` means *some*
:math:`Z_{a,j} \\ge g_j`), but :math:`\\{G_j < g_j\\} \\subset \\{G_j < b_j\\}`, so
:math:`1_{C_j} = 1\\{G_j < b_j\\} - 1\\{G_j < g_j\\}` and, by inclusion–exclusion over the looks
:math:`J` that have a futility bound,

.. math:: P\\Big(\\bigcap_{j<k} C_j \\cap E\\Big) = \\sum_{S \\subseteq J} (-1)^{|S|}
          P(G_j < u^S_j,\\ j < k;\\ E), \\qquad u^S_j = g_j \\ (j \\in S), \\ b_j \\ (j \\notin S):

:math:`2^{|J|}` orthant probabilities of the singular :math:`4k`-variate normal, every one by
:func:`.mvn_genz.rectangle_replicates` with the same factor and the same quasi-Monte Carlo nodes, so
that differences are taken scrambling by scrambling and keep a valid standard error. The look-1
bound is the deterministic quadrature of :mod:`.mvn_orthant` (nothing to remove before it).

Futility bounds are given, like non-binding ones, on the kernels' *reported* z scale: a trial stops
when its reported :math:`z_k = -\\Phi^{-1}(p_k) < f_k` (:math:`p_k` its nominal MaxCombo p-value), which
under the planning law is :math:`G_k < g_k` with :math:`P_{H_0}(G_k \\ge g_k) = \\bar\\Phi(f_k)`
(:func:`futility_statistic`). A bound at or below -6 (rpact's ``C_FUTILITY_BOUNDS_DEFAULT``) is none.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

from oncotrial.core.errors import DomainError
from oncotrial.design.specification import NO_FUTILITY
from oncotrial.design.spending import SpendingFunction
from oncotrial.simulation.maxcombo_design import (
    FloatArray,
    MaxComboBounds,
    nominal_bound,
    nominal_p,
    reordered,
)
from oncotrial.simulation.mvn_genz import Factor, QmcRule, factor, rectangle_replicates

XTOL = 1e-6
"""Tolerance of the bounds on max Z (the quasi-Monte Carlo error of pi_k moves them by about 1e-4)."""
LOWEST = -8.0
"""Lowest futility bound searched on max Z (:math:`P_{H_0}(G < -8) < 10^{-15}`)."""


def futility_statistic(cov4: FloatArray, f: float) -> float:
    """:math:`g` with :math:`P_{H_0}(G \\ge g) = \\bar\\Phi(f)` for one look's (4, 4) covariance; -inf
    when :math:`f \\le -6` (no futility stop)."""
    if f <= NO_FUTILITY:
        return -math.inf
    return nominal_bound(cov4, float(ndtr(-f)), 1, lowest=LOWEST)


def _orthant(f: Factor, uppers: Sequence[float], nodes: FloatArray, shift: FloatArray | None = None
             ) -> FloatArray:
    """Replicates of :math:`P(G_j < u_j,\\ j = 1..m)` for the factor of :func:`.reordered` (m looks);
    ``shift``: the statistics' means in the same order (:math:`P(Z < u) = P(Z - \\mu < u - \\mu)`)."""
    upper = np.repeat(np.asarray(uppers, dtype=np.float64)[::-1], 4)
    if shift is not None:
        upper = upper - shift
    return rectangle_replicates(f, np.full(upper.size, -np.inf), upper, nodes)


def continuation(f: Factor, b: Sequence[float], g: Sequence[float], last: float, nodes: FloatArray,
                 shift: FloatArray | None = None) -> FloatArray:
    """Replicates of :math:`P(C_1, \\dots, C_m, G_{m+1} < \\text{last})` (``last = inf``: no condition)
    for the factor of the first :math:`m + 1` looks, by inclusion–exclusion (see the module); with
    ``shift`` (means of the :math:`4(m + 1)` statistics in :func:`.sov_order`) under that alternative."""
    m = len(b)
    active = [j for j in range(m) if math.isfinite(g[j])]
    total = np.zeros(nodes.shape[0])
    for size in range(len(active) + 1):
        for subset in itertools.combinations(active, size):
            uppers = [g[j] if j in subset else b[j] for j in range(m)]
            total += (-1.0) ** size * _orthant(f, [*uppers, last], nodes, shift)
    return total


def crossing_bound(f: Factor, b: list[float], g: list[float], block: FloatArray, needed: float,
                    nodes: FloatArray, given: tuple[float, ...]) -> tuple[float, FloatArray]:
    """The bound of the next look that spends ``needed`` over the continuing paths, and its replicates
    of :math:`\\pi_k`."""
    going_on = continuation(f, b, g, math.inf, nodes)
    cache: dict[float, FloatArray] = {}

    def spent(x: float) -> FloatArray:
        if x not in cache:
            cache[x] = going_on - continuation(f, b, g, x, nodes)
        return cache[x]

    if needed > float(going_on.mean()):
        raise DomainError("futility_bounds", given,
                          f"futility bounds that leave enough paths to spend the type I error at look "
                          f"{len(b) + 1} (P(continue) = {going_on.mean():.4g} < {needed:.4g})")
    # pi_k(x) <= P(G_k >= x): the nominal bound of the increment is the upper end of the bracket
    high = nominal_bound(block, needed, 1) if needed > 1e-14 else 40.0
    if float(spent(high).mean()) >= needed:  # only by integration error
        return high, spent(high)
    low = high - 0.125
    while float(spent(low).mean()) < needed:
        low -= 0.125
    x = float(brentq(lambda v: float(spent(v).mean()) - needed, low, high, xtol=XTOL))
    return x, spent(x)


def binding_maxcombo_bounds(cov: FloatArray, rates: tuple[float, ...], spending: SpendingFunction,
                            alpha: float, futility: tuple[float, ...], times: tuple[float, ...] = (),
                            rule: QmcRule | None = None) -> MaxComboBounds:
    """One-sided efficacy bounds spending ``alpha`` with binding ``futility`` bounds (reported z scale,
    one per interim look), see the module. ``achieved`` is :math:`\\sum_k \\pi_k(b_k)`."""
    rule = rule or QmcRule()
    k_max = len(rates)
    if len(futility) != k_max - 1:
        raise DomainError("futility_bounds", futility, f"{k_max - 1} z-values (one per interim look)")
    spent = tuple(spending.cumulative(alpha, t, 1) for t in rates)
    nodes = rule.nodes(3 * k_max)

    def block(k: int) -> FloatArray:
        return np.asarray(cov[4 * k: 4 * k + 4, 4 * k: 4 * k + 4], dtype=np.float64)

    g = [futility_statistic(block(k), f) for k, f in enumerate(futility)]
    b = [nominal_bound(block(0), spent[0], 1)]
    used = np.full(nodes.shape[0], nominal_p(b[0], block(0), 1))
    for k in range(1, k_max):
        if g[k - 1] >= b[k - 1]:
            raise DomainError("futility_bounds", futility,
                              f"futility bounds below the efficacy bounds (look {k}: the futility z "
                              f"{futility[k - 1]:g} is at or above the efficacy z "
                              f"{-float(ndtri(nominal_p(b[k - 1], block(k - 1), 1))):.4f})")
        f = factor(reordered(cov, k + 1))
        needed = spent[k] - float(used.mean())
        x, crossing = crossing_bound(f, b, g[:k], block(k), needed, nodes, futility)
        b.append(x)
        used = used + crossing
    nominal = tuple(nominal_p(x, block(k), 1) for k, x in enumerate(b))
    z = tuple(float(-ndtri(p)) for p in nominal)
    se = float(used.std(ddof=1) / math.sqrt(used.size))
    return MaxComboBounds(tuple(b), nominal, z, spent, float(used.mean()), se, times, cov, tuple(g))
