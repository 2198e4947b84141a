"""Operating characteristics of a group sequential design (rpact ``getDesignCharacteristics``).

For drift :math:`\\delta` (mean of :math:`Z_K`), stage-wise probabilities of rejecting (upper bound)
and of stopping for futility come from :mod:`oncotrial.design.integration`; futility bounds always
stop a path here, binding or not (rpact's convention, which makes the power conservative for
non-binding bounds). Then, with the fixed-design information
:math:`n_{fix} = (z_{1-\\alpha/s} + z_{1-\\beta})^2` (Jennison & Turnbull 2000, §2.3):

* the maximum information :math:`\\delta_1^2` ("shift") solves power(:math:`\\delta_1`) = :math:`1-\\beta`,
  where power counts the upper bound only (rpact ``twoSidedPower = FALSE``);
* the inflation factor is :math:`\\delta_1^2/n_{fix}` (Jennison & Turnbull 2000, Tables 2.1–2.4);
* the expected information, relative to the fixed design (rpact ``averageSampleNumber``), is
  :math:`\\big(1 - \\sum_{k<K} P(\\text{stop at } k)(1 - t_k)\\big)\\,\\delta_1^2/n_{fix}`
  under :math:`H_1` (:math:`\\delta_1`), :math:`H_0` (0) and half-way (:math:`\\delta_1/2`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtri

from oncotrial.design.group_sequential import GroupSequentialDesign
from oncotrial.design.integration import GRID_R, crossing_probabilities
from oncotrial.design.specification import NO_FUTILITY


@dataclass(frozen=True, slots=True)
class StageProbabilities:
    """Probabilities of the design at one drift: rejection and futility stop per stage."""

    drift: float
    reject: tuple[float, ...]
    futility: tuple[float, ...]
    expected_information_fraction: float

    @property
    def power(self) -> float:
        return float(sum(self.reject))


def stage_probabilities(design: GroupSequentialDesign, drift: float, two_sided_power: bool = False,
                        r: int = GRID_R) -> StageProbabilities:
    """Rejection (upper bound) and stopping probabilities of ``design`` when :math:`E Z_K = ` ``drift``.

    For a two-sided design a crossing of the lower bound :math:`-c_k` stops the trial; it counts as
    a rejection with ``two_sided_power`` (rpact ``getPowerAndAverageSampleNumber``) and is listed
    under ``futility`` otherwise (rpact ``getDesignCharacteristics``, ``twoSidedPower = FALSE``).
    """
    spec = design.spec
    rates = design.information_rates
    bounds = [min(c, 7.5) for c in design.critical_values]  # rpact caps bounds at 7.5 here
    if spec.sided == 2:
        lower = [-c for c in bounds]
    else:
        lower = [f if f > NO_FUTILITY else -math.inf for f in design.futility_bounds] + [-math.inf]
    probs = crossing_probabilities(rates, lower, bounds, drift, r)
    stop = probs.upper + probs.lower
    expected = 1.0 - float(np.sum(stop[:-1] * (1.0 - np.asarray(rates[:-1]))))
    if two_sided_power and spec.sided == 2:
        return StageProbabilities(drift, tuple(float(x) for x in stop), (0.0,) * spec.k_max, expected)
    return StageProbabilities(drift, tuple(float(x) for x in probs.upper),
                              tuple(float(x) for x in probs.lower), expected)


@dataclass(frozen=True, slots=True)
class DesignCharacteristics:
    """rpact ``getDesignCharacteristics``: information multipliers and stage probabilities under H1."""

    n_fixed: float
    shift: float
    inflation_factor: float
    information: tuple[float, ...]
    power: tuple[float, ...]
    rejection_probabilities: tuple[float, ...]
    futility_probabilities: tuple[float, ...]
    average_sample_number_h1: float
    average_sample_number_h01: float
    average_sample_number_h0: float

    def to_dict(self) -> dict[str, Any]:
        return {name: (list(v) if isinstance(v, tuple) else v)
                for name, v in ((n, getattr(self, n)) for n in self.__dataclass_fields__)}


def fixed_information(alpha: float, beta: float, sided: int) -> float:
    """:math:`(z_{1-\\alpha/s} + z_{1-\\beta})^2`, the information of the fixed design for drift 1."""
    return float((ndtri(1.0 - alpha / sided) + ndtri(1.0 - beta)) ** 2)


def design_characteristics(design: GroupSequentialDesign, r: int = GRID_R) -> DesignCharacteristics:
    """Inflation factor, expected information and stage probabilities of ``design``."""
    spec = design.spec
    n_fixed = fixed_information(spec.alpha, spec.beta, spec.sided)
    if spec.k_max == 1:
        return DesignCharacteristics(n_fixed, n_fixed, 1.0, (n_fixed,), (1 - spec.beta,), (1 - spec.beta,),
                                     (), 1.0, 1.0, 1.0)
    target = 1.0 - spec.beta

    def gap(drift: float) -> float:
        return stage_probabilities(design, drift, r=r).power - target

    high = 2.0 * math.sqrt(n_fixed)
    while gap(high) < 0 and high < 100:
        high *= 2.0
    drift = float(brentq(gap, 0.0, high, xtol=1e-12, maxiter=200))
    shift = drift**2
    h1 = stage_probabilities(design, drift, r=r)
    h01 = stage_probabilities(design, drift / 2.0, r=r)
    h0 = stage_probabilities(design, 0.0, r=r)
    cumulative = tuple(float(x) for x in np.cumsum(h1.reject))
    futility = h1.futility[:-1] if spec.sided == 1 else (0.0,) * (spec.k_max - 1)
    return DesignCharacteristics(
        n_fixed=n_fixed, shift=shift, inflation_factor=shift / n_fixed,
        information=tuple(t * shift for t in design.information_rates), power=cumulative,
        rejection_probabilities=h1.reject, futility_probabilities=futility,
        average_sample_number_h1=h1.expected_information_fraction * shift / n_fixed,
        average_sample_number_h01=h01.expected_information_fraction * shift / n_fixed,
        average_sample_number_h0=h0.expected_information_fraction * shift / n_fixed)
