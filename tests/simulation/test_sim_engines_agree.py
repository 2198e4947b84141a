"""The NumPy and numba engines simulate the same trials from the same seed.

Decisions must be identical except where the primary z lies within 1e-9 of a bound (the engines
may differ by an ulp in ``log``); z-values, estimates, times and counts agree to round-off.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario_reader import parse_scenario

ALL_TESTS = ["logrank", "stratified_logrank", "fleming_harrington", "landmark_km", "landmark_binary", "cox",
             "rmst"]
BASE: dict[str, Any] = {
    "name": "agree", "patients": 120, "seed": 11,
    "accrual": {"duration": 24, "timing": "deterministic"},
    "allocation": {"method": "alternating"},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 0.6},
    "analysis": {"cut": "events", "looks": [30, 60, 90]},
    "bounds": {"efficacy": [3.7103, 2.5114, 1.993], "futility": [0.0, 0.5]},
}
VARIANTS: dict[str, dict[str, Any]] = {
    "fixed logrank": {"analysis": {"cut": "events", "looks": [90]}, "bounds": {"efficacy": [1.96]}},
    "3-look logrank with futility": {},
    "every test": {"analysis": {"cut": "events", "looks": [30, 60, 90], "tests": ALL_TESTS}},
    "random accrual, blocks, strata, dropout": {
        "accrual": {"pieces": [{"until": 6, "rate": 2}, {"until": 22, "rate": 6}], "timing": "random"},
        "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4, 6]},
        "strata": [{"name": "a", "prevalence": 0.3, "hazard_multiplier": 0.7},
                   {"name": "b", "prevalence": 0.5, "hazard_multiplier": 1.2},
                   {"name": "c", "prevalence": 0.2, "hazard_multiplier": 1.6}],
        "dropout": {"probability": 0.1, "by": 12},
        "analysis": {"cut": "events", "looks": [40, 80], "tests": ["stratified_logrank", *ALL_TESTS[2:]]},
        "bounds": {"efficacy": [2.8, 1.97], "futility": [0.2]}},
    "weibull with cure, simple randomisation, calendar looks": {
        "control": {"distribution": "weibull", "shape": 1.5, "median": 9, "cure_fraction": 0.1},
        "experimental": {"distribution": "weibull", "shape": 2.07, "scale": 11.2, "cure_fraction": 0.15},
        "allocation": {"method": "simple", "ratio": [2, 1]},
        "analysis": {"cut": "calendar", "looks": [18, 30],
                     "tests": ["landmark_km", "logrank", "landmark_binary"]},
        "bounds": {"efficacy": [2.8, 1.97]}},
    "delayed effect, more events than happen": {
        "experimental": {"distribution": "piecewise_exponential", "starts": [0, 3],
                         "hazard_ratios": [1.0, 0.5]},
        "control": {"distribution": "exponential", "median": 6, "cure_fraction": 0.3},
        "analysis": {"cut": "events", "looks": [60, 100], "tests": ["fleming_harrington", "logrank"]},
        "bounds": {"efficacy": [2.8, 1.97]}},
    "maxcombo primary, response, OS, strata, dropout, delayed effect": {
        "accrual": {"duration": 20, "timing": "random"},
        "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
        "strata": [{"name": "a", "prevalence": 0.6, "hazard_multiplier": 1.0},
                   {"name": "b", "prevalence": 0.4, "hazard_multiplier": 1.5}],
        "experimental": {"distribution": "piecewise_exponential", "starts": [0, 3],
                         "hazard_ratios": [1.0, 0.55]},
        "dropout": {"probability": 0.05, "by": 12},
        "response": {"orr": {"control": 0.3, "experimental": 0.5}, "pfs_hazard_multiplier": 0.5,
                     "evaluable_after": 2},
        "overall_survival": {"post_progression": {"control": {"median": 6}, "experimental": {"median": 8}}},
        "analysis": {"cut": "events", "looks": [45, 90],
                     "tests": ["maxcombo", "fleming_harrington", "orr", "os_logrank", "logrank"]},
        "bounds": {"efficacy": [2.8, 1.97], "futility": [-0.5]}},
    "minimization over two factors, variance imbalance": {
        "accrual": {"duration": 22, "timing": "random"},
        "allocation": {"method": "minimization", "p": 0.85, "imbalance": "variance"},
        "strata": [{"name": f"s{i}", "prevalence": 0.25, "hazard_multiplier": 1.0 + 0.2 * i,
                    "levels": {"ehm": "yes" if i >= 2 else "no", "ecog": str(i % 2)}} for i in range(4)],
        "analysis": {"cut": "events", "looks": [45, 90], "tests": ["stratified_logrank", "logrank"]},
        "bounds": {"efficacy": [2.8, 1.97]}},
    "response and OS calibrated to a median OS, exponential, calendar looks": {
        "response": {"orr": {"control": 0.5, "experimental": 0.6}},
        "overall_survival": {"median_os": {"control": 14, "experimental": 18}},
        "analysis": {"cut": "calendar", "looks": [20, 30], "tests": ["orr", "os_logrank", "maxcombo"]},
        "bounds": {"efficacy": [2.8, 1.97]}},
    "deaths without progression, one PPS hazard, two-sided MaxCombo primary": {
        "accrual": {"duration": 20, "timing": "random"},
        "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
        "strata": [{"name": "a", "prevalence": 0.6, "hazard_multiplier": 1.0},
                   {"name": "b", "prevalence": 0.4, "hazard_multiplier": 1.5}],
        "experimental": {"distribution": "piecewise_exponential", "starts": [0, 3],
                         "hazard_ratios": [1.0, 0.55]},
        "dropout": {"probability": 0.05, "by": 12},
        "response": {"orr": {"control": 0.3, "experimental": 0.5}},
        "overall_survival": {"median_os": {"control": 14},
                             "death_without_progression": {"control": 0.1, "experimental": 0.25}},
        "analysis": {"cut": "events", "looks": [45, 90], "tests": ["maxcombo", "os_logrank", "logrank"],
                     "maxcombo": {"sided": 2}},
        "bounds": {"efficacy": [2.8, 1.97], "futility": [-0.5]}},
    "deaths without progression by time since entry, per arm, calibrated to median OS": {
        "accrual": {"duration": 20, "timing": "random"},
        "dropout": {"probability": 0.05, "by": 12},
        "overall_survival": {"median_os": {"control": 14, "experimental": 18},
                             "death_without_progression": {
                                 "control": {"starts": [0, 3, 8], "share": [0.05, 0.2, 0.4]},
                                 "experimental": {"starts": [0, 5], "share": [0.3, 0.1]}}},
        "analysis": {"cut": "calendar", "looks": [20, 30], "tests": ["os_logrank", "logrank"]},
        "bounds": {"efficacy": [2.8, 1.97]}},
    "group sequential MaxCombo design with futility, deaths without progression": {
        "overall_survival": {"post_progression": {"median": 5}, "death_without_progression": 0.3},
        "analysis": {"cut": "events", "looks": [30, 60, 90], "tests": ["maxcombo", "os_logrank"]},
        "bounds": {"design": {"alpha": 0.025, "futility_bounds": [-0.5, 0.0]}}},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_numpy_and_numba_engines_agree_trial_by_trial(variant: str) -> None:
    data = copy.deepcopy(BASE)
    data.update(VARIANTS[variant])
    model = compile_scenario(parse_scenario(data))
    a = simulate_block(model, 1000, 1500, "numba")
    b = simulate_block(model, 1000, 1500, "numpy", threads=1)
    near = np.zeros(a.count, bool)
    for k in range(model.k_max):
        zk = np.nan_to_num(a.z[:, k, 0], nan=99.0)
        near |= (np.abs(zk - model.efficacy[k]) < 1e-9) | (np.abs(zk - model.futility[k]) < 1e-9)
    assert np.array_equal(a.decision[~near], b.decision[~near])
    assert np.array_equal(a.stop[~near], b.stop[~near])
    assert np.array_equal(np.isnan(a.z), np.isnan(b.z))
    assert np.allclose(a.z, b.z, rtol=1e-9, atol=1e-9, equal_nan=True)
    fin = np.isfinite(a.estimate)
    assert np.array_equal(fin, np.isfinite(b.estimate))
    assert np.allclose(a.estimate[fin], b.estimate[fin], rtol=1e-9, atol=1e-9)
    assert np.array_equal(a.events, b.events) and np.array_equal(a.enrolled, b.enrolled)
    assert np.array_equal(a.short, b.short)
    assert np.allclose(a.time, b.time, rtol=1e-12, equal_nan=True)


def test_a_trial_does_not_depend_on_the_block_it_is_simulated_in() -> None:
    model = compile_scenario(parse_scenario(copy.deepcopy(BASE)))
    whole = simulate_block(model, 0, 600, "numba")
    part = simulate_block(model, 250, 100, "numba", threads=1)
    assert np.array_equal(whole.z[250:350], part.z, equal_nan=True)
    assert np.array_equal(whole.decision[250:350], part.decision)


def test_events_not_reached_ends_the_trial_at_that_look() -> None:
    data = copy.deepcopy(BASE)
    data.update(VARIANTS["delayed effect, more events than happen"])
    model = compile_scenario(parse_scenario(data))
    b = simulate_block(model, 0, 400, "numba")
    short = b.short[:, 1] > 0
    assert short.any()
    assert np.all(b.events[short, 1] < 100) and np.all(b.stop[short] == 1)
