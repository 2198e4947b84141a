"""Fleming–Harrington FH(rho, gamma) and MaxCombo: kernels against R and against the normal law.

* FH(rho, 0) equals R ``survdiff(rho =)``; FH(rho, gamma > 0) equals a direct R computation of
  :math:`\\sum w (O - E) / \\sqrt{\\sum w^2 V}` with :math:`w = \\hat S(t-)^\\rho (1 - \\hat S(t-))^\\gamma`
  from R ``survfit`` (risk sets counted directly, not by our cumulative sums).
* The MaxCombo p-value equals ``mvtnorm::pmvnorm`` on the FH correlation matrix (Karrison 2016),
  and ``scipy.stats.multivariate_normal`` without R.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.special import ndtri
from scipy.stats import multivariate_normal

from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.mvn_orthant import maxcombo_pvalue_np, norm_ppf_np
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario_reader import parse_scenario
from support.rscript import r_or_skip

SCENARIO: dict[str, Any] = {
    "name": "fh", "patients": 120, "seed": 5,
    "accrual": {"duration": 22, "timing": "random"},
    "allocation": {"method": "simple"},
    "control": {"distribution": "exponential", "median": 9},
    "experimental": {"distribution": "piecewise_exponential", "starts": [0, 4], "hazard_ratios": [1.0, 0.5]},
    "dropout": {"probability": 0.05, "by": 12},
    "analysis": {"cut": "events", "looks": [40, 80], "tests": ["fleming_harrington", "maxcombo", "logrank"]},
    "bounds": {"efficacy": [9.0, 9.0]},
}
TRIALS = [2, 11, 58, 301]
WEIGHTS = [(1.0, 0.0), (0.5, 0.0), (0.0, 1.0), (1.0, 1.0), (0.5, 2.0)]


def _run(rho: float, gamma: float) -> tuple[TrialModel, np.ndarray, np.ndarray, pd.DataFrame]:
    data = copy.deepcopy(SCENARIO)
    data["analysis"]["fleming_harrington"] = {"rho": rho, "gamma": gamma}
    model = compile_scenario(parse_scenario(data))
    # the NumPy engine: its cut is the calendar time of the NumPy patients' D-th event to the last bit
    blocks = [simulate_block(model, t, 1, "numpy", threads=1) for t in TRIALS]
    z = np.concatenate([b.z for b in blocks])
    est = np.concatenate([b.estimate for b in blocks])
    p = generate_patients(model, np.array(TRIALS, dtype=np.int64))
    rows = []
    for r, t in enumerate(TRIALS):
        for k in range(model.k_max):
            cut = blocks[r].time[0, k]
            inc = p.entry[r] <= cut
            x = np.minimum(np.minimum(p.event_time[r], p.dropout_time[r]), cut - p.entry[r])[inc]
            rows.append(pd.DataFrame({"trial": t, "look": k, "time": x,
                                      "status": (p.calendar[r] <= cut)[inc].astype(int),
                                      "arm": p.arm[r][inc]}))
    return model, z, est, pd.concat(rows, ignore_index=True)


R_FH = r"""
d <- read.csv("DATA")
d$time <- as.numeric(d$time)
fh <- function(x, rho, gamma) {
  sf <- survfit(Surv(time, status) ~ 1, data = x)
  ev <- sort(x$time[x$status == 1])
  s_before <- sapply(ev, function(t) { k <- sum(sf$time < t); if (k == 0) 1 else sf$surv[k] })
  r <- sapply(ev, function(t) sum(x$time >= t))
  r1 <- sapply(ev, function(t) sum(x$time >= t & x$arm == 1))
  g <- sapply(ev, function(t) x$arm[x$time == t & x$status == 1][1])
  w <- s_before^rho * (1 - s_before)^gamma
  p <- r1 / r
  c(u = sum(w * (g - p)), v = sum(w^2 * p * (1 - p)))
}
for (key in split(d, list(d$trial, d$look), drop = TRUE)) {
  tag <- paste0("t", key$trial[1], "_", key$look[1])
  a <- fh(key, RHO, GAMMA)
  emit(paste0("direct_", tag), -a[["u"]] / sqrt(a[["v"]]))
  if (GAMMA == 0) {
    sd <- survdiff(Surv(time, status) ~ arm, data = key, rho = RHO)
    emit(paste0("survdiff_", tag), -(sd$obs[2] - sd$exp[2]) / sqrt(sd$var[2, 2]))
  }
  if (RHO == 1 && GAMMA == 0) {
    u <- sapply(list(c(0, 0), c(0, 1), c(1, 0), c(1, 1)), function(rg) fh(key, rg[1], rg[2]))
    ws <- lapply(list(c(0, 0), c(0, 1), c(1, 0), c(1, 1)), function(rg) rg)
    ev <- sort(key$time[key$status == 1])
    sf <- survfit(Surv(time, status) ~ 1, data = key)
    sb <- sapply(ev, function(t) { k <- sum(sf$time < t); if (k == 0) 1 else sf$surv[k] })
    pr <- sapply(ev, function(t) sum(key$time >= t & key$arm == 1) / sum(key$time >= t))
    W <- sapply(ws, function(rg) sb^rg[1] * (1 - sb)^rg[2])
    V <- t(W) %*% (W * (pr * (1 - pr)))
    z <- -u["u", ] / sqrt(diag(V))
    set.seed(1)
    pm <- pmvnorm(upper = rep(max(z), 4), corr = cov2cor(V),
                  algorithm = GenzBretz(maxpts = 2e6, abseps = 1e-8, releps = 0))
    emit(paste0("maxcombo_p_", tag), 1 - pm[1])
    emit(paste0("maxcombo_err_", tag), attr(pm, "error"))
  }
}
"""


@pytest.mark.parametrize(("rho", "gamma"), WEIGHTS)
def test_fleming_harrington_kernel_equals_r(rho: float, gamma: float, tmp_path) -> None:
    r = r_or_skip(["survival", "mvtnorm"])
    model, z, est, data = _run(rho, gamma)
    data.assign(time=[float(t).hex() for t in data.time]).to_csv(tmp_path / "d.csv", index=False)
    script = R_FH.replace("DATA", str(tmp_path / "d.csv")).replace("RHO", repr(rho))
    script = script.replace("GAMMA", repr(gamma))
    out = r.run(script)
    for i, t in enumerate(TRIALS):
        for k in range(model.k_max):
            tag = f"t{t}_{k}"
            assert z[i, k, 0] == pytest.approx(out[f"direct_{tag}"][0], abs=1e-10)
            if gamma == 0:
                assert z[i, k, 0] == pytest.approx(out[f"survdiff_{tag}"][0], abs=1e-10)
            if rho == 1 and gamma == 0:
                p_r, err = out[f"maxcombo_p_{tag}"][0], out[f"maxcombo_err_{tag}"][0]
                assert est[i, k, 1] == pytest.approx(p_r, abs=3 * err + 2e-3 * p_r + 1e-9)
                assert z[i, k, 1] == pytest.approx(-ndtri(p_r), abs=1e-3)


def _fh_covariances(seed: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """FH(0,0), (0,1), (1,0), (1,1) covariances of random risk-set paths, and random maxima."""
    rng = np.random.default_rng(seed)
    v = np.empty((count, 4, 4))
    for i in range(count):
        n = int(rng.integers(30, 120))
        r = np.arange(n, 0, -1).astype(float)
        r1 = np.round(r * rng.uniform(0.35, 0.65))
        ev = rng.random(n) < 0.7
        s = np.concatenate([[1.0], np.cumprod(np.where(ev, 1 - 1 / r, 1.0))[:-1]])
        w = np.stack([np.ones(n), 1 - s, s, s * (1 - s)])
        p = r1 / r
        v[i] = (w[:, None, :] * w[None, :, :] * np.where(ev, p * (1 - p), 0.0)).sum(-1)
    return rng.uniform(0.8, 2.8, count), v


def test_maxcombo_p_value_equals_scipy_multivariate_normal() -> None:
    c, v = _fh_covariances(7, 6)
    ours = maxcombo_pvalue_np(c, v)
    for i in range(c.size):
        sd = np.sqrt(np.diag(v[i]))
        corr = v[i] / np.outer(sd, sd)
        ref = 1 - multivariate_normal.cdf(np.full(4, c[i]), mean=np.zeros(4), cov=corr, allow_singular=True,
                                          maxpts=1_000_000, abseps=1e-8, releps=0, rng=1)
        assert ours[i] == pytest.approx(ref, abs=2e-5)


def test_degenerate_correlations_give_no_p_value_and_the_normal_quantile_is_exact() -> None:
    c = np.array([1.0, 1.96, 3.0])
    v = np.ones((3, 4, 4))  # perfectly correlated tests (too few events): degenerate, reported as NaN
    assert np.all(np.isnan(maxcombo_pvalue_np(c, v)))
    assert norm_ppf_np(np.array([0.025]))[0] == pytest.approx(ndtri(0.025), rel=1e-15)


def test_maxcombo_keeps_its_one_sided_size_under_the_null() -> None:
    # 20,000 null trials, fixed design at 90 events, c = 1.96 (one-sided 0.025): the MVN p-value is
    # asymptotic, so the rejection rate must be 0.025 within 4 Monte Carlo standard errors
    data = copy.deepcopy(SCENARIO)
    data.update(experimental={"hazard_ratio": 1.0}, dropout={"probability": 0.0, "by": 12})
    data["analysis"] = {"cut": "events", "looks": [90], "tests": ["maxcombo"]}
    data["bounds"] = {"efficacy": [1.959963984540054]}
    b = simulate_block(compile_scenario(parse_scenario(data)), 0, 20_000, "numba")
    rate = float((b.decision == 1).mean())
    assert abs(rate - 0.025) <= 4 * np.sqrt(0.025 * 0.975 / 20_000)
