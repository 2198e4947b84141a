"""Two-sided MaxCombo and group sequential MaxCombo bounds.

* The two-sided p-value of simulated trials equals R ``mvtnorm::pmvnorm(lower = -c, upper = c)`` on
  the FH correlation computed in R from the trial's data (``survfit``).
* The group sequential bounds spend the Lan–DeMets O'Brien–Fleming alpha at every look when the
  crossing probabilities are computed by ``pmvnorm`` on the planning correlation, and that
  correlation matches the one of simulated FH statistics.
* Simulated null trials reject at the planned rates (within 3 Monte Carlo SEs).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.special import ndtr, ndtri

from oncotrial.design.spending import SpendingFamily, SpendingFunction
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.maxcombo_design import Planning
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.numpy_analysis import look_cut, sort_look
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.scenario_bounds import planned_maxcombo_bounds
from oncotrial.simulation.scenario_reader import parse_scenario
from support.rscript import r_or_skip

GS: dict[str, Any] = {
    "name": "gs-maxcombo", "patients": 120, "seed": 31,
    "accrual": {"duration": 24, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 1.0},
    "analysis": {"cut": "events", "looks": [30, 60, 90], "tests": ["maxcombo"]},
    "bounds": {"design": {"alpha": 0.025}},
}
TWO_SIDED: dict[str, Any] = {
    "name": "two-sided", "patients": 120, "seed": 8,
    "accrual": {"duration": 22, "timing": "random"},
    "allocation": {"method": "simple"},
    "control": {"distribution": "exponential", "median": 9},
    "experimental": {"distribution": "piecewise_exponential", "starts": [0, 4], "hazard_ratios": [1.3, 0.6]},
    "dropout": {"probability": 0.05, "by": 12},
    "analysis": {"cut": "events", "looks": [40, 80], "tests": ["maxcombo", "logrank"],
                 "maxcombo": {"sided": 2}},
    "bounds": {"efficacy": [9.0, 9.0]},
}
TRIALS = [1, 4, 19, 250, 777]


def _gs(sided: int = 1, **bounds: Any) -> dict[str, Any]:
    d = copy.deepcopy(GS)
    if sided == 2:
        d["analysis"]["maxcombo"] = {"sided": 2}
        d["bounds"] = {"design": {"alpha": 0.05}}
    d["bounds"]["design"].update(bounds)
    return d


def _planning(s: Scenario) -> Planning:
    return Planning(s.patients, s.accrual, s.control, s.strata, 0.0, (1.0, 1.0), s.dropout[0],
                    s.allocation.experimental_fraction, s.analysis.cut, s.analysis.looks)


R_TWO_SIDED = r"""
d <- read.csv("DATA")
d$time <- as.numeric(d$time)
for (key in split(d, list(d$trial, d$look), drop = TRUE)) {
  tag <- paste0("t", key$trial[1], "_", key$look[1])
  sf <- survfit(Surv(time, status) ~ 1, data = key)
  ev <- sort(key$time[key$status == 1])
  sb <- sapply(ev, function(t) { k <- sum(sf$time < t); if (k == 0) 1 else sf$surv[k] })
  r <- sapply(ev, function(t) sum(key$time >= t))
  r1 <- sapply(ev, function(t) sum(key$time >= t & key$arm == 1))
  g <- sapply(ev, function(t) key$arm[key$time == t & key$status == 1][1])
  pr <- r1 / r
  W <- sapply(list(c(0, 0), c(0, 1), c(1, 0), c(1, 1)), function(rg) sb^rg[1] * (1 - sb)^rg[2])
  u <- colSums(W * (g - pr))
  V <- t(W) %*% (W * (pr * (1 - pr)))
  z <- -u / sqrt(diag(V))
  m <- max(abs(z))
  set.seed(1)
  pm <- pmvnorm(lower = rep(-m, 4), upper = rep(m, 4), corr = cov2cor(V),
                algorithm = GenzBretz(maxpts = 2e6, abseps = 1e-8, releps = 0))
  emit(paste0("p_", tag), 1 - pm[1])
  emit(paste0("err_", tag), attr(pm, "error"))
  emit(paste0("sign_", tag), sign(z[which.max(abs(z))]))
}
"""


def test_two_sided_maxcombo_p_value_equals_r_pmvnorm_on_simulated_trials(tmp_path) -> None:
    r = r_or_skip(["survival", "mvtnorm"])
    model = compile_scenario(parse_scenario(copy.deepcopy(TWO_SIDED)))
    blocks = [simulate_block(model, t, 1, "numpy", threads=1) for t in TRIALS]
    p = generate_patients(model, np.array(TRIALS, dtype=np.int64))
    rows = []
    for i, t in enumerate(TRIALS):
        for k in range(model.k_max):
            cut = blocks[i].time[0, k]
            inc = p.entry[i] <= cut
            x = np.minimum(np.minimum(p.event_time[i], p.dropout_time[i]), cut - p.entry[i])[inc]
            rows.append(pd.DataFrame({"trial": t, "look": k, "time": [float(v).hex() for v in x],
                                      "status": (p.calendar[i] <= cut)[inc].astype(int),
                                      "arm": p.arm[i][inc]}))
    pd.concat(rows, ignore_index=True).to_csv(tmp_path / "d.csv", index=False)
    out = r.run(R_TWO_SIDED.replace("DATA", str(tmp_path / "d.csv")))
    signs = set()
    for i, t in enumerate(TRIALS):
        for k in range(model.k_max):
            tag = f"t{t}_{k}"
            p_r, err, sign = out[f"p_{tag}"][0], out[f"err_{tag}"][0], out[f"sign_{tag}"][0]
            assert blocks[i].estimate[0, k, 0] == pytest.approx(p_r, abs=3 * err + 2e-3 * p_r + 1e-9)
            assert blocks[i].z[0, k, 0] == pytest.approx(sign * -ndtri(p_r / 2), abs=1e-3)
            signs.add(sign)
    assert signs == {-1.0, 1.0}  # both directions were exercised


R_SPENDING = r"""
R <- matrix(c(CORR), NV)
b <- rep(c(BOUNDS), each = 4)
for (k in 1:KMAX) {
  i <- 1:(4 * k)
  lower <- if (SIDED == 2) -b[i] else rep(-Inf, 4 * k)
  set.seed(k)
  pm <- pmvnorm(lower = lower, upper = b[i], corr = R[i, i],
                algorithm = GenzBretz(maxpts = 4e6, abseps = 2e-6, releps = 0))
  emit(paste0("cross_", k), 1 - pm[1])
  emit(paste0("err_", k), attr(pm, "error"))
}
"""


@pytest.mark.parametrize("sided", [1, 2])
def test_group_sequential_maxcombo_bounds_spend_obrien_fleming_alpha_under_r_pmvnorm(sided: int) -> None:
    r = r_or_skip(["mvtnorm"])
    s = parse_scenario(_gs(sided))
    rates = tuple(x / 90 for x in (30, 60, 90))
    mb = planned_maxcombo_bounds(_planning(s), rates, SpendingFunction(SpendingFamily.OBRIEN_FLEMING),
                                 0.025 * sided, sided)
    assert s.bounds.statistic == mb.statistic and s.bounds.efficacy == mb.z
    sd = np.sqrt(np.diag(mb.covariance))
    corr = mb.covariance / np.outer(sd, sd)
    script = R_SPENDING.replace("CORR", ", ".join(repr(float(x)) for x in corr.ravel()))
    script = script.replace("NV", str(corr.shape[0])).replace("KMAX", "3").replace("SIDED", str(sided))
    out = r.run(script.replace("BOUNDS", ", ".join(repr(float(x)) for x in mb.statistic)))
    alpha = 0.025 * sided
    for k, t in enumerate(rates):
        # Lan-DeMets O'Brien-Fleming (rpact's asOF, two-sided: 4(1 - Phi(z_{1-alpha/4} / sqrt t)))
        spent = 2 * sided * (1 - float(ndtr(float(ndtri(1 - alpha / (2 * sided))) / np.sqrt(t))))
        assert out[f"cross_{k + 1}"][0] == pytest.approx(spent, abs=3 * out[f"err_{k + 1}"][0] + 3e-5)


def test_the_planning_correlation_matches_the_simulated_fh_statistics_across_looks() -> None:
    s = parse_scenario(_gs())
    planning = _planning(s)
    times = planning.look_times("analysis.looks")
    cov = planning.covariance(times)
    sd = np.sqrt(np.diag(cov))
    model = compile_scenario(s)
    n_trials = 6000
    p = generate_patients(model, np.arange(n_trials, dtype=np.int64))
    z = np.empty((n_trials, 12))
    for k in range(3):
        cut, _ = look_cut(model, p, k)
        # the planning look time is where the expected number of events reaches the target
        assert float(cut.mean()) == pytest.approx(times[k], rel=0.02)
        srt, _, _ = sort_look(p, cut)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(srt.event > 0, srt.at_risk1 / np.where(srt.at_risk > 0, srt.at_risk, 1.0), 0.0)
            step = np.where(srt.event > 0, 1.0 - 1.0 / np.where(srt.at_risk > 0, srt.at_risk, 1.0), 1.0)
        km = np.concatenate([np.ones((n_trials, 1)), np.cumprod(step, axis=1)[:, :-1]], axis=1)
        for a, (rho, gamma) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
            w = km**rho * (1 - km) ** gamma
            u = (srt.event * w * (srt.arm - share)).sum(1)
            v = (srt.event * w * w * share * (1 - share)).sum(1)
            z[:, 4 * k + a] = -u / np.sqrt(v)
    assert np.abs(np.corrcoef(z.T) - cov / np.outer(sd, sd)).max() < 0.04


def test_the_group_sequential_maxcombo_design_keeps_its_type_i_error() -> None:
    # 20,000 null trials (experimental = control): rejection within 3 Monte Carlo SEs of one-sided 0.025
    model = compile_scenario(parse_scenario(_gs()))
    b = simulate_block(model, 0, 20_000, "numba")
    rate = float((b.decision == 1).mean())
    assert abs(rate - 0.025) <= 3 * np.sqrt(0.025 * 0.975 / 20_000)
    assert set(np.unique(b.stop[b.decision == 1])) == {0, 1, 2}  # every look rejects sometimes


def test_the_two_sided_fixed_maxcombo_test_rejects_in_either_direction_at_its_level() -> None:
    data = copy.deepcopy(TWO_SIDED)
    data.update(experimental={"hazard_ratio": 1.0}, dropout={"probability": 0.0, "by": 12})
    data["analysis"]["looks"] = [90]
    data["bounds"] = {"design": {"alpha": 0.05}}
    s = parse_scenario(data)
    assert s.bounds.efficacy[0] == pytest.approx(1.959963984540054)
    b = simulate_block(compile_scenario(s), 0, 20_000, "numba")
    either = float((np.abs(b.z[:, 0, 0]) >= s.bounds.efficacy[0]).mean())
    assert abs(either - 0.05) <= 3 * np.sqrt(0.05 * 0.95 / 20_000)
    assert float((b.decision == 1).mean()) == pytest.approx(either / 2, abs=0.004)


@pytest.mark.parametrize(("design", "field"), [
    # beta spending needs an alternative: here the experimental arm equals control (hazard ratio 1)
    ({"beta_spending": "bsOF"}, "bounds.design.beta_spending"),
    ({"type_of_design": "OF"}, "bounds.design.type_of_design"),
    ({"binding_futility": "yes"}, "bounds.design.binding_futility"),
    ({"futility_bounds": [0.0]}, "bounds.design.futility_bounds"),
])
def test_bad_maxcombo_design_fields_are_named(design: dict[str, Any], field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(_gs(**design))
    assert err.value.field == field


def test_two_sided_maxcombo_designs_take_no_futility_bounds_and_unreached_events_are_named() -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(_gs(2, futility_bounds=[0.0, 0.0]))
    assert err.value.field == "bounds.design.futility_bounds"
    data = _gs()
    data["control"] = {"distribution": "exponential", "median": 6, "cure_fraction": 0.5}
    data["analysis"]["looks"] = [30, 60, 100]  # at most 60 events are expected with half the patients cured
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == "analysis.looks"
