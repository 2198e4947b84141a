"""Futility bounds by beta spending, binding or not, as rpact (one-sided designs).

For a drift :math:`\\delta` (the mean of :math:`Z_K` under the alternative), the futility bounds
spend :math:`\\beta^*(t)` under the alternative (Pampallona, Tsiatis & Kim, Stat Med 2001;
Jennison & Turnbull 2000, §7.3):

.. math::

    f_1 = \\Phi^{-1}(\\beta^*(t_1)) + \\delta\\sqrt{t_1}, \\qquad
    \\sum_{j \\le k} P_\\delta(\\text{continue to } j,\\ Z_j < f_j) = \\beta^*(t_k),

with continuation regions :math:`(f_j, c_j)`. The drift is then chosen so that the last futility
and efficacy bounds meet, :math:`f_K = c_K`, which makes the power exactly :math:`1-\\beta`.

* Non-binding: the efficacy bounds :math:`c_k` are the alpha-spending bounds without futility.
* Binding: for each trial drift the efficacy bound :math:`c_k` is recomputed under :math:`H_0`
  with the current binding futility bounds of the earlier stages.

rpact's numerical conventions are kept where they change a result: a futility bound is searched in
:math:`[-6, 5]` and bounds below :math:`-6` (``C_FUTILITY_BOUNDS_DEFAULT``) act as :math:`-6`
(``getDesignGroupSequentialBetaSpendingOneSidedCpp`` in ``src/f_design_group_sequential.cpp``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.optimize import brentq
from scipy.special import ndtri

from oncotrial.core.errors import DomainError
from oncotrial.design.boundaries import XTOL, efficacy_bound_at
from oncotrial.design.integration import (
    GRID_R,
    StageDensity,
    crossing_probabilities,
    first_stage,
    next_stage,
    tail_above,
    tail_below,
)
from oncotrial.design.specification import NO_FUTILITY, DesignSpec

FUTILITY_SEARCH = (NO_FUTILITY, 5.0)
DRIFT_SEARCH = (-4.0, 10.0)


@dataclass(frozen=True, slots=True)
class BetaSpendingResult:
    """Bounds of a beta-spending design and its drift :math:`\\delta` (rpact's ``shift``)."""

    critical_values: tuple[float, ...]
    futility_bounds: tuple[float, ...]
    drift: float
    beta_spent: tuple[float, ...]
    power: tuple[float, ...]


def _futility_at(density: StageDensity, t: float, drift: float, needed: float) -> float:
    """The futility bound that spends ``needed`` more beta at information ``t``."""
    low, high = FUTILITY_SEARCH

    def spent(f: float) -> float:
        return tail_below(density, t, drift, f)

    if spent(low) >= needed:
        return low
    if spent(high) <= needed:
        return high
    return float(brentq(lambda f: spent(f) - needed, low, high, xtol=XTOL, maxiter=200))


def _cumulative_beta(spec: DesignSpec) -> list[float]:
    spending = spec.futility_spending()
    assert spending is not None
    values = [spending.cumulative(spec.beta, t, 1) for t in spec.rates]
    values[-1] = spec.beta
    return values


def _sweep(spec: DesignSpec, drift: float, efficacy: list[float], binding: bool,
           r: int) -> list[float]:
    """Futility bounds for one drift; with ``binding`` the efficacy bounds are updated in place."""
    rates = spec.rates
    beta_cum = _cumulative_beta(spec)
    alpha_cum = [spec.alpha_spending().cumulative(spec.alpha, t, 1) for t in rates]
    alpha_cum[-1] = spec.alpha
    futility = [float(ndtri(beta_cum[0])) + drift * math.sqrt(rates[0])]
    f_eff = max(futility[0], NO_FUTILITY)
    h1 = first_stage(rates[0], drift, f_eff, efficacy[0], r)
    beta_spent = float(crossing_probabilities(rates[:1], [f_eff], [efficacy[0]], drift, r).lower[0])
    h0 = first_stage(rates[0], 0.0, f_eff, efficacy[0], r) if binding else None
    alpha_used = alpha_cum[0]
    for k in range(1, spec.k_max):
        t = rates[k]
        if binding and h0 is not None:
            efficacy[k] = efficacy_bound_at(spec, h0, t, alpha_cum[k] - alpha_used)
            alpha_used += tail_above(h0, t, 0.0, efficacy[k])
        f = _futility_at(h1, t, drift, beta_cum[k] - beta_spent)
        futility.append(f)
        beta_spent += tail_below(h1, t, drift, f)
        if k < spec.k_max - 1:
            h1 = next_stage(h1, t, drift, f, efficacy[k], r)
            if binding and h0 is not None:
                h0 = next_stage(h0, t, 0.0, f, efficacy[k], r)
    return futility


def beta_spending_design(spec: DesignSpec, efficacy: Sequence[float], r: int = GRID_R) -> BetaSpendingResult:
    """Futility bounds by beta spending; ``efficacy`` are the bounds without futility."""
    bounds = list(efficacy)
    binding = spec.binding_futility

    def gap(drift: float) -> float:
        futility = _sweep(spec, drift, bounds, binding, r)
        return futility[-1] - bounds[-1]

    low, high = DRIFT_SEARCH
    if gap(low) * gap(high) > 0:
        raise DomainError("beta_spending", spec.beta_spending.value,
                          "a design whose futility and efficacy bounds can meet",
                          "check alpha, beta and the spending parameters")
    drift = float(brentq(gap, low, high, xtol=XTOL, maxiter=200))
    futility = _sweep(spec, drift, bounds, binding, r)
    lower = [max(f, NO_FUTILITY) for f in futility[:-1]] + [bounds[-1]]
    probs = crossing_probabilities(spec.rates, lower, bounds, drift, r)
    beta_spent = _cumsum([float(x) for x in probs.lower])
    power = _cumsum([float(x) for x in probs.upper])
    return BetaSpendingResult(tuple(bounds), tuple(max(f, NO_FUTILITY) for f in futility[:-1]), drift,
                              tuple(beta_spent), tuple(power))


def _cumsum(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    running = 0.0
    for v in values:
        running += float(v)
        out.append(running)
    return out
