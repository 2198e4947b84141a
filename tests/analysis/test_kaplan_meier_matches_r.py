"""Kaplan–Meier against R ``survfit`` on seeded random data with ties, near-ties and censoring.

One ``Rscript`` call computes, for every case and every ``conf.type``: the curve
(``survfit``), quantiles with limits (``quantile.survfit``), the curve at chosen times
(``summary(times=, extend=)``) and per-group quantiles (``survfit(~ group)``).

Tolerances: counts and times exactly; estimates, standard errors and limits to 1e-10
relative (both sides compute the same products of doubles; observed differences are a few
ulp); quantiles and their limits exactly (they are data times or midpoints of two).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.kaplan_meier import KaplanMeierFitter, fit_by_group

CONF_TYPES = ("log", "log-log", "plain")
PROBS = (0.1, 0.25, 0.5, 0.75, 0.9)
RTOL = 1e-10

R_SCRIPT = r"""
d <- read_hex("data.csv"); tt <- read_hex("times.csv")
probs <- c(0.1, 0.25, 0.5, 0.75, 0.9)
curves <- list(); quants <- list(); at <- list(); gq <- list(); printed <- list()
for (cs in unique(d$case)) {
  x <- d[d$case == cs, ]; times <- tt$time[tt$case == cs]
  for (ct in c("log", "log-log", "plain")) {
    f <- survfit(Surv(time, status) ~ 1, data = x, conf.type = ct)
    curves[[length(curves) + 1]] <- data.frame(case = cs, conf = ct, time = f$time, n.risk = f$n.risk,
      n.event = f$n.event, n.censor = f$n.censor, surv = f$surv, std.err = f$std.err,
      lower = f$lower, upper = f$upper)
    q <- quantile(f, probs)
    tb <- summary(f)$table
    printed[[length(printed) + 1]] <- data.frame(case = cs, conf = ct, median = unname(tb["median"]),
      lower = unname(tb[paste0(f$conf.int, "LCL")]), upper = unname(tb[paste0(f$conf.int, "UCL")]))
    quants[[length(quants) + 1]] <- data.frame(case = cs, conf = ct, prob = probs,
      quantile = unname(q$quantile), lower = unname(q$lower), upper = unname(q$upper))
    for (ext in c(FALSE, TRUE)) {
      s <- tryCatch(summary(f, times = times, extend = ext), error = function(e) NULL)
      if (!is.null(s)) at[[length(at) + 1]] <- data.frame(case = cs, conf = ct, extend = ext,
        time = s$time, n.risk = s$n.risk, n.event = s$n.event, n.censor = s$n.censor,
        surv = s$surv, std.err = s$std.err, lower = s$lower, upper = s$upper)
    }
    g <- quantile(survfit(Surv(time, status) ~ group, data = x, conf.type = ct), probs)
    m <- g$quantile
    gq[[length(gq) + 1]] <- data.frame(case = cs, conf = ct,
      group = rep(sub("group=", "", rownames(m)), times = length(probs)),
      prob = rep(probs, each = nrow(m)), quantile = c(m), lower = c(g$lower), upper = c(g$upper))
  }
}
write_hex(do.call(rbind, curves), "curve.csv")
write_hex(do.call(rbind, quants), "quantile.csv")
write_hex(do.call(rbind, at), "at_times.csv")
write_hex(do.call(rbind, gq), "group_quantile.csv")
write_hex(do.call(rbind, printed), "printed_median.csv")
"""


def requested_times(t: np.ndarray) -> np.ndarray:
    """Times for summary(times=): before, at and between data times, the end and beyond."""
    inside = np.quantile(t, [0.2, 0.5, 0.8])
    return np.unique(np.concatenate(([-1.0, 0.0], inside, np.sort(t)[: 1], [t.max(), t.max() + 1.5])))


@pytest.fixture(scope="module")
def r_reference(r_session, random_cases: pd.DataFrame) -> dict[str, pd.DataFrame]:
    times = pd.concat([pd.DataFrame({"case": case, "time": requested_times(x["time"].to_numpy())})
                       for case, x in random_cases.groupby("case")], ignore_index=True)
    return r_session.run(R_SCRIPT, {"data": random_cases, "times": times})


class Worst:
    """Largest absolute and relative differences seen, reported in failures and with -s."""

    def __init__(self) -> None:
        self.abs = 0.0
        self.rel = 0.0

    def check(self, ours: np.ndarray, ref: np.ndarray, what: str) -> None:
        ours, ref = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
        assert ours.shape == ref.shape, what
        np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref), err_msg=what)
        ok = np.isfinite(ref) & np.isfinite(ours)
        np.testing.assert_array_equal(ours[~ok & ~np.isnan(ref)], ref[~ok & ~np.isnan(ref)], err_msg=what)
        if ok.any():
            diff = np.abs(ours[ok] - ref[ok])
            self.abs = max(self.abs, float(diff.max()))
            nz = ref[ok] != 0
            if nz.any():
                self.rel = max(self.rel, float((diff[nz] / np.abs(ref[ok][nz])).max()))
            np.testing.assert_allclose(ours[ok], ref[ok], rtol=RTOL, atol=1e-300, err_msg=what)


def split(ref: pd.DataFrame, *keys: str) -> dict[tuple, pd.DataFrame]:
    """R's rows by key, looked up once (filtering the long frame per case would dominate the runtime)."""
    return {k if isinstance(k, tuple) else (k,): v for k, v in ref.groupby(list(keys), sort=False)}


def cases(random_cases: pd.DataFrame):
    for case, x in random_cases.groupby("case"):
        yield int(case), x["time"].to_numpy(), x["status"].to_numpy(), x["group"].to_numpy()


def test_curve_counts_estimates_and_bands_match_survfit(random_cases, r_reference):
    ref = split(r_reference["curve"], "case", "conf")
    worst = Worst()
    for case, t, e, _ in cases(random_cases):
        for ct in CONF_TYPES:
            r = ref[case, ct]
            km = KaplanMeierFitter(conf_type=ct).fit(t, e)
            what = f"case {case} conf {ct}"
            np.testing.assert_array_equal(km.timeline_, r["time"], err_msg=what)
            for ours, col in ((km.n_risk_, "n.risk"), (km.n_event_, "n.event"), (km.n_censor_, "n.censor")):
                np.testing.assert_array_equal(ours, r[col].astype(int), err_msg=f"{what} {col}")
            for ours, col in ((km.survival_, "surv"), (km.se_log_, "std.err"), (km.lower_, "lower"),
                              (km.upper_, "upper")):
                worst.check(ours, r[col].to_numpy(), f"{what} {col}")
    print(f"\nKM curves vs R: max abs diff {worst.abs:.3g}, max rel diff {worst.rel:.3g}")


def test_quantiles_and_their_limits_equal_quantile_survfit_exactly(random_cases, r_reference):
    ref = split(r_reference["quantile"], "case", "conf")
    for case, t, e, _ in cases(random_cases):
        for ct in CONF_TYPES:
            r = ref[case, ct]
            q = KaplanMeierFitter(conf_type=ct).fit(t, e).quantiles(PROBS)
            for ours, col in (("time", "quantile"), ("lower", "lower"), ("upper", "upper")):
                np.testing.assert_array_equal(q[ours].to_numpy(), r[col].to_numpy(),
                                              err_msg=f"case {case} conf {ct} {col}")


def test_group_quantiles_use_near_ties_merged_over_all_groups(random_cases, r_reference):
    ref = split(r_reference["group_quantile"], "case", "conf", "group")
    for case, t, e, g in cases(random_cases):
        for ct in CONF_TYPES:
            for level, km in fit_by_group(t, e, g, conf_type=ct).items():
                r = ref[case, ct, level]
                q = km.quantiles(PROBS)
                for ours, col in (("time", "quantile"), ("lower", "lower"), ("upper", "upper")):
                    np.testing.assert_array_equal(q[ours].to_numpy(), r[col].to_numpy(),
                                                  err_msg=f"case {case} conf {ct} group {level} {col}")


def test_survival_at_times_matches_summary_times_with_and_without_extend(random_cases, r_reference):
    ref = split(r_reference["at_times"], "case", "conf", "extend")
    worst = Worst()
    for case, t, e, _ in cases(random_cases):
        for ct in CONF_TYPES:
            km = KaplanMeierFitter(conf_type=ct).fit(t, e)
            for extend in (False, True):
                r = ref[case, ct, extend]
                s = km.survival_at(requested_times(t), extend=extend)
                what = f"case {case} conf {ct} extend {extend}"
                np.testing.assert_array_equal(s["time"], r["time"], err_msg=what)
                for col in ("n_risk", "n_event", "n_censor"):
                    np.testing.assert_array_equal(s[col], r[col.replace("_", ".")].astype(int),
                                                  err_msg=f"{what} {col}")
                for col in ("survival", "std_err", "lower", "upper"):
                    rcol = {"survival": "surv", "std_err": "std.err"}.get(col, col)
                    worst.check(s[col].to_numpy(), r[rcol].to_numpy(), f"{what} {col}")
    print(f"\nsummary(times=) vs R: max abs diff {worst.abs:.3g}, max rel diff {worst.rel:.3g}")


def test_median_as_printed_equals_the_survfit_table_exactly(random_cases, r_reference):
    ref = split(r_reference["printed_median"], "case", "conf")
    differs_from_quantile = 0
    for case, t, e, _ in cases(random_cases):
        for ct in CONF_TYPES:
            km = KaplanMeierFitter(conf_type=ct).fit(t, e)
            r = ref[case, ct]
            printed = r[["median", "lower", "upper"]].to_numpy()[0]
            np.testing.assert_array_equal(km.median_as_printed(), printed, err_msg=f"case {case} conf {ct}")
            quantile_rule = (km.median_survival_time_, *km.median_confidence_interval_)
            differs_from_quantile += not np.array_equal(km.median_as_printed(), quantile_rule, equal_nan=True)
    print(f"\nprint.survfit median differs from quantile.survfit in {differs_from_quantile} fits")
