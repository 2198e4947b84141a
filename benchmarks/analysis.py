"""Analysis speed: the full analysis of a 120-patient trial, and KM + log-rank + Cox on
100,000 patients, next to lifelines doing the same work. Prints figures; asserts nothing.

Run: ``.venv/bin/python benchmarks/analysis.py``.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from oncotrial.analysis.cox import CoxPH
from oncotrial.analysis.kaplan_meier import KaplanMeierFitter
from oncotrial.analysis.logrank import survdiff
from oncotrial.analysis.trial_analysis import analyze_trial
from oncotrial.analysis.trial_report import write_report
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.protocol_files import load_default_protocol
from oncotrial.simulation.trial_outcomes import simulated_trial


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def ours_core(t: np.ndarray, e: np.ndarray, g: np.ndarray) -> None:
    for arm in (0, 1):
        KaplanMeierFitter().fit(t[g == arm], e[g == arm])
    survdiff(t, e, g)
    CoxPH().fit(t, e, pd.DataFrame({"arm": g.astype(float)}))


def lifelines_core(t: np.ndarray, e: np.ndarray, g: np.ndarray) -> None:
    from lifelines import CoxPHFitter, KaplanMeierFitter
    from lifelines.statistics import logrank_test

    for arm in (0, 1):
        KaplanMeierFitter().fit(t[g == arm], e[g == arm])
    logrank_test(t[g == 0], t[g == 1], e[g == 0], e[g == 1])
    CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "arm": g}), "t", "e")


def main() -> None:
    warnings.simplefilter("ignore")
    data = trial_data_from_mapping(simulated_trial())
    protocol = load_default_protocol()
    estimators = best_of(lambda: analyze_trial(data, protocol=protocol))
    with tempfile.TemporaryDirectory() as tmp:
        full = best_of(lambda: write_report(analyze_trial(data, protocol=protocol), Path(tmp)), repeat=1)
    rows = analyze_trial(data).pfs.rows
    t120 = np.array([r.time_days for r in rows], float)
    e120 = np.array([r.event for r in rows], bool)
    g120 = np.array([r.arm == "HAIC" for r in rows], int)
    print("SIMULATED data (not results of NCT07304388)")
    print(f"120-patient trial, every endpoint (estimators only):     {estimators:8.3f} s")
    print(f"120-patient trial, every endpoint + 7 figures + HTML:     {full:8.3f} s")
    print(f"120-patient KM+log-rank+Cox  ours: {best_of(lambda: ours_core(t120, e120, g120)):8.4f} s"
          f"   lifelines: {best_of(lambda: lifelines_core(t120, e120, g120)):8.4f} s")
    rng = np.random.default_rng(1)
    n = 100_000
    g = rng.integers(0, 2, n)
    t = np.round(rng.exponential(np.where(g == 1, 12.0, 9.0)), 2)
    c = rng.uniform(0, 30, n)
    e = t <= c
    t = np.minimum(t, c)
    ours = best_of(lambda: ours_core(t, e, g))
    theirs = best_of(lambda: lifelines_core(t, e, g), repeat=1)
    print(f"100,000 patients KM+log-rank+Cox  ours: {ours:8.3f} s   lifelines: {theirs:8.3f} s"
          f"   ({theirs / ours:.1f}x)")


if __name__ == "__main__":
    main()
