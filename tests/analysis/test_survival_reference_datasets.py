"""Kaplan–Meier and log-rank on the published R ``survival`` data sets.

Two kinds of reference:

* values printed by R for ``survival::aml`` (Miller, 1981: acute myelogenous leukaemia,
  maintained vs non-maintained chemotherapy), as shown by ``print(survfit(...))``,
  ``quantile(survfit(...))`` and ``survdiff(...)`` in R ``survival`` 3.5 (the rounding of the
  printout is the tolerance), and the lung-cancer ``survdiff(Surv(time, status) ~ sex, lung)``
  statistic 10.3267419549 (../shared/research/stats-semantics.md §1.3);
* R itself, run on ``aml``, ``lung``, ``ovarian`` and ``veteran`` as shipped with the package
  (R writes the data and the reference numbers; nothing is computed with our code first).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.kaplan_meier import KaplanMeierFitter, fit_by_group
from oncotrial.analysis.logrank import survdiff

# survival::aml, as listed in the package (time in weeks, status 1 = relapse).
AML_MAINTAINED = ([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161], [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
AML_NONMAINTAINED = ([5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])


def aml() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.array(AML_MAINTAINED[0] + AML_NONMAINTAINED[0], dtype=float)
    e = np.array(AML_MAINTAINED[1] + AML_NONMAINTAINED[1])
    g = np.array(["Maintained"] * 11 + ["Nonmaintained"] * 12)
    return t, e, g


def test_aml_medians_and_limits_are_those_r_prints():
    t, e, g = aml()
    fits = fit_by_group(t, e, g)
    assert fits["Maintained"].median_survival_time_ == 31
    assert fits["Maintained"].median_confidence_interval_[0] == 18
    assert np.isnan(fits["Maintained"].median_confidence_interval_[1])
    assert fits["Nonmaintained"].median_survival_time_ == 23
    assert fits["Nonmaintained"].median_confidence_interval_[0] == 8


def test_aml_quartiles_and_limits_are_those_of_quantile_survfit():
    t, e, g = aml()
    fits = fit_by_group(t, e, g)
    m = fits["Maintained"].quantiles()
    n = fits["Nonmaintained"].quantiles()
    np.testing.assert_array_equal(m["time"], [18, 31, 48])
    np.testing.assert_array_equal(m["lower"], [13, 18, 34])
    assert m["upper"].isna().all()
    np.testing.assert_array_equal(n["time"], [8, 23, 33])
    np.testing.assert_array_equal(n["lower"], [5, 8, 27])
    np.testing.assert_array_equal(n["upper"], [30, np.nan, np.nan])


def test_aml_summary_standard_error_at_week_9_is_greenwood_on_the_survival_scale():
    t, e, _ = aml()
    km = KaplanMeierFitter().fit(t[:11], e[:11])
    row = km.survival_at([9]).iloc[0]
    assert row["std_err"] == pytest.approx(0.0866784172, abs=5e-11)
    assert row["std_err"] == pytest.approx(10 / 11 * np.sqrt(1 / 110), rel=1e-14)


def test_aml_log_rank_is_the_printed_survdiff():
    t, e, g = aml()
    result = survdiff(t, e, g)
    np.testing.assert_array_equal(result.observed, [7, 11])
    np.testing.assert_allclose(result.expected, [10.69, 7.31], atol=0.005)
    assert result.chisq == pytest.approx(3.4, abs=0.05)
    assert result.p_value == pytest.approx(0.07, abs=0.005)
    assert result.df == 1


def test_lung_log_rank_by_sex_uses_the_hypergeometric_variance(r_session):
    lung = r_session.run('write_hex(lung[, c("time", "status", "sex")], "lung.csv")', {})["lung"]
    result = survdiff(lung["time"], lung["status"] - 1, lung["sex"])
    assert result.chisq == pytest.approx(10.3267419549, abs=5e-11)


R_DATASETS = r"""
sets <- list(
  aml = data.frame(time = aml$time, status = aml$status, group = as.character(aml$x), stratum = "all"),
  lung = with(lung[!is.na(lung$ph.ecog), ], data.frame(time = time, status = status - 1,
    group = as.character(sex), stratum = as.character(ph.ecog))),
  ovarian = data.frame(time = ovarian$futime, status = ovarian$fustat, group = as.character(ovarian$rx),
    stratum = as.character(ovarian$resid.ds)),
  veteran = data.frame(time = veteran$time, status = veteran$status, group = as.character(veteran$trt),
    stratum = as.character(veteran$celltype)))
data <- list(); curves <- list(); quants <- list(); tests <- list()
for (nm in names(sets)) {
  x <- sets[[nm]]
  data[[nm]] <- cbind(set = nm, x)
  for (ct in c("log", "log-log", "plain")) {
    f <- survfit(Surv(time, status) ~ group, data = x, conf.type = ct)
    grp <- rep(sub("group=", "", names(f$strata)), f$strata)
    curves[[length(curves) + 1]] <- data.frame(set = nm, conf = ct, group = grp, time = f$time,
      n.risk = f$n.risk, surv = f$surv, std.err = f$std.err, lower = f$lower, upper = f$upper)
    q <- quantile(f, c(0.25, 0.5, 0.75))
    quants[[length(quants) + 1]] <- data.frame(set = nm, conf = ct,
      group = rep(sub("group=", "", rownames(q$quantile)), 3),
      prob = rep(c(0.25, 0.5, 0.75), each = nrow(q$quantile)),
      quantile = c(q$quantile), lower = c(q$lower), upper = c(q$upper))
  }
  for (rho in c(0, 1)) for (st in c(FALSE, TRUE)) {
    s <- if (st) survdiff(Surv(time, status) ~ group + strata(stratum), data = x, rho = rho)
         else survdiff(Surv(time, status) ~ group, data = x, rho = rho)
    tests[[length(tests) + 1]] <- data.frame(set = nm, rho = rho, strat = st, chisq = s$chisq, p = s$pvalue)
  }
}
write_hex(do.call(rbind, data), "data.csv")
write_hex(do.call(rbind, curves), "curves.csv")
write_hex(do.call(rbind, quants), "quantiles.csv")
write_hex(do.call(rbind, tests), "tests.csv")
"""


@pytest.fixture(scope="module")
def r_datasets(r_session) -> dict[str, pd.DataFrame]:
    return r_session.run(R_DATASETS, {})


@pytest.mark.parametrize("name", ["aml", "lung", "ovarian", "veteran"])
def test_published_datasets_match_r_curves_quantiles_and_tests(r_datasets, name):
    x = r_datasets["data"][r_datasets["data"]["set"] == name]
    groups = x["group"].astype(str).to_numpy()
    for ct in ("log", "log-log", "plain"):
        fits = fit_by_group(x["time"], x["status"], groups, conf_type=ct)
        curves = r_datasets["curves"]
        curves = curves[(curves["set"] == name) & (curves["conf"] == ct)]
        quants = r_datasets["quantiles"]
        quants = quants[(quants["set"] == name) & (quants["conf"] == ct)]
        for label, km in fits.items():
            r = curves[curves["group"].astype(str) == label]
            np.testing.assert_array_equal(km.timeline_, r["time"])
            np.testing.assert_array_equal(km.n_risk_, r["n.risk"])
            for ours, col in ((km.survival_, "surv"), (km.se_log_, "std.err"), (km.lower_, "lower"),
                              (km.upper_, "upper")):
                np.testing.assert_allclose(ours, r[col], rtol=1e-12, err_msg=f"{name} {ct} {label} {col}")
            rq = quants[quants["group"].astype(str) == label]
            q = km.quantiles([0.25, 0.5, 0.75])
            for ours, col in (("time", "quantile"), ("lower", "lower"), ("upper", "upper")):
                np.testing.assert_array_equal(q[ours], rq[col], err_msg=f"{name} {ct} {label} {col}")
    tests = r_datasets["tests"]
    for row in tests[tests["set"] == name].itertuples(index=False):
        strata = x["stratum"].astype(str) if row.strat else None
        ours = survdiff(x["time"], x["status"], groups, strata=strata, rho=row.rho)
        assert ours.chisq == pytest.approx(row.chisq, rel=1e-10), (name, row.rho, row.strat)
        assert ours.p_value == pytest.approx(row.p, rel=1e-8), (name, row.rho, row.strat)
