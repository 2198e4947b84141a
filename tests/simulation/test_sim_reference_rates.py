"""Type I error and power of the fixed and 3-look designs against long independent reference runs.

The references (4,000,000 trials each) were produced by :func:`independent_reference` below: NumPy's
``default_rng`` (not Philox), ``np.sort`` for the cuts and a textbook log-rank, sharing no code
with the engines (``python tests/simulation/test_sim_reference_rates.py`` regenerates them, about
10 minutes). Our engine runs 400,000 trials; each rate must lie within 4 combined Monte Carlo SEs.
Note that the log-rank test's exact type I error here is about 0.026, not the nominal 0.025.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from oncotrial.simulation.runner import characteristics
from oncotrial.simulation.scenario_loading import load_scenario

REFERENCE_TRIALS = 4_000_000
OURS = 400_000
# design -> hazard ratio -> (rejection by look, expected events)
REFERENCE = {
    "benchmark-fixed": {1.0: ((0.02604125,), 90.0), 0.6: ((0.671414,), 90.0)},
    "benchmark-gs3": {1.0: ((0.00013, 0.0064015, 0.0195975), 89.800155),
                      0.6: ((0.0101905, 0.28343675, 0.3718585), 80.8854675)},
}
EVENTS_SD = {("benchmark-gs3", 1.0): 2.4878528847127592, ("benchmark-gs3", 0.6): 14.446597257016721}


def _se(p: float) -> float:
    return math.sqrt(p * (1 - p) * (1 / REFERENCE_TRIALS + 1 / OURS))


@pytest.mark.parametrize(("design", "hr"), [(d, h) for d in REFERENCE for h in (1.0, 0.6)])
def test_rejection_rates_match_long_reference_runs(design: str, hr: float) -> None:
    s = load_scenario(builtin=design)
    s = (s.under_null() if hr == 1.0 else s).with_replications(OURS, 777)
    oc = characteristics(s)
    by_look, events = REFERENCE[design][hr]
    ours = oc.acc.reject / oc.trials
    for k, ref in enumerate(by_look):
        assert abs(ours[k] - ref) <= 4 * _se(ref), (design, hr, k, ours[k], ref)
    total = sum(by_look)
    assert abs(ours.sum() - total) <= 4 * _se(total)
    sd = EVENTS_SD.get((design, hr), 0.0)
    mean_events = oc.acc.stop_sums[0, 0] / oc.trials
    assert abs(mean_events - events) <= 4 * sd * math.sqrt(1 / REFERENCE_TRIALS + 1 / OURS) + 1e-9


def independent_reference(looks: list[int], bounds: list[float], hr: float, trials: int, seed: int
                          ) -> tuple[list[float], float, float]:
    """Rejection by look, mean and SD of events at stop (rpact conventions, n = 120, median 6, accrual 24)."""
    rng = np.random.default_rng(seed)
    n, lam = 120, math.log(2) / 6.0
    arm = np.broadcast_to((np.arange(n) % 2 == 0).astype(float), (20_000, n))
    entry = np.broadcast_to(np.arange(1, n + 1) * 24.0 / n, (20_000, n))
    rej = np.zeros(len(looks))
    ev_sum = ev_sq = 0.0
    for _ in range(trials // 20_000):
        cal = entry + rng.standard_exponential((20_000, n)) / (lam * np.where(arm == 1, hr, 1.0))
        srt = np.sort(cal, axis=1)
        z = []
        for d in looks:
            cut = srt[:, d - 1: d]
            inc = entry <= cut
            obs = np.where(inc, np.minimum(cal, cut) - entry, np.inf)
            o = np.argsort(obs, axis=1)
            e, g, i = (np.take_along_axis(a, o, 1) for a in (cal <= cut, arm, inc))
            r1 = np.cumsum((g * i)[:, ::-1], 1)[:, ::-1]
            r = np.cumsum(i[:, ::-1], 1)[:, ::-1]
            p1 = r1 / np.maximum(r, 1)
            z.append(-(e * (g - p1)).sum(1) / np.sqrt((e * p1 * (1 - p1)).sum(1)))
        cross = np.stack(z, 1) >= np.array(bounds)
        first = np.where(cross.any(1), cross.argmax(1), -1)
        rej += [(first == k).sum() for k in range(len(looks))]
        events = np.array(looks)[np.where(first >= 0, first, len(looks) - 1)]
        ev_sum += events.sum()
        ev_sq += (events * events).sum()
    mean = ev_sum / trials
    return list(rej / trials), mean, math.sqrt(ev_sq / trials - mean * mean)


if __name__ == "__main__":  # regenerate REFERENCE and EVENTS_SD
    designs = {"benchmark-fixed": ([90], [1.9599639845400545]),
               "benchmark-gs3": ([30, 60, 90], [3.7103028732624996, 2.511427478287056, 1.9930474781774763])}
    for name, (lk, b) in designs.items():
        for h in (1.0, 0.6):
            seed = 20240917 + len(lk) * 10 + int(h * 10)
            print(name, h, independent_reference(lk, b, h, REFERENCE_TRIALS, seed))
