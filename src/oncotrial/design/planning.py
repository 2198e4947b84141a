"""One call per endpoint that plans a trial: bounds, characteristics, sample size and power curve.

These are what ``oncotrial design`` shows; each result has ``to_dict`` for JSON. The effect-scale
bounds follow rpact (``criticalValuesEffectScale``): for survival, the hazard ratio at the efficacy
bound with :math:`D_k` events is :math:`\\exp(-c_k(1+r)/\\sqrt{r D_k})` (Schoenfeld's relation, for a
hazard ratio below 1); for rates, the observed difference at the bound is
:math:`c_k\\,\\sigma_0/\\sqrt{n_{1,k}}` with the null standard deviation :math:`\\sigma_0` of
:mod:`oncotrial.design.rates`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from oncotrial.design.accrual import Accrual
from oncotrial.design.characteristics import DesignCharacteristics, design_characteristics
from oncotrial.design.exact_rates import ExactSampleSize, ExactTest, exact_power, exact_sample_size
from oncotrial.design.group_sequential import GroupSequentialDesign, design_group_sequential
from oncotrial.design.power_curve import PowerCurve, rates_power_curve, survival_power_curve
from oncotrial.design.rates import RatesSampleSize, Variance, power_rates, sample_size_rates, sigmas
from oncotrial.design.specification import DesignSpec
from oncotrial.design.survival import SurvivalMethod, SurvivalSampleSize, sample_size_survival


@dataclass(frozen=True, slots=True)
class SurvivalPlan:
    """A survival design: bounds, characteristics, events and patients, power curve."""

    design: GroupSequentialDesign
    characteristics: DesignCharacteristics
    sample_size: SurvivalSampleSize
    accrual: Accrual
    hazard_ratio_at_bound: tuple[float | None, ...]
    power_curve: PowerCurve

    def to_dict(self) -> dict[str, Any]:
        return {"endpoint": "survival", "design": self.design.to_dict(),
                "characteristics": self.characteristics.to_dict(), "sample_size": self.sample_size.to_dict(),
                "accrual": {"accrual_time": self.accrual.accrual_time,
                            "follow_up_time": self.accrual.follow_up_time,
                            "allocation_ratio": self.accrual.allocation_ratio,
                            "dropout_hazard_experimental": self.accrual.dropout_experimental,
                            "dropout_hazard_control": self.accrual.dropout_control},
                "hazard_ratio_at_bound": list(self.hazard_ratio_at_bound),
                "power_curve": self.power_curve.to_dict()}


def plan_survival(spec: DesignSpec, hazard_control: float, hazard_ratio: float, accrual: Accrual,
                  method: SurvivalMethod = SurvivalMethod.SCHOENFELD) -> SurvivalPlan:
    """Plan a log-rank design for ``hazard_ratio`` with control hazard ``hazard_control``."""
    design = design_group_sequential(spec)
    size = sample_size_survival(design, hazard_control, hazard_ratio, accrual, method)
    r = accrual.allocation_ratio
    sign = -1.0 if hazard_ratio < 1 else 1.0
    hr_bounds = tuple(math.exp(sign * c * (1 + r) / math.sqrt(r * d)) if math.isfinite(c) else None
                      for c, d in zip(design.critical_values, size.events_per_stage, strict=True))
    curve = survival_power_curve(design, size.max_events, hazard_ratio, r,
                                 SurvivalMethod.SCHOENFELD if method.is_lachin_foulkes else method)
    return SurvivalPlan(design, design_characteristics(design), size, accrual, hr_bounds, curve)


@dataclass(frozen=True, slots=True)
class RatesPlan:
    """A two-rate design: normal-approximation sample size, power at a given N, exact results."""

    design: GroupSequentialDesign
    characteristics: DesignCharacteristics
    sample_size: RatesSampleSize
    n_total: float
    power_normal: float
    exact_test: ExactTest | None
    power_exact: float | None
    exact_sample_size: ExactSampleSize | None
    difference_at_bound: tuple[float | None, ...]
    power_curve: PowerCurve

    def to_dict(self) -> dict[str, Any]:
        return {"endpoint": "rates", "design": self.design.to_dict(),
                "characteristics": self.characteristics.to_dict(), "sample_size": self.sample_size.to_dict(),
                "power": {"n_total": self.n_total, "normal": self.power_normal,
                          "exact_test": None if self.exact_test is None else self.exact_test.value,
                          "exact": self.power_exact},
                "exact_sample_size": (None if self.exact_sample_size is None
                                      else self.exact_sample_size.to_dict()),
                "difference_at_bound": list(self.difference_at_bound),
                "power_curve": self.power_curve.to_dict()}


def plan_rates(spec: DesignSpec, p1: float, p2: float, n_total: float | None = None,
               allocation_ratio: float = 1.0, variance: Variance = Variance.POOLED,
               exact: ExactTest | None = None) -> RatesPlan:
    """Plan a comparison of ``p1`` (experimental) with ``p2``; power at ``n_total`` (default: the planned N).

    Exact results (power at ``n_total`` and the exact sample size) are computed for fixed designs
    (``k_max = 1``) when ``exact`` names a test.
    """
    design = design_group_sequential(spec)
    size = sample_size_rates(design, p1, p2, allocation_ratio, variance)
    n = size.max_subjects if n_total is None else n_total
    power = power_rates(design, p1, p2, n, allocation_ratio, variance)
    power_exact = None
    exact_size = None
    if exact is not None and spec.k_max == 1:
        n2 = round(n / (1 + allocation_ratio))
        power_exact = exact_power(p1, p2, round(n) - n2, n2, spec.alpha, spec.sided, exact)
        exact_size = exact_sample_size(p1, p2, spec.alpha, spec.beta, spec.sided, allocation_ratio, exact)
    r = allocation_ratio
    sigma0 = sigmas(p1, p2, r, variance)[0]
    diff = tuple(c * sigma0 / math.sqrt(n * t * r / (1 + r)) if math.isfinite(c) else None
                 for c, t in zip(design.critical_values, design.information_rates, strict=True))
    curve = rates_power_curve(design, p1, p2, n, allocation_ratio, variance, exact)
    return RatesPlan(design, design_characteristics(design), size, n, power, exact, power_exact, exact_size,
                     diff, curve)
