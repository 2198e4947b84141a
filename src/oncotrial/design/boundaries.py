"""Efficacy bounds of group sequential designs: alpha spending and Wang–Tsiatis (OBF, Pocock).

Alpha spending (Lan & DeMets, Biometrika 1983): the first bound is
:math:`c_1 = \\Phi^{-1}(1 - \\alpha^*(t_1)/s)` and :math:`c_k` solves

.. math::

    \\sum_{j \\le k} P_0(\\text{cross at stage } j) = \\alpha^*(t_k),

where "cross" is :math:`Z_j \\ge c_j` for a one-sided test (:math:`s = 1`) and :math:`|Z_j| \\ge c_j`
for a two-sided one (:math:`s = 2`). With binding futility bounds :math:`f_j` the paths that
stopped for futility are removed (continuation region :math:`(f_j, c_j)`); non-binding bounds are
ignored here. Classical designs (Wang & Tsiatis, Biometrics 1987; O'Brien & Fleming 1979: Δ = 0;
Pocock 1977: Δ = 0.5) use :math:`c_k = C\\,t_k^{\\Delta - 1/2}` with :math:`C` chosen so that the total
crossing probability under :math:`H_0` is :math:`\\alpha`. These are rpact's definitions
(``getDesignGroupSequential``, ``src/f_design_group_sequential.cpp``); probabilities come from
:mod:`oncotrial.design.integration`, roots from Brent's method to 1e-13.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from scipy.optimize import brentq
from scipy.special import ndtri

from oncotrial.design.integration import (
    GRID_R,
    StageDensity,
    crossing_probabilities,
    first_stage,
    next_stage,
    tail_above,
    tail_below,
)
from oncotrial.design.specification import NO_FUTILITY, DesignSpec, DesignType

XTOL = 1e-13


def solve_decreasing(f: Callable[[float], float], target: float, low: float = -8.0,
                     high: float = 8.0) -> float:
    """Root of ``f(x) = target`` for a decreasing ``f``, widening ``high`` as needed."""
    while f(high) > target and high < 64.0:
        high *= 2.0
    if f(high) > target:
        return math.inf
    if f(low) < target:
        return low
    return float(brentq(lambda x: f(x) - target, low, high, xtol=XTOL, maxiter=200))


def _continuation_lower(spec: DesignSpec, k: int, futility: Sequence[float], c: float) -> float:
    """Lower end of the continuation region of stage k (0-based) under H0."""
    if spec.sided == 2:
        return -c
    if spec.binding_futility and k < len(futility) and futility[k] > NO_FUTILITY:
        return futility[k]
    return -math.inf


def efficacy_bound_at(spec: DesignSpec, density: StageDensity, t: float, needed: float) -> float:
    """The bound of one stage that spends ``needed`` more alpha after ``density``'s stage."""
    if needed <= 0.0:
        return math.inf
    if spec.sided == 1:
        return solve_decreasing(lambda c: tail_above(density, t, 0.0, c), needed)
    return solve_decreasing(lambda c: tail_above(density, t, 0.0, c) + tail_below(density, t, 0.0, -c),
                            needed, low=0.0)


def spending_bounds(spec: DesignSpec, futility: Sequence[float], r: int = GRID_R) -> list[float]:
    """Efficacy bounds of an alpha-spending design, stage by stage (binding ``futility`` if set)."""
    spending = spec.alpha_spending()
    rates = spec.rates
    cumulative = [spending.cumulative(spec.alpha, t, spec.sided) for t in rates]
    cumulative[-1] = spec.alpha
    bounds = [float(ndtri(1.0 - cumulative[0] / spec.sided))]
    if spec.k_max == 1:
        return bounds
    density = first_stage(rates[0], 0.0, _continuation_lower(spec, 0, futility, bounds[0]), bounds[0], r)
    spent = cumulative[0]
    for k in range(1, spec.k_max):
        t = rates[k]
        c = efficacy_bound_at(spec, density, t, cumulative[k] - spent)
        bounds.append(c)
        spent += tail_above(density, t, 0.0, c)
        if spec.sided == 2:
            spent += tail_below(density, t, 0.0, -c)
        if k < spec.k_max - 1:
            density = next_stage(density, t, 0.0, _continuation_lower(spec, k, futility, c), c, r)
    return bounds


def wang_tsiatis_bounds(spec: DesignSpec, futility: Sequence[float], r: int = GRID_R) -> list[float]:
    """Classical bounds :math:`c_k = C t_k^{\\Delta - 1/2}` with total level ``alpha``."""
    delta = {DesignType.OF: 0.0, DesignType.P: 0.5}.get(spec.type_of_design, spec.delta_wt)
    assert delta is not None
    rates = spec.rates
    shape = [t ** (delta - 0.5) for t in rates]

    def size(scale: float) -> float:
        bounds = [scale * s for s in shape]
        return total_crossing(spec, bounds, futility, r)

    scale = solve_decreasing(size, spec.alpha, low=0.0, high=8.0)
    return [scale * s for s in shape]


def total_crossing(spec: DesignSpec, bounds: Sequence[float], futility: Sequence[float],
                   r: int = GRID_R) -> float:
    """P_0(reject at any stage) with binding ``futility`` where the spec says so."""
    lower = h0_lower_bounds(spec, bounds, futility)
    probs = crossing_probabilities(spec.rates, lower, bounds, 0.0, r)
    total = float(probs.upper.sum())
    if spec.sided == 2:
        total += float(probs.lower.sum())
    return total


def h0_lower_bounds(spec: DesignSpec, bounds: Sequence[float], futility: Sequence[float]) -> list[float]:
    """Lower bounds that stop a path under H0: -c (two-sided), binding futility, or none."""
    lower = [_continuation_lower(spec, k, futility, c) for k, c in enumerate(bounds)]
    if spec.sided == 1:
        lower[-1] = -math.inf
    return lower


def alpha_spent(spec: DesignSpec, bounds: Sequence[float], futility: Sequence[float],
                r: int = GRID_R) -> list[float]:
    """Cumulative alpha spent by stage (rpact ``alphaSpent``)."""
    lower = h0_lower_bounds(spec, bounds, futility)
    probs = crossing_probabilities(spec.rates, lower, bounds, 0.0, r)
    per_stage = probs.upper + (probs.lower if spec.sided == 2 else 0.0)
    out: list[float] = []
    running = 0.0
    for p in per_stage:
        running += float(p)
        out.append(running)
    return out
