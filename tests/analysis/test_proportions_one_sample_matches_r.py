"""One-sample response-rate intervals against R ``binom.test`` and ``prop.test`` on seeded random counts.

Cases cover n = 1 to 2000, x = 0, x = n, x = n/2 and levels 0.80–0.99. Tolerance 1e-9 relative
(absolute 1e-15 at 0): the same formulas and R's normal quantile algorithm are used, so the
worst case observed is at the level of rounding; the Clopper–Pearson limits come from SciPy's
(Boost) inverse incomplete beta against R's ``qbeta``.

The corrected Wilson interval is compared with ``prop.test(correct = TRUE)`` at a null ``p``
for which R applies the full correction; at x = n/2 R's default (p = 0.5) drops the
correction, which one test documents.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.proportions import binomial_ci, clopper_pearson_interval, wilson_interval
from oncotrial.core.errors import DomainError

R_SCRIPT = r"""
d <- read.csv("cases.csv")
out <- vector("list", nrow(d))
for (i in seq_len(nrow(d))) {
  r <- d[i, ]
  cp <- binom.test(r$x, r$n, conf.level = r$level)$conf.int
  w <- suppressWarnings(prop.test(r$x, r$n, correct = FALSE, conf.level = r$level)$conf.int)
  wc <- suppressWarnings(prop.test(r$x, r$n, p = r$p0, correct = TRUE, conf.level = r$level)$conf.int)
  wd <- suppressWarnings(prop.test(r$x, r$n, correct = TRUE, conf.level = r$level)$conf.int)
  out[[i]] <- data.frame(case = r$case, cp_lo = cp[1], cp_hi = cp[2], w_lo = w[1], w_hi = w[2],
                         wc_lo = wc[1], wc_hi = wc[2], wd_lo = wd[1], wd_hi = wd[2])
}
write_hex(do.call(rbind, out), "intervals.csv")
"""

LEVELS = (0.8, 0.9, 0.95, 0.99)


def make_cases(seed: int = 20260402, n_cases: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for case in range(n_cases):
        n = int(rng.choice([rng.integers(1, 12), rng.integers(12, 200), rng.integers(200, 2001)]))
        style = case % 5
        x = {0: 0, 1: n, 2: n // 2}.get(style, int(rng.integers(0, n + 1)))
        # a null p at which R's correction min(0.5, |x - n p|) is the full 0.5
        p0 = 0.5 if abs(x - n / 2) >= 0.5 else (x + 0.5) / n
        rows.append({"case": case, "x": x, "n": n, "level": float(rng.choice(LEVELS)), "p0": p0})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return make_cases()


@pytest.fixture(scope="module")
def r_intervals(r_session, cases: pd.DataFrame) -> pd.DataFrame:
    out = r_session.run(R_SCRIPT, {"cases": cases})["intervals"]
    return cases.merge(out, on="case")


def assert_close(ours: float, theirs: float, what: str, rel: float = 1e-9) -> None:
    assert math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-15), f"{what}: ours {ours!r}, R {theirs!r}"


def test_clopper_pearson_matches_binom_test(r_intervals: pd.DataFrame) -> None:
    for r in r_intervals.itertuples(index=False):
        lo, hi = clopper_pearson_interval(r.x, r.n, r.level)
        assert_close(lo, r.cp_lo, f"case {r.case} lower")
        assert_close(hi, r.cp_hi, f"case {r.case} upper")


def test_wilson_matches_prop_test_without_correction(r_intervals: pd.DataFrame) -> None:
    for r in r_intervals.itertuples(index=False):
        lo, hi = wilson_interval(r.x, r.n, r.level)
        assert_close(lo, r.w_lo, f"case {r.case} lower")
        assert_close(hi, r.w_hi, f"case {r.case} upper")


def test_corrected_wilson_matches_prop_test_with_full_correction(r_intervals: pd.DataFrame) -> None:
    for r in r_intervals.itertuples(index=False):
        lo, hi = wilson_interval(r.x, r.n, r.level, correct=True)
        assert_close(lo, r.wc_lo, f"case {r.case} lower")
        assert_close(hi, r.wc_hi, f"case {r.case} upper")


def test_r_default_drops_the_correction_exactly_at_half_which_we_do_not(r_intervals: pd.DataFrame) -> None:
    half = r_intervals[(2 * r_intervals["x"] == r_intervals["n"])]
    assert len(half) > 20
    for r in half.itertuples(index=False):
        uncorrected = wilson_interval(r.x, r.n, r.level)
        assert_close(uncorrected[0], r.wd_lo, f"case {r.case}")
        assert_close(uncorrected[1], r.wd_hi, f"case {r.case}")
        corrected = wilson_interval(r.x, r.n, r.level, correct=True)
        assert corrected[0] < r.wd_lo and corrected[1] > r.wd_hi
    others = r_intervals[(2 * r_intervals["x"] != r_intervals["n"]) & (r_intervals["p0"] == 0.5)]
    for r in others.itertuples(index=False):
        assert_close(wilson_interval(r.x, r.n, r.level, correct=True)[0], r.wd_lo, f"case {r.case}")


def test_result_object_reports_rate_and_limits_in_one_table() -> None:
    result = binomial_ci(7, 20, method="wilson", label="HAIC + systemic")
    row = result.summary.loc["HAIC + systemic"]
    assert row["x"] == 7 and row["n"] == 20 and row["rate"] == pytest.approx(0.35)
    assert (row["lower_0.95"], row["upper_0.95"]) == wilson_interval(7, 20)
    assert "Wilson score" in result.to_text()
    assert "<table" in result.to_html() and "HAIC + systemic" in result.to_html()


def test_extreme_counts_give_closed_limits() -> None:
    assert clopper_pearson_interval(0, 15)[0] == 0.0
    assert clopper_pearson_interval(15, 15)[1] == 1.0
    # (alpha/2)^(1/n) closes the one-sided exact limit at x = n (Clopper & Pearson 1934)
    assert clopper_pearson_interval(15, 15)[0] == pytest.approx(0.025 ** (1 / 15), rel=1e-12)
    assert wilson_interval(0, 15)[0] == 0.0 and wilson_interval(15, 15)[1] == 1.0


@pytest.mark.parametrize(("x", "n"), [(-1, 10), (11, 10), (3, 0), (2.5, 10), (True, 3), ("3", 10)])
def test_impossible_counts_are_rejected_with_the_field_named(x: object, n: object) -> None:
    with pytest.raises(DomainError) as info:
        binomial_ci(x, n)  # type: ignore[arg-type]
    assert info.value.field in {"x", "n"}


def test_unknown_method_and_level_are_rejected() -> None:
    with pytest.raises(DomainError, match="method"):
        binomial_ci(3, 10, method="agresti-coull")  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="conf_level"):
        binomial_ci(3, 10, conf_level=95)
