"""Minimization in the simulator is core's Pocock–Simon minimization, in both engines.

For sampled trials the arms drawn by the NumPy generator and by the numba kernel equal the arms
that :func:`oncotrial.core.randomization.minimization.minimization_assign` gives patient by
patient when fed the same (u1, u2) draws from the simulation's Philox stream.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from numba import njit

from oncotrial.core.randomization.minimization import MinimizationDraws, minimization_assign
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.numba_generation import generate_minimization, generate_strata
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.philox import minimization_draws_np
from oncotrial.simulation.scenario import MINIMIZATION_ARMS, Scenario
from oncotrial.simulation.scenario_reader import parse_scenario

FACTOR_STRATA = [
    {"name": "no EHM, ECOG 0", "prevalence": 0.3, "hazard_multiplier": 1.0,
     "levels": {"extrahepatic_metastasis": "no", "ecog": "0"}},
    {"name": "no EHM, ECOG 1", "prevalence": 0.2, "hazard_multiplier": 1.2,
     "levels": {"extrahepatic_metastasis": "no", "ecog": "1"}},
    {"name": "EHM, ECOG 0", "prevalence": 0.3, "hazard_multiplier": 1.4,
     "levels": {"extrahepatic_metastasis": "yes", "ecog": "0"}},
    {"name": "EHM, ECOG 1", "prevalence": 0.2, "hazard_multiplier": 1.7,
     "levels": {"extrahepatic_metastasis": "yes", "ecog": "1"}},
]
BASE: dict[str, Any] = {
    "name": "min", "patients": 120, "seed": 2024,
    "accrual": {"duration": 22, "timing": "random"},
    "allocation": {"method": "minimization", "p": 0.8},
    "strata": FACTOR_STRATA,
    "control": {"distribution": "exponential", "median": 9},
    "experimental": {"hazard_ratio": 0.6},
    "analysis": {"cut": "events", "looks": [80]},
    "bounds": {"efficacy": [1.96]},
}
VARIANTS: dict[str, dict[str, Any]] = {
    "range, p 0.8, two factors": {},
    "variance, p 0.9, weighted factors": {"allocation": {"method": "minimization", "p": 0.9,
                                                         "imbalance": "variance", "factor_weights": [2, 1]}},
    "deterministic, strata as the only factor": {
        "allocation": {"method": "minimization", "p": 1.0},
        "strata": [{k: v for k, v in st.items() if k != "levels"} for st in FACTOR_STRATA]},
}
TRIALS = [0, 1, 7, 123, 99_999]


@njit(cache=False)
def _numba_arms(trial: int, n: int, k0: np.uint64, k1: np.uint64, cum: np.ndarray, levels: np.ndarray,
                weights: np.ndarray, p: float, variance: bool) -> np.ndarray:
    u = np.empty(n + 2)
    strat = np.zeros(n, np.int64)
    if cum.size > 0:
        generate_strata(trial, n, k0, k1, cum, u, strat)
    arm = np.zeros(n, np.int64)
    counts = np.zeros((levels.max() + 1, 2), np.int64)
    generate_minimization(trial, n, k0, k1, strat, levels, weights, p, variance, np.empty(n), np.empty(n),
                          counts, arm)
    return arm


def _core_arms(s: Scenario, m: TrialModel, trial: int, stratum: np.ndarray) -> list[int]:
    design = s.allocation.minimization
    assert design is not None
    u1, u2 = minimization_draws_np(np.array([trial], dtype=np.int64), m.n, m.key)
    draws = MinimizationDraws(seed=s.seed, draws=tuple(zip(u1[0].tolist(), u2[0].tolist(), strict=True)))
    history: list[tuple[dict[str, str], str]] = []
    for i in range(m.n):
        st = s.strata[int(stratum[i])]
        levels = dict(st.levels) if st.levels else {"stratum": st.name}
        history.append((levels, minimization_assign(design, history, levels, draws).arm))
    return [MINIMIZATION_ARMS.index(arm) for _, arm in history]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_both_engines_assign_the_arms_core_minimization_assigns(variant: str) -> None:
    data = copy.deepcopy(BASE)
    data.update(VARIANTS[variant])
    s = parse_scenario(data)
    m = compile_scenario(s)
    p = generate_patients(m, np.array(TRIALS, dtype=np.int64))
    for r, t in enumerate(TRIALS):
        core = _core_arms(s, m, t, p.stratum[r])
        assert p.arm[r].tolist() == core
        assert _numba_arms(t, m.n, np.uint64(m.key[0]), np.uint64(m.key[1]), m.strata_cum, m.min_levels,
                           m.min_weights, m.min_p, m.min_variance).tolist() == core


def test_minimization_balances_the_arms_within_each_factor_level() -> None:
    s = parse_scenario(copy.deepcopy(BASE))
    p = generate_patients(compile_scenario(s), np.arange(200, dtype=np.int64))
    ecog1 = np.isin(p.stratum, [1, 3])
    gap = np.abs((p.arm * ecog1).sum(1) - ((1 - p.arm) * ecog1).sum(1))
    assert gap.max() <= 6 and gap.mean() < 2.0


def test_minimization_needs_a_one_to_one_ratio_and_something_to_balance() -> None:
    data = copy.deepcopy(BASE)
    data["allocation"] = {"method": "minimization", "ratio": [2, 1]}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == "allocation.ratio"
    data = copy.deepcopy(BASE)
    data.pop("strata")
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == "allocation.method"
    data = copy.deepcopy(BASE)
    data["allocation"] = {"method": "minimization", "p": 0.3}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == "allocation.p"
