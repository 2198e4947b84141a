"""The landmark survival rate and its between-arm difference against R on seeded random data.

R computes each arm's ``summary(survfit(...), times = tau)`` with ``conf.type`` ``log-log``
and ``log`` (times merged by ``aeqSurv`` over both arms first, as a two-arm ``survfit``
does), then the difference, its Greenwood standard error, Wald CI and two-sided p from
those numbers. Landmarks alternate between a data time (boundary: the step is included)
and a time between data times. Tolerance 1e-10 relative (1e-8 for p-values).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.landmark import compare_landmark_survival

R_SCRIPT = r"""
d <- read_hex("data.csv"); lm <- read_hex("landmarks.csv")
arms <- list(); diffs <- list()
for (cs in unique(d$case)) {
  x <- d[d$case == cs & d$group %in% c("A", "B"), ]
  x$time <- aeqSurv(Surv(x$time, x$status))[, 1]
  tau <- lm$landmark[lm$case == cs]
  est <- list()
  for (g in c("A", "B")) {
    xg <- x[x$group == g, ]
    row <- data.frame(case = cs, arm = g, surv = NA_real_, std.err = NA_real_, n.risk = NA_real_,
      n.event = NA_real_, lower_loglog = NA_real_, upper_loglog = NA_real_, lower_log = NA_real_,
      upper_log = NA_real_)
    if (tau <= max(xg$time)) {
      s1 <- summary(survfit(Surv(time, status) ~ 1, data = xg, conf.type = "log-log"), times = tau)
      s2 <- summary(survfit(Surv(time, status) ~ 1, data = xg, conf.type = "log"), times = tau)
      row$surv <- s1$surv; row$std.err <- s1$std.err; row$n.risk <- s1$n.risk; row$n.event <- s1$n.event
      row$lower_loglog <- s1$lower; row$upper_loglog <- s1$upper
      row$lower_log <- s2$lower; row$upper_log <- s2$upper
    }
    est[[g]] <- row
    arms[[length(arms) + 1]] <- row
  }
  dd <- est$B$surv - est$A$surv
  se <- sqrt(est$B$std.err^2 + est$A$std.err^2)
  z <- dd / se
  diffs[[length(diffs) + 1]] <- data.frame(case = cs, difference = dd, se = se,
    lower = dd - qnorm(0.975) * se, upper = dd + qnorm(0.975) * se, z = z, p = 2 * pnorm(-abs(z)))
}
write_hex(do.call(rbind, arms), "arms.csv")
write_hex(do.call(rbind, diffs), "differences.csv")
"""


def landmark_for(case: int, t: np.ndarray) -> float:
    """A data time for even cases, a time between data times for odd ones."""
    u = np.unique(t)
    if case % 2 == 0 or u.size < 2:
        return float(u[u.size // 2])
    return float((u[u.size // 2 - 1] + u[u.size // 2]) / 2)


@pytest.fixture(scope="module")
def two_arm_cases(random_cases: pd.DataFrame) -> pd.DataFrame:
    return random_cases[random_cases["group"].isin(["A", "B"])]


@pytest.fixture(scope="module")
def r_landmark(r_session, two_arm_cases: pd.DataFrame) -> dict[str, pd.DataFrame]:
    landmarks = pd.DataFrame([{"case": case, "landmark": landmark_for(int(case), x["time"].to_numpy())}
                              for case, x in two_arm_cases.groupby("case")])
    results = r_session.run(R_SCRIPT, {"data": two_arm_cases, "landmarks": landmarks})
    return {**results, "landmarks": landmarks}


def close(ours: float, ref: float, rtol: float = 1e-10) -> bool:
    if math.isnan(ref) or math.isnan(ours):
        return math.isnan(ref) and math.isnan(ours)
    return math.isclose(ours, ref, rel_tol=rtol, abs_tol=1e-14)


def test_arm_rates_and_difference_match_r(two_arm_cases, r_landmark):
    arms = r_landmark["arms"].set_index(["case", "arm"])
    diffs = r_landmark["differences"].set_index("case")
    taus = r_landmark["landmarks"].set_index("case")["landmark"]
    for case, x in two_arm_cases.groupby("case"):
        ours = compare_landmark_survival(x["time"], x["status"], x["group"], landmark=taus[case], control="A")
        assert ours.experimental == "B"
        for arm in ("A", "B"):
            r = arms.loc[(case, arm)]
            mine = ours.arms.loc[arm]
            for col, rcol in (("survival", "surv"), ("std_err", "std.err"), ("lower_loglog", "lower_loglog"),
                              ("upper_loglog", "upper_loglog"), ("lower_log", "lower_log"),
                              ("upper_log", "upper_log"), ("n_risk", "n.risk"), ("events", "n.event")):
                value = float("nan") if pd.isna(mine[col]) else float(mine[col])
                assert close(value, float(r[rcol])), f"case {case} arm {arm} {col}: {value} vs {r[rcol]}"
        r = diffs.loc[case]
        for mine, rcol in ((ours.difference, "difference"), (ours.std_err, "se"), (ours.lower, "lower"),
                           (ours.upper, "upper"), (ours.z, "z")):
            assert close(mine, float(r[rcol])), f"case {case} {rcol}: {mine} vs {r[rcol]}"
        assert close(ours.p_value, float(r["p"]), rtol=1e-8), f"case {case} p"
