"""Operating characteristics of a simulated design, with Monte Carlo standard errors.

For a proportion :math:`\\hat p` over :math:`N` trials the Monte Carlo SE is
:math:`\\sqrt{\\hat p (1 - \\hat p) / N}`; for a mean it is the sample SD over :math:`\\sqrt N`.
Quantiles come from fixed-bin histograms (log HR bins of 0.005, time bins of 0.05 months).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from oncotrial.simulation.accumulator import LOG_HR_BINS, TIME_BINS, Accumulator
from oncotrial.simulation.scenario import ESTIMATE_LABEL, Scenario

SIMULATED_LABEL = "SIMULATED: operating characteristics of a hypothetical design, not trial results"


def _prop(count: float, n: int) -> dict[str, float]:
    p = count / n if n else math.nan
    return {"estimate": p, "mc_se": math.sqrt(p * (1 - p) / n) if n else math.nan}


def _mean(total: float, squares: float, n: int) -> dict[str, float]:
    if n == 0:
        return {"estimate": math.nan, "mc_se": math.nan}
    mean = total / n
    var = max(squares / n - mean * mean, 0.0) * n / max(n - 1, 1)
    return {"estimate": mean, "mc_se": math.sqrt(var / n)}


def _quantiles(hist: np.ndarray, edges: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """Quantiles from a histogram whose bin ``i`` (1..len(edges)-1) spans ``edges[i-1], edges[i]``."""
    total = hist.sum()
    if total == 0:
        return [math.nan for _ in qs]
    cum = np.cumsum(hist)
    out = []
    for q in qs:
        i = int(np.searchsorted(cum, q * total, side="left"))
        if i == 0:
            out.append(-math.inf)
        elif i >= edges.size:
            out.append(math.inf)
        else:
            before = cum[i - 1]
            frac = (q * total - before) / hist[i] if hist[i] else 0.0
            out.append(float(edges[i - 1] + frac * (edges[i] - edges[i - 1])))
    return out


@dataclass
class OperatingCharacteristics:
    """What a statistician reads off a simulation, built from an :class:`Accumulator`."""

    scenario: Scenario
    acc: Accumulator
    engine: str
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def trials(self) -> int:
        return self.acc.trials

    @property
    def rejection(self) -> dict[str, float]:
        """P(reject H0) at any look: power, or type I error under H0."""
        return _prop(float(self.acc.reject.sum()), self.trials)

    def to_dict(self) -> dict[str, Any]:
        a, s, n = self.acc, self.scenario, self.trials
        k_max = a.k_max
        looks = []
        for k in range(k_max):
            r = int(a.reached[k])
            looks.append({
                "look": k + 1, "planned": s.analysis.looks[k], "efficacy_z": s.bounds.efficacy[k],
                "futility_z": s.bounds.futility_at(k) if k < k_max - 1 and
                math.isfinite(s.bounds.futility_at(k)) else None,
                "reject": _prop(float(a.reject[k]), n), "futility_stop": _prop(float(a.futility[k]), n),
                "reached": _prop(float(r), n),
                "mean_time": _mean(a.look_time[0, k], a.look_time[1, k], r),
                "mean_events": _mean(a.look_events[0, k], a.look_events[1, k], r),
                "events_not_reached": _prop(float(a.short[k]), n),
                "cumulative_reject": float(a.reject[: k + 1].sum()) / n if n else math.nan,
            })
        tests = [{"test": t.value, "primary": j == 0, "estimate": ESTIMATE_LABEL[t],
                  "reject_at_stopping_look": _prop(float(a.test_reject_final[j]), n),
                  "reject_by_look": [float(a.test_reject_look[k, j]) / max(int(a.reached[k]), 1)
                                     for k in range(k_max)]}
                 for j, t in enumerate(s.analysis.tests)]
        out: dict[str, Any] = {
            "label": SIMULATED_LABEL if s.simulated else "simulation", "scenario": s.describe(),
            "engine": self.engine, "trials": n, "seconds": self.seconds,
            "trials_per_second": n / self.seconds if self.seconds > 0 else None,
            "reject_h0": self.rejection,
            "early_stop": _prop(float((a.reject[:-1] + a.futility[:-1]).sum()), n),
            "looks": looks,
            "expected": {name: _mean(a.stop_sums[0, i], a.stop_sums[1, i], n)
                         for i, name in enumerate(("events", "duration_months", "sample_size"))},
            "tests": tests, "analysis_time": self._time_distribution(),
            "hazard_ratio": self._hr_distribution(),
        }
        out.update(self.extra)
        return out

    def _time_distribution(self) -> dict[str, float]:
        q = _quantiles(self.acc.time_hist, TIME_BINS, (0.025, 0.25, 0.5, 0.75, 0.975))
        return dict(zip(("q025", "q25", "median", "q75", "q975"), q, strict=True))

    def _hr_distribution(self) -> dict[str, Any] | None:
        a = self.acc
        if a.hr_test < 0:
            return None
        cnt, tot, sq = a.log_hr_sums
        q = _quantiles(a.log_hr_hist, LOG_HR_BINS, (0.025, 0.5, 0.975))
        mean = tot / cnt if cnt else math.nan
        return {"source": self.scenario.analysis.tests[a.hr_test].value, "at": "stopping look",
                "mean_log_hr": mean,
                "sd_log_hr": math.sqrt(max(sq / cnt - mean * mean, 0.0)) if cnt else math.nan,
                "median_hr": math.exp(q[1]), "q025_hr": math.exp(q[0]), "q975_hr": math.exp(q[2]),
                "infinite_estimates": int(a.log_hr_hist.sum() - cnt)}

    @property
    def summary(self) -> pd.DataFrame:
        """One row per quantity: estimate and Monte Carlo SE."""
        d = self.to_dict()
        rows = [("P(reject H0)", "all looks", *d["reject_h0"].values())]
        for lk in d["looks"]:
            rows.append(("reject at look", str(lk["look"]), *lk["reject"].values()))
            if lk["futility_z"] is not None:
                rows.append(("futility stop at look", str(lk["look"]), *lk["futility_stop"].values()))
            rows.append(("mean analysis time (months)", str(lk["look"]), *lk["mean_time"].values()))
            rows.append(("mean events", str(lk["look"]), *lk["mean_events"].values()))
        for name, v in d["expected"].items():
            rows.append((f"expected {name.replace('_', ' ')}", "at stop", *v.values()))
        for t in d["tests"]:
            rows.append((f"reject by {t['test']}", "stopping look", *t["reject_at_stopping_look"].values()))
        return pd.DataFrame(rows, columns=["quantity", "look", "estimate", "mc_se"])
