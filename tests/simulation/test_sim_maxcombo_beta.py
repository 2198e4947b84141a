"""Beta-spending futility bounds for group sequential MaxCombo designs.

* The FH statistics' means under the alternative (:mod:`.maxcombo_drift`) equal the means of the 12 FH
  statistics (3 looks) of 20,000 trials simulated here in plain NumPy (entry, arms, piecewise
  exponential PFS, dropout, the D-th event cut, pooled Kaplan–Meier weights, written out below; no
  oncotrial code), for a delayed effect with 2:1 allocation and unequal dropout.
* A Monte Carlo of the joint normal of the 12 statistics with mean theta * mu (paths followed look by
  look, no orthant integrals) stops for futility by look as the O'Brien–Fleming beta spending says and
  has power 1 - beta, for non-binding and binding bounds (and the binding bounds keep alpha under H0).
* Simulated trials under the alternative (numba engine, n = 120) stop for futility by look and reject
  near the planned rates (asymptotics at n = 120: 0.02 absolute plus 3 Monte Carlo SEs).
* Bad fields are named.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest
from scipy.special import ndtr, ndtri

from oncotrial.design.spending import SpendingFamily, SpendingFunction
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.maxcombo_beta import BetaSpendingBounds
from oncotrial.simulation.maxcombo_design import ArmLaw, Planning
from oncotrial.simulation.maxcombo_drift import drift
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.scenario_bounds import planned_maxcombo_beta_bounds
from oncotrial.simulation.scenario_reader import parse_scenario

RATES = (1 / 3, 2 / 3, 1.0)
BETA = 0.2
HR = 0.525  # chosen so that theta is about 1: the scenario's own effect has power 1 - beta
GS: dict[str, Any] = {
    "name": "gs-maxcombo-beta", "patients": 120, "seed": 77,
    "accrual": {"duration": 24, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": HR},
    "analysis": {"cut": "events", "looks": [30, 60, 90], "tests": ["maxcombo"]},
    "bounds": {"design": {"alpha": 0.025, "beta_spending": "bsOF", "beta": BETA}},
}
DELAYED: dict[str, Any] = {
    "name": "delayed", "patients": 120, "accrual": {"duration": 24},
    "allocation": {"method": "permuted_blocks", "ratio": [2, 1], "block_sizes": [3, 6]},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"distribution": "piecewise_exponential", "starts": [0, 3], "hazard_ratios": [1.0, 0.5]},
    "dropout": {"control": {"rate": 0.01}, "experimental": {"rate": 0.03}},
    "analysis": {"cut": "events", "looks": [25, 50, 75], "tests": ["maxcombo"]},
    "bounds": {"efficacy": [3.0, 3.0, 2.0]},
}


def _planning(s: Scenario) -> Planning:
    return Planning(s.patients, s.accrual, s.control, s.strata, 0.0, (1.0, 1.0), s.dropout[0],
                    s.allocation.experimental_fraction, s.analysis.cut, s.analysis.looks,
                    ArmLaw(s.experimental, 0.0, (1.0, 1.0), s.dropout[1]))


def _scenario(**design: Any) -> Scenario:
    d = copy.deepcopy(GS)
    d["bounds"]["design"].update(design)
    return parse_scenario(d)


def _design(binding: bool) -> BetaSpendingBounds:
    of = SpendingFunction(SpendingFamily.OBRIEN_FLEMING)
    return planned_maxcombo_beta_bounds(_planning(_scenario()), RATES, of, 0.025, of, BETA, binding)


def _obrien_fleming(t: float, total: float) -> float:
    """Lan–DeMets O'Brien–Fleming spending (one-sided), written out: 2(1 − Φ(z_{1−x/2} / √t))."""
    return 2.0 * (1.0 - float(ndtr(float(ndtri(1.0 - total / 2.0)) / math.sqrt(t))))


def _piecewise_inverse(e: np.ndarray, starts: list[float], rates: list[float]) -> np.ndarray:
    t = np.full_like(e, np.inf)
    cum = 0.0
    for j, (s, lam) in enumerate(zip(starts, rates, strict=True)):
        width = (starts[j + 1] if j + 1 < len(starts) else np.inf) - s
        inside = np.isinf(t) & (e >= cum) & (e < cum + lam * width)
        t = np.where(inside, s + (e - cum) / lam, t)
        cum += lam * width
    return t


def _simulated_fh(trials: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(trials, 3, 4) FH z of the DELAYED trial, simulated directly: Z = −Σ w (O₁ − E₁) / √(Σ w² V)."""
    rng = np.random.default_rng(seed)
    n, n_exp, lam = 120, 80, math.log(2) / 6
    entry = rng.uniform(0, 24, (trials, n))
    arm = rng.permuted(np.repeat([[1] * n_exp + [0] * (n - n_exp)], trials, axis=0), axis=1)
    e = rng.exponential(size=(trials, n))
    t = np.where(arm == 1, _piecewise_inverse(e, [0.0, 3.0], [lam, lam / 2]), e / lam)
    d = rng.exponential(size=(trials, n)) / np.where(arm == 1, 0.03, 0.01)
    cal = np.where(t <= d, entry + t, np.inf)
    z = np.empty((trials, 3, 4))
    cuts = np.empty((trials, 3))
    for k, events in enumerate((25, 50, 75)):
        cut = np.sort(cal, axis=1)[:, events - 1:events]  # the D-th event (inf: never reached)
        cuts[:, k] = cut[:, 0]
        x = np.where(entry <= cut, np.minimum(np.minimum(t, d), cut - entry), -1.0)  # -1: not entered
        event = (cal <= cut).astype(float)
        o = np.argsort(x, axis=1)
        event, a = np.take_along_axis(event, o, 1), np.take_along_axis(arm, o, 1).astype(float)
        at_risk = n - np.arange(n, dtype=float)[None, :]           # no ties: the rest of the sorted row
        share = np.cumsum(a[:, ::-1], axis=1)[:, ::-1] / at_risk   # Y1 / Y
        km = np.cumprod(np.where(event > 0, 1.0 - 1.0 / at_risk, 1.0), axis=1)
        km = np.concatenate([np.ones((trials, 1)), km[:, :-1]], axis=1)  # pooled KM at t-
        for i, (rho, gamma) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
            w = km**rho * (1.0 - km) ** gamma
            u = (event * w * (a - share)).sum(1)
            v = (event * w * w * share * (1.0 - share)).sum(1)
            z[:, k, i] = -u / np.sqrt(v)
    return z, cuts


def test_the_drift_equals_the_means_of_directly_simulated_fh_statistics() -> None:
    s = parse_scenario(copy.deepcopy(DELAYED))
    dr = drift(_planning(s))
    z, cuts = _simulated_fh(20_000, 5)
    mean, se = z.mean(0).ravel(), z.std(0).ravel() / math.sqrt(z.shape[0])
    # asymptotic tolerance 0.04 at n = 120 (the simulated means are 0.01-0.03 lower), plus 4 MC SEs
    assert np.all(np.abs(mean - dr.mean) <= 4 * se + 0.04)
    reached = np.isfinite(cuts).all(axis=1)
    assert np.nanmean(cuts[reached], axis=0) == pytest.approx(dr.times, rel=0.02)
    # the check can tell: the scores standardised by the H0 (planning) variances miss FH(0,1) by ~0.1-0.2
    planning = _planning(s)
    h0_sd = np.sqrt(np.diag(planning.covariance(planning.look_times("analysis.looks"))))
    assert np.abs(mean - dr.score / h0_sd).max() > 4 * se.max() + 0.04 + 0.05
    assert np.all(dr.mean[4:] > 0) and dr.mean[5] > dr.mean[4]  # delayed effect: FH(0,1) beats log-rank


def _paths(bb: BetaSpendingBounds, shift: np.ndarray, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo of the 12 jointly normal statistics, paths followed look by look: (futility stops by
    look, the last one G_3 < b_3), (rejections by look), as proportions."""
    cov = bb.bounds.covariance
    sd = np.sqrt(np.diag(cov))
    w, v = np.linalg.eigh(cov / np.outer(sd, sd))
    root = v * np.sqrt(np.clip(w, 0.0, None))
    rng = np.random.default_rng(seed)
    futile, reject = np.zeros(3), np.zeros(3)
    b, g = bb.bounds.statistic, (*bb.bounds.futility_statistic, bb.bounds.statistic[-1])
    chunk = 400_000
    for _ in range(draws // chunk):
        big = (rng.standard_normal((chunk, 12)) @ root.T + shift).reshape(chunk, 3, 4).max(axis=2)
        going = np.ones(chunk, dtype=bool)
        for k in range(3):
            reject[k] += (going & (big[:, k] >= b[k])).sum()
            futile[k] += (going & (big[:, k] < g[k])).sum()
            going &= (big[:, k] < b[k]) & (big[:, k] >= g[k])
    return futile / draws, reject / draws


@pytest.mark.parametrize("binding", [False, True])
def test_futility_stops_spend_beta_and_power_is_one_minus_beta_in_a_monte_carlo_of_the_joint_normal(
        binding: bool) -> None:
    bb = _design(binding)
    n = 2_000_000
    futile, reject = _paths(bb, bb.scale * bb.mean, n, 20261215 + binding)
    for k, t in enumerate(RATES):
        p = futile[: k + 1].sum()
        assert abs(p - _obrien_fleming(t, BETA)) <= 4 * math.sqrt(p * (1 - p) / n)
    power = reject.sum()
    assert abs(power - (1 - BETA)) <= 4 * math.sqrt(power * (1 - power) / n)
    assert bb.scale == pytest.approx(1.0, abs=0.05)  # HR was chosen for that (see the doc's figures)
    _, null_reject = _paths(bb, np.zeros(12), n, 7 + binding)
    for k, t in enumerate(RATES):  # binding: alpha spent over the paths not stopped for futility
        p = null_reject[: k + 1].sum()
        spent = _obrien_fleming(t, 0.025)
        if binding:
            assert abs(p - spent) <= 4 * math.sqrt(p * (1 - p) / n) + 2e-5
        else:  # non-binding bounds spend less once the futility stops are obeyed
            assert p <= spent + 4 * math.sqrt(p * (1 - p) / n)
    if not binding:
        assert null_reject.sum() < 0.025 - 10 * math.sqrt(0.025 / n)


def test_the_scenario_takes_the_beta_spending_bounds_on_the_reported_z_scale() -> None:
    s = _scenario()
    bb = _design(False)
    assert s.bounds.statistic == bb.bounds.statistic and s.bounds.efficacy == bb.bounds.z
    assert s.bounds.futility == bb.futility_z
    for k, (g, f) in enumerate(zip(bb.bounds.futility_statistic, bb.futility_z, strict=True)):
        # P_H0(G_k >= g_k) = 1 - Phi(f_k): a Monte Carlo of the look's four statistics under H0
        block = bb.bounds.covariance[4 * k: 4 * k + 4, 4 * k: 4 * k + 4]
        draws = np.random.default_rng(k).multivariate_normal(np.zeros(4), block, 400_000, method="eigh")
        p = float((draws / np.sqrt(np.diag(block)) >= g).any(axis=1).mean())
        assert p == pytest.approx(float(ndtr(-f)), abs=4 * math.sqrt(p * (1 - p) / 400_000))
    assert "beta-spending futility bounds (bsOF, beta 0.2)" in s.bounds.source
    assert "theta =" in s.bounds.source
    binding = _scenario(binding_futility=True)
    assert binding.bounds.statistic[2] < s.bounds.statistic[2] - 1e-3  # binding lowers the last bound


def test_simulated_trials_under_the_alternative_stop_for_futility_as_spent() -> None:
    s = _scenario()
    n = 10_000
    b = simulate_block(compile_scenario(s), 0, n, "numba")
    spent = [_obrien_fleming(t, BETA) for t in RATES]
    expected = [spent[0], spent[1] - spent[0]]
    for k in range(2):
        p = float(((b.decision == -1) & (b.stop == k)).mean())
        assert abs(p - expected[k]) <= 3 * math.sqrt(p * (1 - p) / n) + 0.02
    power = float((b.decision == 1).mean())
    assert abs(power - (1 - BETA)) <= 3 * math.sqrt(power * (1 - power) / n) + 0.02


@pytest.mark.parametrize(("data", "field"), [
    ({"analysis.maxcombo": {"sided": 2}, "bounds.design.alpha": 0.05}, "bounds.design.beta_spending"),
    ({"experimental": {"hazard_ratio": 1.0}}, "bounds.design.beta_spending"),  # no alternative
    ({"experimental": {"hazard_ratio": 1.3}}, "bounds.design.beta_spending"),  # control is better
    ({"bounds.design.futility_bounds": [0.0, 0.0]}, "bounds.design.futility_bounds"),
    ({"bounds.design.beta_spending": "bsXY"}, "bounds.design.beta_spending"),
    ({"bounds.design.beta": 1.5}, "bounds.design.beta"),
])
def test_bad_beta_spending_maxcombo_designs_name_the_field(data: dict[str, Any], field: str) -> None:
    d = copy.deepcopy(GS)
    for path, value in data.items():
        node = d
        *head, last = path.split(".")
        for key in head:
            node = node[key]
        node[last] = value
    with pytest.raises(ScenarioError) as err:
        parse_scenario(d)
    assert err.value.field == field
