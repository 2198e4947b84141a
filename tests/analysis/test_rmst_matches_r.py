"""Restricted mean survival time against R ``survival`` and the published survRM2 example.

Per group: ``summary(survfit(Surv(time, status) ~ group), rmean = tau)$table[, c("rmean",
"se(rmean)")]`` on the 200 seeded random data sets of ``conftest.py`` (2–3 groups, ties,
near-ties at R's ``aeqSurv`` tolerance, time 0, heavy censoring), with four truncation times
each: a data time, a time between data times, a time beyond the last one (R extends the
curve flat) and one before the first positive time. Tolerance 1e-9 relative (absolute 1e-12
for standard errors that are 0 up to rounding).

Between two arms: survRM2 (``rmst2``, unadjusted; Uno et al., J Clin Oncol 2014;32:2380–2385)
cannot be installed here, so R computes its contrasts from R's per-arm ``rmean`` and
``se(rmean)`` with survRM2's formulas (cran/survRM2 ``R/rmst2.R``: difference with
``sqrt(v1 + v0)``; ratios on the log scale with ``sqrt(v1/mu1/mu1 + v0/mu0/mu0)``), and R
also applies survRM2's rule for the default ``tau``. Same tolerance.

Published example: the survRM2 vignette (Uno, "Vignette for survRM2 package", 2017-02-21,
section 3.1), pbc data of R ``survival`` (first 312 patients, years, death vs alive),
``rmst2(time, status, arm, tau = 10)``, printed to 3 decimals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.rmst import compare_rmst, rmst_by_group
from oncotrial.analysis.timefix import merge_near_ties
from oncotrial.core.errors import DomainError

R_PER_GROUP = r"""
d <- read_hex("data.csv"); taus <- read_hex("taus.csv")
out <- list()
for (cs in unique(d$case)) {
  x <- d[d$case == cs, ]
  fit <- survfit(Surv(time, status) ~ group, data = x)
  for (tau in taus$tau[taus$case == cs]) {
    tb <- summary(fit, rmean = tau)$table
    out[[length(out) + 1]] <- data.frame(case = cs, tau = tau, group = sub("group=", "", rownames(tb)),
      rmean = tb[, "rmean"], se = tb[, "se(rmean)"])
  }
}
write_hex(do.call(rbind, out), "rmean.csv")
"""

R_TWO_ARMS = r"""
d <- read_hex("data.csv"); spec <- read_hex("spec.csv")
z <- qnorm(1 - 0.05 / 2)
out <- list()
for (cs in unique(spec$case)) {
  y <- d[d$case == cs & d$group %in% c("A", "B"), ]
  y$arm <- as.numeric(y$group == "B")
  y$time <- aeqSurv(Surv(y$time, y$status))[, 1]
  # survRM2 rmst2: default tau from the last observation of each arm
  tt0 <- max(y$time[y$arm == 0]); s0 <- min(y$status[y$arm == 0 & y$time == tt0])
  tt1 <- max(y$time[y$arm == 1]); s1 <- min(y$status[y$arm == 1 & y$time == tt1])
  ttmax <- max(tt0, tt1); ttmin <- min(tt0, tt1)
  if (s0 == 1 & s1 == 1) taumax <- ttmax
  else if ((s0 == 0 & s1 == 1 & tt0 >= tt1) | (s0 == 1 & s1 == 0 & tt1 > tt0)) taumax <- ttmax
  else taumax <- ttmin
  fit <- survfit(Surv(time, status) ~ arm, data = y)
  for (which in c("default", "given")) {
    tau <- if (which == "default") taumax else spec$tau[spec$case == cs]
    if (tau <= 0) next
    tb <- summary(fit, rmean = tau)$table
    m0 <- tb["arm=0", "rmean"]; m1 <- tb["arm=1", "rmean"]
    v0 <- tb["arm=0", "se(rmean)"]^2; v1 <- tb["arm=1", "se(rmean)"]^2
    dd <- m1 - m0; dse <- sqrt(v1 + v0)
    lr <- log(m1) - log(m0); lse <- sqrt(v1 / m1 / m1 + v0 / m0 / m0)
    l1 <- tau - m1; l0 <- tau - m0
    lt <- log(l1) - log(l0); tse <- sqrt(v1 / l1 / l1 + v0 / l0 / l0)
    out[[length(out) + 1]] <- data.frame(case = cs, which = which, tau = tau,
      diff = dd, diff_lo = dd - z * dse, diff_hi = dd + z * dse, diff_p = pnorm(-abs(dd) / dse) * 2,
      ratio = exp(lr), ratio_lo = exp(lr - z * lse), ratio_hi = exp(lr + z * lse),
      ratio_p = pnorm(-abs(lr) / lse) * 2,
      rmtl = exp(lt), rmtl_lo = exp(lt - z * tse), rmtl_hi = exp(lt + z * tse),
      rmtl_p = pnorm(-abs(lt) / tse) * 2)
  }
}
write_hex(do.call(rbind, out), "contrasts.csv")
"""

R_PBC = r"""
D <- pbc[1:312, c("time", "status", "trt")]
write_hex(data.frame(time = D$time / 365.25, status = as.integer(D$status == 2),
                     arm = as.integer(D$trt == 1)), "pbc.csv")
"""


def taus_for(t: np.ndarray) -> list[float]:
    """A data time, a time between data times, one beyond the last time, the first positive time."""
    u = np.unique(merge_near_ties(t))
    positive = u[u > 0]
    if positive.size == 0:
        return [0.5, 1.0]
    between = (positive[0] + positive[1]) / 2 if positive.size > 1 else positive[0] * 1.5
    middle = positive[positive.size // 2]
    return [float(middle), float(between), float(u[-1] * 1.25 + 0.5), float(positive[0])]


@pytest.fixture(scope="module")
def taus(random_cases: pd.DataFrame) -> pd.DataFrame:
    rows = [{"case": case, "tau": tau} for case, x in random_cases.groupby("case")
            for tau in taus_for(x["time"].to_numpy())]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def r_rmean(r_session, random_cases: pd.DataFrame, taus: pd.DataFrame) -> pd.DataFrame:
    return r_session.run(R_PER_GROUP, {"data": random_cases, "taus": taus})["rmean"]


def test_rmst_and_se_per_group_match_survfit_rmean(random_cases, r_rmean) -> None:
    by_case = dict(tuple(random_cases.groupby("case")))
    failures, compared = [], 0
    for (case, tau), r in r_rmean.groupby(["case", "tau"]):
        x = by_case[case]
        ours = rmst_by_group(x["time"], x["status"], x["group"], tau=tau).summary
        for row in r.itertuples(index=False):
            mine = ours.loc[row.group]
            compared += 1
            if not (math.isclose(mine["rmst"], row.rmean, rel_tol=1e-9)
                    and math.isclose(mine["se"], row.se, rel_tol=1e-9, abs_tol=1e-12)):
                failures.append((case, tau, row.group, mine["rmst"], row.rmean, mine["se"], row.se))
    assert compared >= 4 * 200 * 2
    assert not failures, failures[:5]


@pytest.fixture(scope="module")
def two_arm_spec(random_cases: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for case, x in random_cases.groupby("case"):
        y = x[x["group"].isin(["A", "B"])]
        t = merge_near_ties(y["time"].to_numpy())
        positive = t[t > 0]
        shortest_arm = min(t[(y["group"] == arm).to_numpy()].max() for arm in ("A", "B"))
        tau = min(float(np.median(positive)), float(shortest_arm)) if positive.size else 0.0
        if tau > 0:
            rows.append({"case": case, "tau": tau})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def r_contrasts(r_session, random_cases: pd.DataFrame, two_arm_spec: pd.DataFrame) -> pd.DataFrame:
    return r_session.run(R_TWO_ARMS, {"data": random_cases, "spec": two_arm_spec})["contrasts"]


def same(ours: float, theirs: float) -> bool:
    if math.isnan(theirs) or math.isinf(theirs):
        return (math.isnan(ours) and math.isnan(theirs)) or ours == theirs
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)


def test_difference_and_ratios_follow_survrm2_formulas_on_r_estimates(random_cases, r_contrasts) -> None:
    by_case = dict(tuple(random_cases.groupby("case")))
    columns = {"RMST difference": "diff", "RMST ratio": "ratio", "RMTL ratio": "rmtl"}
    failures = []
    for r in r_contrasts.itertuples(index=False):
        y = by_case[r.case]
        y = y[y["group"].isin(["A", "B"])]
        res = compare_rmst(y["time"], y["status"], y["group"], control="A",
                           tau=None if r.which == "default" else r.tau)
        if r.which == "default" and res.tau != r.tau:
            failures.append((r.case, "default tau", res.tau, r.tau))
        for contrast, prefix in columns.items():
            row = res.contrasts.loc[contrast]
            pairs = ((row["estimate"], getattr(r, prefix)), (row["lower_0.95"], getattr(r, f"{prefix}_lo")),
                     (row["upper_0.95"], getattr(r, f"{prefix}_hi")), (row["p"], getattr(r, f"{prefix}_p")))
            for ours, theirs in pairs:
                if not same(float(ours), float(theirs)):
                    failures.append((r.case, r.which, contrast, ours, theirs))
    assert len(r_contrasts) >= 350
    assert not failures, failures[:5]


@pytest.fixture(scope="module")
def pbc(r_session) -> pd.DataFrame:
    data = r_session.run(R_PBC, {})["pbc"]
    return data.astype({"status": "int64", "arm": "int64"})


def test_pbc_example_reproduces_the_survrm2_vignette(pbc: pd.DataFrame) -> None:
    res = compare_rmst(pbc["time"], pbc["status"], pbc["arm"], tau=10, control=0)
    arms = res.arms.round(3)
    # vignette: RMST (arm=1) 7.146 se 0.283 (6.592, 7.701); RMST (arm=0) 7.283 se 0.295 (6.704, 7.863)
    assert arms.loc["1", ["rmst", "se", "lower_0.95", "upper_0.95"]].tolist() == [7.146, 0.283, 6.592, 7.701]
    assert arms.loc["0", ["rmst", "se", "lower_0.95", "upper_0.95"]].tolist() == [7.283, 0.295, 6.704, 7.863]
    assert arms["rmtl"].tolist() == [2.854, 2.717]
    published = {"RMST difference": [-0.137, -0.939, 0.665, 0.738],
                 "RMST ratio": [0.981, 0.878, 1.096, 0.738],
                 "RMTL ratio": [1.050, 0.787, 1.402, 0.738]}
    for contrast, values in published.items():
        row = res.contrasts.loc[contrast, ["estimate", "lower_0.95", "upper_0.95", "p"]].round(3)
        assert row.tolist() == values, contrast


def test_tau_beyond_the_last_censored_time_is_rejected_as_survrm2_does() -> None:
    t = [1, 2, 3, 4, 5, 2, 3, 8]
    e = [1, 1, 0, 1, 0, 1, 1, 0]
    arm = ["A"] * 5 + ["B"] * 3
    assert compare_rmst(t, e, arm).tau == 5.0
    with pytest.raises(DomainError, match="tau"):
        compare_rmst(t, e, arm, tau=6.0)


def test_tau_before_the_first_time_is_rejected_as_r_does() -> None:
    with pytest.raises(DomainError, match="smallest follow-up time"):
        rmst_by_group([2, 3, 5], [1, 0, 1], tau=1.5)


def test_results_render_as_text_and_html() -> None:
    t = [1, 2, 3, 4, 5, 2, 3, 8]
    e = [1, 1, 0, 1, 0, 1, 1, 0]
    res = compare_rmst(t, e, ["A"] * 5 + ["B"] * 3, tau=4)
    assert "RMST difference" in res.to_text() and "<table" in res.to_html()
    one = rmst_by_group(t, e, tau=4)
    assert list(one.summary.index) == ["all"] and "Restricted mean" in one.to_text()
