"""Power of a planned design over a range of true effects (the power curve).

For survival the design's maximum events :math:`D_{max}` are fixed and the drift of the log-rank
statistic at hazard ratio :math:`\\psi` is :func:`oncotrial.design.survival.events_drift`; for rates the
total patients :math:`N` are fixed and the drift is :func:`oncotrial.design.rates.rates_drift`.
Each point is the exact boundary-crossing probability of the group sequential design at that drift
(:mod:`oncotrial.design.integration`), counting both sides for two-sided designs, as rpact
``getPowerSurvival`` / ``getPowerRates``. Exact (enumerated) power for rates is added on request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from oncotrial.design.characteristics import stage_probabilities
from oncotrial.design.exact_rates import ExactTest, exact_power
from oncotrial.design.group_sequential import GroupSequentialDesign
from oncotrial.design.rates import Variance, rates_drift
from oncotrial.design.survival import SurvivalMethod, events_drift


@dataclass(frozen=True, slots=True)
class PowerCurve:
    """Power at each effect ``x``; ``series`` maps a label to powers (one per ``x``)."""

    x_label: str
    x: tuple[float, ...]
    series: dict[str, tuple[float, ...]]
    planned_x: float
    title: str
    notes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"x_label": self.x_label, "x": list(self.x), "planned": self.planned_x, "title": self.title,
                "series": {k: list(v) for k, v in self.series.items()}}


def survival_power_curve(design: GroupSequentialDesign, max_events: float, planned_hr: float,
                         allocation_ratio: float = 1.0, method: SurvivalMethod = SurvivalMethod.SCHOENFELD,
                         points: int = 41) -> PowerCurve:
    """Power against the hazard ratio from ``planned_hr**1.5`` (or 0.3) to 1 with ``max_events`` events."""
    low = min(planned_hr**1.5, 0.95) if planned_hr < 1 else 1.0 / max(planned_hr**1.5, 1.05)
    grid = np.linspace(low, 1.0, points) if planned_hr < 1 else np.linspace(1.0, 1.0 / low, points)
    powers = []
    for hr in grid:
        drift = 0.0 if hr == 1.0 else events_drift(float(hr), max_events, allocation_ratio, method)
        powers.append(stage_probabilities(design, drift, two_sided_power=True).power)
    return PowerCurve("hazard ratio (experimental / control)", tuple(float(h) for h in grid),
                      {"normal approximation": tuple(powers)}, planned_hr,
                      f"Power with {max_events:.1f} events ({_label(design)})")


def rates_power_curve(design: GroupSequentialDesign, p1: float, p2: float, n_total: float,
                      allocation_ratio: float = 1.0, variance: Variance = Variance.POOLED,
                      exact: ExactTest | None = None, points: int = 31) -> PowerCurve:
    """Power against the experimental rate from ``p2`` to beyond ``p1`` with ``n_total`` patients."""
    end = p2 + 1.6 * (p1 - p2)
    end = min(max(end, 0.01), 0.99)
    grid = np.linspace(p2, end, points)
    spec = design.spec
    normal = []
    for q in grid:
        drift = 0.0 if q == p2 else rates_drift(float(q), p2, n_total, spec.alpha, spec.sided,
                                                allocation_ratio, variance)
        normal.append(stage_probabilities(design, drift, two_sided_power=True).power)
    series = {f"normal approximation ({variance.value})": tuple(normal)}
    if exact is not None and spec.k_max == 1:
        n2 = round(n_total / (1 + allocation_ratio))
        n1 = round(n_total) - n2
        exact_values = [exact_power(float(q), p2, n1, n2, spec.alpha, spec.sided, exact) for q in grid]
        series[f"exact ({exact.value})"] = tuple(exact_values)
    return PowerCurve(f"experimental rate p1 (control p2 = {p2:.3g})", tuple(float(q) for q in grid), series,
                      p1, f"Power with N = {n_total:.0f} ({_label(design)})")


def _label(design: GroupSequentialDesign) -> str:
    spec = design.spec
    if spec.k_max == 1:
        return f"fixed design, {spec.sided}-sided alpha {spec.alpha:g}"
    return f"{spec.type_of_design.value}, K = {spec.k_max}, {spec.sided}-sided alpha {spec.alpha:g}"
