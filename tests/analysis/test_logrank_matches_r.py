"""Log-rank and Fleming–Harrington tests against R ``survdiff`` on seeded random data.

Every random case (2–3 groups, 1–3 strata, ties, near-ties, censoring) is tested with
``rho`` 0, 0.5 and 1, with and without ``strata()``, in one ``Rscript`` call.

Tolerances: O, E, V and chi-square to 1e-10 relative (absolute 1e-12 for values that are
zero up to cancellation, e.g. chi-square when O = E); p-values to 1e-8 relative (R's
``pchisq`` and SciPy's ``chi2.sf`` are independent implementations).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.logrank import survdiff

RHOS = (0.0, 0.5, 1.0)

R_SCRIPT = r"""
d <- read_hex("data.csv")
hx <- function(v) paste(sprintf("%a", as.double(v)), collapse = ";")
out <- list(); errors <- list()
for (cs in unique(d$case)) {
  x <- d[d$case == cs, ]
  for (rho in c(0, 0.5, 1)) for (st in c(FALSE, TRUE)) {
    f <- tryCatch(if (st) survdiff(Surv(time, status) ~ group + strata(stratum), data = x, rho = rho)
                  else survdiff(Surv(time, status) ~ group, data = x, rho = rho),
                  error = function(e) conditionMessage(e))
    if (is.character(f)) {
      errors[[length(errors) + 1]] <- data.frame(case = cs, rho = rho, strat = st, message = f)
      next
    }
    o <- if (is.matrix(f$obs)) rowSums(f$obs) else f$obs
    e <- if (is.matrix(f$exp)) rowSums(f$exp) else f$exp
    out[[length(out) + 1]] <- data.frame(case = cs, rho = rho, strat = st, chisq = f$chisq,
      df = sum(e > 0) - 1, p = f$pvalue, obs = hx(o), exp = hx(e), var = hx(f$var),
      n = paste(as.integer(f$n), collapse = ";"))
  }
}
write_hex(do.call(rbind, out), "survdiff.csv")
write_hex(do.call(rbind, c(list(data.frame(case = integer(0), rho = double(0), strat = logical(0),
  message = character(0))), errors)), "errors.csv")
"""


def unhex(cell: str) -> np.ndarray:
    return np.array([float.fromhex(v) for v in cell.split(";")])


@pytest.fixture(scope="module")
def r_results(r_session, random_cases: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return r_session.run(R_SCRIPT, {"data": random_cases})


@pytest.fixture(scope="module")
def r_survdiff(r_results) -> pd.DataFrame:
    return r_results["survdiff"]


def test_r_computed_every_case_except_singular_stratified_variances(r_results, random_cases):
    errors = r_results["errors"]
    assert len(r_results["survdiff"]) + len(errors) == random_cases["case"].nunique() * len(RHOS) * 2
    assert len(errors) < 20
    assert errors["message"].str.contains("singular").all()


def test_where_r_stops_on_a_singular_variance_we_say_so_in_a_note(r_results, random_cases):
    by_case = dict(tuple(random_cases.groupby("case")))
    for row in r_results["errors"].itertuples(index=False):
        x = by_case[row.case]
        ours = survdiff(x["time"], x["status"], x["group"], strata=x["stratum"] if row.strat else None,
                        rho=row.rho)
        assert any("singular" in note for note in ours.notes), f"case {row.case}"


def test_observed_expected_variance_chisq_and_p_match_survdiff(random_cases, r_survdiff):
    by_case = dict(tuple(random_cases.groupby("case")))
    worst = {"abs": 0.0, "rel": 0.0, "p_rel": 0.0}
    for row in r_survdiff.itertuples(index=False):
        x = by_case[row.case]
        ours = survdiff(x["time"], x["status"], x["group"], strata=x["stratum"] if row.strat else None,
                        rho=row.rho)
        what = f"case {row.case} rho {row.rho} strata {row.strat}"
        np.testing.assert_array_equal(ours.n, [int(v) for v in row.n.split(";")], err_msg=what)
        assert ours.df == row.df, what
        pairs = ((ours.observed, unhex(row.obs), "obs"), (ours.expected, unhex(row.exp), "exp"),
                 (ours.variance.ravel(order="F"), unhex(row.var), "var"),
                 (np.array([ours.chisq]), np.array([row.chisq]), "chisq"))
        for mine, ref, name in pairs:
            np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-12, err_msg=f"{what} {name}")
            diff = np.abs(mine - ref)
            worst["abs"] = max(worst["abs"], float(diff.max()))
            big = np.abs(ref) > 1e-8
            if big.any():
                worst["rel"] = max(worst["rel"], float((diff[big] / np.abs(ref[big])).max()))
        np.testing.assert_allclose(ours.p_value, row.p, rtol=1e-8, err_msg=f"{what} p")
        worst["p_rel"] = max(worst["p_rel"], abs(ours.p_value - row.p) / row.p)
    print(f"\nsurvdiff vs R: max abs diff {worst['abs']:.3g}, max rel diff {worst['rel']:.3g} "
          f"(|ref| > 1e-8), p max rel diff {worst['p_rel']:.3g}")
