"""Intervals for a difference of two response rates against published examples, R and first principles.

Published values (4 decimals, so the tolerance is half a unit in the 4th decimal, 5e-5):

* Newcombe RG. Interval estimation for the difference between independent proportions:
  comparison of eleven methods. *Stat Med* 1998;17:873–890, **Table II**, examples (a)–(h),
  methods 5 (Mee), 6 (Miettinen–Nurminen), 10 (hybrid score) and 11 (hybrid score with
  continuity correction). Rows (a), (b) and (g) of methods 5, 6, 10 and 11 are also printed, from
  SAS PROC FREQ, in the WUSS 2016 paper "Confidence intervals for the difference of two
  proportions" (lexjansen.com/wuss/2016/127_Final_Paper_PDF.pdf, p. 9), which the R DescTools
  ``BinomDiffCI`` help page cites for its examples.
* The same WUSS 2016 paper, HIV trial example 84/101 vs 89/105 (methods 5, 6, 10, 11).

No R package for these intervals is installed, so R serves only through ``prop.test``: the
Newcombe interval is rebuilt from R's Wilson limits on random cases (1e-9 relative). The
Miettinen–Nurminen restricted MLE is checked against a direct numerical maximisation of the
constrained likelihood, and its limits against the defining equation Z(limit) = ±z.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize_scalar

from oncotrial.analysis.proportions import (
    difference_interval,
    miettinen_nurminen_interval,
    miettinen_nurminen_z,
    newcombe_interval,
    restricted_mle,
    risk_difference_ci,
)
from oncotrial.analysis.proportions_counts import z_two_sided
from oncotrial.core.errors import DomainError

TABLE_II_COUNTS = {
    "a": (56, 70, 48, 80), "b": (9, 10, 3, 10), "c": (6, 7, 2, 7), "d": (5, 56, 0, 29),
    "e": (0, 10, 0, 20), "f": (0, 10, 0, 10), "g": (10, 10, 0, 20), "h": (10, 10, 0, 10),
}

# Newcombe (1998), Table II: 95% limits for p1 - p2, by method.
TABLE_II = {
    "mee": {"a": (0.0533, 0.3377), "b": (0.1821, 0.8370), "c": (0.0544, 0.8478), "d": (-0.0313, 0.1926),
            "e": (-0.1611, 0.2775), "f": (-0.2775, 0.2775), "g": (0.7225, 1.0), "h": (0.6777, 1.0)},
    "miettinen-nurminen": {"a": (0.0528, 0.3382), "b": (0.1700, 0.8406), "c": (0.0342, 0.8534),
                           "d": (-0.0326, 0.1933), "e": (-0.1658, 0.2844), "f": (-0.2879, 0.2879),
                           "g": (0.7156, 1.0), "h": (0.6636, 1.0)},
    "newcombe": {"a": (0.0524, 0.3339), "b": (0.1705, 0.8090), "c": (0.0582, 0.8062), "d": (-0.0381, 0.1926),
                 "e": (-0.1611, 0.2775), "f": (-0.2775, 0.2775), "g": (0.6791, 1.0), "h": (0.6075, 1.0)},
    "newcombe-cc": {"a": (0.0428, 0.3422), "b": (0.1013, 0.8387), "g": (0.6014, 1.0)},
}

# WUSS 2016, HIV clinical trial example: 84/101 vs 89/105.
HIV_TRIAL = {"mee": (-0.1188, 0.0857), "miettinen-nurminen": (-0.1191, 0.0860),
             "newcombe": (-0.1177, 0.0851), "newcombe-cc": (-0.1245, 0.0918)}

PUBLISHED_TOLERANCE = 5e-5

TABLE_II_CASES = [(method, row, limits) for method, rows in TABLE_II.items() for row, limits in rows.items()]


@pytest.mark.parametrize(("method", "row", "published"), TABLE_II_CASES)
def test_interval_matches_newcombe_1998_table_ii(
    method: str, row: str, published: tuple[float, float],
) -> None:
    lower, upper = difference_interval(*TABLE_II_COUNTS[row], method=method)  # type: ignore[arg-type]
    assert abs(lower - published[0]) <= PUBLISHED_TOLERANCE, (method, row, lower)
    assert abs(upper - published[1]) <= PUBLISHED_TOLERANCE, (method, row, upper)


@pytest.mark.parametrize(("method", "published"), list(HIV_TRIAL.items()))
def test_interval_matches_the_published_hiv_trial_example(
    method: str, published: tuple[float, float],
) -> None:
    lower, upper = difference_interval(84, 101, 89, 105, method=method)  # type: ignore[arg-type]
    assert abs(lower - published[0]) <= PUBLISHED_TOLERANCE
    assert abs(upper - published[1]) <= PUBLISHED_TOLERANCE


def random_tables(seed: int, n_cases: int) -> list[tuple[int, int, int, int]]:
    rng = np.random.default_rng(seed)
    tables = []
    for case in range(n_cases):
        n1, n2 = (int(v) for v in rng.integers(1, 150 if case % 3 else 15, 2))
        x1 = {0: 0, 1: n1}.get(case % 7, int(rng.integers(0, n1 + 1)))
        x2 = {0: 0, 2: n2}.get(case % 5, int(rng.integers(0, n2 + 1)))
        tables.append((x1, n1, x2, n2))
    return tables


R_WILSON = r"""
d <- read.csv("tables.csv")
w <- function(x, n, level) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = level)$conf.int)
out <- vector("list", nrow(d))
for (i in seq_len(nrow(d))) {
  r <- d[i, ]; a <- w(r$x1, r$n1, r$level); b <- w(r$x2, r$n2, r$level)
  p1 <- r$x1 / r$n1; p2 <- r$x2 / r$n2
  lower <- max(-1, p1 - p2 - sqrt((p1 - a[1])^2 + (b[2] - p2)^2))
  upper <- min(1, p1 - p2 + sqrt((a[2] - p1)^2 + (p2 - b[1])^2))
  out[[i]] <- data.frame(case = r$case, lower = lower, upper = upper)
}
write_hex(do.call(rbind, out), "newcombe.csv")
"""


def test_newcombe_matches_the_hybrid_of_r_wilson_limits_on_random_tables(r_session) -> None:
    tables = pd.DataFrame(random_tables(20260403, 300), columns=["x1", "n1", "x2", "n2"])
    tables["case"] = np.arange(len(tables))
    tables["level"] = np.resize([0.95, 0.9, 0.99, 0.8], len(tables))
    r = tables.merge(r_session.run(R_WILSON, {"tables": tables})["newcombe"], on="case")
    for row in r.itertuples(index=False):
        lower, upper = newcombe_interval(row.x1, row.n1, row.x2, row.n2, row.level)
        assert math.isclose(lower, row.lower, rel_tol=1e-9, abs_tol=1e-15), row
        assert math.isclose(upper, row.upper, rel_tol=1e-9, abs_tol=1e-15), row


def constrained_mle_numerically(x1: int, n1: int, x2: int, n2: int, delta: float) -> float:
    """Maximise the binomial log-likelihood over p2 with p1 = p2 + delta (bounded scalar search)."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def negative_loglik(p2: float) -> float:
        p1 = p2 + delta
        terms = [(x1, p1), (n1 - x1, 1 - p1), (x2, p2), (n2 - x2, 1 - p2)]
        return -sum(k * math.log(p) for k, p in terms if k > 0)

    eps = 1e-13
    found = minimize_scalar(negative_loglik, bounds=(lo + eps, hi - eps), method="bounded",
                            options={"xatol": 1e-12})
    return float(found.x) + delta


@pytest.mark.parametrize("table", random_tables(20260404, 60))
def test_restricted_mle_maximises_the_constrained_likelihood(table: tuple[int, int, int, int]) -> None:
    x1, n1, x2, n2 = table
    for delta in (-0.6, -0.2, 0.0, 0.1, 0.45):
        if not (x1 / n1 - x2 / n2 - 1 < delta < 1):
            continue
        pt1, pt2 = restricted_mle(x1 / n1, x2 / n2, n1, n2, delta)
        assert pt1 - pt2 == pytest.approx(delta, abs=1e-12)
        assert pt1 == pytest.approx(constrained_mle_numerically(x1, n1, x2, n2, delta), abs=1e-6)


def test_restricted_mle_at_zero_difference_is_the_pooled_rate() -> None:
    pt1, pt2 = restricted_mle(56 / 70, 48 / 80, 70, 80, 0.0)
    assert pt1 == pytest.approx(104 / 150, rel=1e-14) and pt2 == pytest.approx(104 / 150, rel=1e-14)


@pytest.mark.parametrize("table", random_tables(20260405, 200))
def test_miettinen_nurminen_limits_solve_the_score_equation(table: tuple[int, int, int, int]) -> None:
    x1, n1, x2, n2 = table
    z = z_two_sided(0.95)
    lower, upper = miettinen_nurminen_interval(x1, n1, x2, n2)
    diff = x1 / n1 - x2 / n2
    assert lower <= diff <= upper
    if lower > -1:
        assert miettinen_nurminen_z(x1, n1, x2, n2, lower) == pytest.approx(z, rel=1e-9)
    if upper < 1:
        assert miettinen_nurminen_z(x1, n1, x2, n2, upper) == pytest.approx(-z, rel=1e-9)


def test_intervals_are_antisymmetric_when_the_arms_are_swapped() -> None:
    for method in ("newcombe", "newcombe-cc", "miettinen-nurminen", "mee"):
        for x1, n1, x2, n2 in random_tables(20260406, 40):
            lo, hi = difference_interval(x1, n1, x2, n2, method=method)  # type: ignore[arg-type]
            lo2, hi2 = difference_interval(x2, n2, x1, n1, method=method)  # type: ignore[arg-type]
            assert lo == pytest.approx(-hi2, abs=1e-12) and hi == pytest.approx(-lo2, abs=1e-12)


def test_result_object_lists_both_arms_and_the_difference() -> None:
    result = risk_difference_ci(56, 70, 48, 80, method="miettinen-nurminen", labels=("HAIC", "control"))
    assert list(result.arms.index) == ["HAIC", "control"]
    row = result.summary.loc["HAIC - control"]
    assert row["difference"] == pytest.approx(56 / 70 - 48 / 80)
    assert (row["lower_0.95"], row["upper_0.95"]) == miettinen_nurminen_interval(56, 70, 48, 80)
    assert "Miettinen-Nurminen" in result.to_text() and "<table" in result.to_html()


def test_unknown_method_is_rejected_with_a_suggestion() -> None:
    with pytest.raises(DomainError, match="Suggestion"):
        risk_difference_ci(1, 2, 1, 2, method="wald")  # type: ignore[arg-type]
