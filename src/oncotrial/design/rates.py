"""Sample size and power for the difference of two rates by the normal approximation.

The endpoint is a rate such as the 6-month PFS rate: :math:`p_1` (experimental) against :math:`p_2`
(control), :math:`\\Delta = p_1 - p_2`, allocation :math:`r = n_1/n_2`, :math:`N = n_1 + n_2`. The test is
:math:`Z = \\hat\\Delta / \\widehat{se}`, with

* ``pooled`` variance (rpact ``getSampleSizeRates``/``getPowerRates`` with ``thetaH0 = 0``: the
  Farrington–Manning restricted estimate reduces to the pooled rate
  :math:`\\bar p = (r p_1 + p_2)/(1+r)`): :math:`\\sigma_0^2 = \\bar p(1-\\bar p)(1 + r)` per :math:`n_1`;
* ``unpooled`` (Wald) variance: :math:`\\sigma_0^2 = \\sigma_1^2`;

and :math:`\\sigma_1^2 = p_1(1-p_1) + r\\,p_2(1-p_2)` per :math:`n_1` under the alternative. Then
(Fleiss, Levin & Paik, *Statistical Methods for Rates and Proportions*, 3rd ed., §4.2)

.. math::

    n_1 = \\frac{(z_{1-\\alpha/s}\\sigma_0 + z_{1-\\beta}\\sigma_1)^2}{\\Delta^2}, \\qquad
    \\text{power} = \\Phi\\!\\left(\\frac{|\\Delta|\\sqrt{n_1} - z_{1-\\alpha/s}\\sigma_0}{\\sigma_1}\\right)
    \\;(\\text{one-sided}).

rpact's power treats the mean of :math:`Z` as the drift
:math:`\\delta = |\\Delta|\\sqrt{n_1}/\\sigma_1 + z_{1-\\alpha/s}(1 - \\sigma_0/\\sigma_1)` and applies the
design's bounds to it, which is what :func:`power_rates` does for group sequential designs; a group
sequential sample size is the fixed one times the inflation factor. No continuity correction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from scipy.special import ndtri

from oncotrial.core.errors import DomainError
from oncotrial.design.characteristics import design_characteristics, stage_probabilities
from oncotrial.design.group_sequential import GroupSequentialDesign


class Variance(StrEnum):
    """Variance of the rate difference under H0."""

    POOLED = "pooled"
    UNPOOLED = "unpooled"


def check_rates(p1: float, p2: float, allocation_ratio: float = 1.0, allow_equal: bool = False) -> None:
    """Rates strictly between 0 and 1, different (unless ``allow_equal``), a positive allocation ratio."""
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 < p < 1:
            raise DomainError(name, p, "a rate strictly between 0 and 1")
    if p1 == p2 and not allow_equal:
        raise DomainError("p1", p1, "a rate different from p2 (no effect to power for)")
    if not allocation_ratio > 0:
        raise DomainError("allocation_ratio", allocation_ratio, "a positive ratio n1/n2")


def sigmas(p1: float, p2: float, r: float, variance: Variance) -> tuple[float, float]:
    """:math:`(\\sigma_0, \\sigma_1)`, the standard deviations per :math:`\\sqrt{n_1}` under H0 and H1."""
    sigma1 = math.sqrt(p1 * (1 - p1) + r * p2 * (1 - p2))
    if variance is Variance.UNPOOLED:
        return sigma1, sigma1
    pbar = (r * p1 + p2) / (1 + r)
    return math.sqrt(pbar * (1 - pbar) * (1 + r)), sigma1


@dataclass(frozen=True, slots=True)
class RatesSampleSize:
    """Patients for a two-rate comparison (rpact ``getSampleSizeRates`` names)."""

    p1: float
    p2: float
    variance: Variance
    n_fixed: float
    inflation_factor: float
    max_subjects: float
    max_subjects_experimental: float
    max_subjects_control: float
    subjects_per_stage: tuple[float, ...]
    expected_subjects_h0: float
    expected_subjects_h01: float
    expected_subjects_h1: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {n: getattr(self, n) for n in self.__dataclass_fields__}
        out["variance"] = self.variance.value
        out["subjects_per_stage"] = list(self.subjects_per_stage)
        return out


def sample_size_rates(design: GroupSequentialDesign, p1: float, p2: float, allocation_ratio: float = 1.0,
                      variance: Variance = Variance.POOLED) -> RatesSampleSize:
    """Total patients :math:`N` (not rounded) for power :math:`1-\\beta` with ``design``."""
    check_rates(p1, p2, allocation_ratio)
    spec = design.spec
    r = allocation_ratio
    n_fixed = normal_subjects_control(p1, p2, spec.alpha, spec.beta, spec.sided, r, variance) * (1 + r)
    chars = design_characteristics(design)
    n_max = n_fixed * chars.inflation_factor
    q1 = r / (1 + r)
    return RatesSampleSize(
        p1=p1, p2=p2, variance=variance, n_fixed=n_fixed, inflation_factor=chars.inflation_factor,
        max_subjects=n_max, max_subjects_experimental=n_max * q1, max_subjects_control=n_max * (1 - q1),
        subjects_per_stage=tuple(n_max * t for t in design.information_rates),
        expected_subjects_h0=chars.average_sample_number_h0 * n_fixed,
        expected_subjects_h01=chars.average_sample_number_h01 * n_fixed,
        expected_subjects_h1=chars.average_sample_number_h1 * n_fixed)


def normal_subjects_control(p1: float, p2: float, alpha: float, beta: float, sided: int = 1,
                            allocation_ratio: float = 1.0, variance: Variance = Variance.POOLED) -> float:
    """Control-arm patients :math:`n_2 = n_1/r` of the fixed design (formula above)."""
    s0, s1 = sigmas(p1, p2, allocation_ratio, variance)
    za, zb = float(ndtri(1 - alpha / sided)), float(ndtri(1 - beta))
    return (za * s0 + zb * s1) ** 2 / (p1 - p2) ** 2 / allocation_ratio


def rates_drift(p1: float, p2: float, n_total: float, alpha: float, sided: int, allocation_ratio: float = 1.0,
                variance: Variance = Variance.POOLED) -> float:
    """rpact's drift :math:`\\delta` of the rate-difference :math:`Z` with ``n_total`` patients."""
    r = allocation_ratio
    s0, s1 = sigmas(p1, p2, r, variance)
    n1 = n_total * r / (1 + r)
    za = float(ndtri(1 - alpha / sided))
    return abs(p1 - p2) * math.sqrt(n1) / s1 + za * (1 - s0 / s1)


def power_rates(design: GroupSequentialDesign, p1: float, p2: float, n_total: float,
                allocation_ratio: float = 1.0, variance: Variance = Variance.POOLED) -> float:
    """Power to reject in the direction of the effect with ``n_total`` patients (rpact ``getPowerRates``).

    A two-sided design counts rejections on both sides, as rpact.
    """
    check_rates(p1, p2, allocation_ratio)
    if not n_total > 0:
        raise DomainError("n_total", n_total, "a positive number of patients")
    spec = design.spec
    drift = rates_drift(p1, p2, n_total, spec.alpha, spec.sided, allocation_ratio, variance)
    return stage_probabilities(design, drift, two_sided_power=True).power
