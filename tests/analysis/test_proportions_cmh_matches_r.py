"""Cochran–Mantel–Haenszel test against R ``mantelhaen.test`` on seeded random stratified 2×2 tables.

300 data sets with 2–6 strata of 2–80 patients (zero cells, strata with one arm empty, all
responders), each with and without continuity correction, the three alternatives and levels
0.80–0.99. Statistic, p-value, Mantel–Haenszel common odds ratio and its Robins–Breslow–Greenland
limits agree with R to 1e-9 relative (the same closed forms; R's normal quantile algorithm).
Degenerate data where R returns NaN (no variance) or an infinite or zero odds ratio are
compared for equality.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.proportions import mantel_haenszel
from oncotrial.core.errors import DomainError

R_ALTERNATIVE = {"two-sided": "two.sided", "less": "less", "greater": "greater"}

R_SCRIPT = r"""
strata <- read.csv("strata.csv"); runs <- read.csv("runs.csv", stringsAsFactors = FALSE)
out <- vector("list", nrow(runs))
for (i in seq_len(nrow(runs))) {
  r <- runs[i, ]; s <- strata[strata$case == r$case, ]
  tab <- array(rbind(s$x1, s$x2, s$n1 - s$x1, s$n2 - s$x2), dim = c(2, 2, nrow(s)))
  f <- mantelhaen.test(tab, correct = r$correct, alternative = r$alt, conf.level = r$level)
  out[[i]] <- data.frame(run = r$run, statistic = unname(f$statistic), p = f$p.value,
                         estimate = unname(f$estimate), lower = f$conf.int[1], upper = f$conf.int[2])
}
write_hex(do.call(rbind, out), "cmh.csv")
"""


def make_strata(seed: int = 20260408, n_cases: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for case in range(n_cases):
        for _ in range(int(rng.integers(2, 7))):
            n1 = int(rng.integers(0, 41))
            n2 = int(rng.integers(max(0, 2 - n1), 41))
            p1, p2 = rng.uniform(0, 1, 2)
            x1, x2 = int(rng.binomial(n1, p1)), int(rng.binomial(n2, p2))
            if case % 11 == 0:
                x1, x2 = n1, n2  # everybody responds: no variance
            rows.append({"case": case, "x1": x1, "n1": n1, "x2": x2, "n2": n2})
    return pd.DataFrame(rows)


def make_runs(n_cases: int, seed: int = 20260409) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    runs = []
    for case in range(n_cases):
        for correct in (True, False):
            alt = ("two-sided", "less", "greater")[int(rng.integers(3))]
            runs.append({"run": len(runs), "case": case, "correct": correct, "alternative": alt,
                         "alt": R_ALTERNATIVE[alt], "level": float(rng.choice([0.8, 0.9, 0.95, 0.99]))})
    frame = pd.DataFrame(runs)
    frame["correct"] = frame["correct"].map({True: "TRUE", False: "FALSE"})
    return frame


@pytest.fixture(scope="module")
def strata() -> pd.DataFrame:
    return make_strata()


@pytest.fixture(scope="module")
def r_cmh(r_session, strata: pd.DataFrame) -> pd.DataFrame:
    runs = make_runs(int(strata["case"].nunique()))
    out = r_session.run(R_SCRIPT, {"strata": strata, "runs": runs})["cmh"]
    return runs.merge(out, on="run")


def same(ours: float, theirs: float) -> bool:
    if math.isnan(theirs) or math.isinf(theirs) or theirs == 0:
        return (math.isnan(ours) and math.isnan(theirs)) or ours == theirs
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-300)


def test_statistic_p_value_and_common_odds_ratio_match_mantelhaen_test(strata, r_cmh) -> None:
    by_case = dict(tuple(strata.groupby("case")))
    failures = []
    for r in r_cmh.itertuples(index=False):
        s = by_case[r.case]
        res = mantel_haenszel(s["x1"], s["n1"], s["x2"], s["n2"], correct=r.correct == "TRUE",
                              alternative=r.alternative, conf_level=r.level)
        for name, ours, theirs in (("statistic", res.statistic, r.statistic), ("p", res.p_value, r.p),
                                   ("estimate", res.common_odds_ratio, r.estimate),
                                   ("lower", res.lower, r.lower), ("upper", res.upper, r.upper)):
            if not same(ours, theirs):
                failures.append((r.run, name, ours, theirs))
    assert not failures, failures[:10]


def test_random_data_include_degenerate_strata(r_cmh) -> None:
    assert r_cmh["statistic"].isna().sum() >= 20
    assert (np.isfinite(r_cmh["estimate"]) & (r_cmh["estimate"] > 0)).sum() >= 400


def test_continuity_correction_is_skipped_when_the_excess_is_below_one_half() -> None:
    # stratum 1: 1 - 2*2/4 = 0; stratum 2: 1 - 3*1/4 = 0.25; |Delta| < 1/2, so R's YATES is 0
    res_cc = mantel_haenszel([1, 1], [2, 3], [1, 0], [2, 1], correct=True)
    res = mantel_haenszel([1, 1], [2, 3], [1, 0], [2, 1], correct=False)
    assert res_cc.statistic == res.statistic > 0


def test_result_object_shows_each_stratum_and_the_pooled_test() -> None:
    result = mantel_haenszel([5, 9], [20, 25], [2, 4], [21, 24], strata=["ECOG 0", "ECOG 1"],
                             labels=("HAIC", "control"))
    assert list(result.strata.index) == ["ECOG 0", "ECOG 1"]
    assert result.strata.loc["ECOG 0", "odds_ratio"] == pytest.approx((5 * 19) / (15 * 2))
    assert "common_odds_ratio" in result.summary.columns
    assert "Mantel-Haenszel" in result.to_text() and "<table" in result.to_html()


def test_a_stratum_with_fewer_than_two_patients_is_rejected_as_in_r() -> None:
    with pytest.raises(DomainError, match="at least 2 patients"):
        mantel_haenszel([1, 0], [1, 5], [0, 2], [0, 5])


def test_strata_of_unequal_lengths_are_rejected() -> None:
    with pytest.raises(DomainError, match="one count per stratum"):
        mantel_haenszel([1, 2], [5, 5], [1], [5])
