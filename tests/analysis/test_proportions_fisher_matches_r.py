"""Fisher's exact test against R ``fisher.test`` on seeded random 2×2 tables.

400 tables (arms of 1 to 500 patients, zero cells, all-responder arms), each with the three
alternatives and levels 0.80–0.99. p-values agree with R to 1e-9 relative.

R solves for the estimate and limits with ``uniroot`` at its default tolerance (~1.2e-4), so
its printed values are approximations; ``r_compatible=True`` runs the same algorithm (Brent's
zeroin) on the same brackets and reproduces them to 1e-9 relative (0 and Inf exactly). The one
exception: when a function value at a bracket end differs from R's by one unit in the last
place (SciPy's hypergeometric tail vs R's ``phyper``), and that ulp decides a branch of Brent's
method, the two iterations part and stop at different points of R's tolerance interval (about
0.1% of tables; measured gaps 1e-7 to 3e-6). The test allows this for at most 1% of tables and
requires the gap to stay within twice R's tolerance on R's scale (OR or 1/OR).

With ``r_compatible=False`` the roots are exact; R itself then confirms that they solve the
defining equations (conditional mean = x1; tail probabilities = alpha/2), evaluated with R's
``dhyper``, to 1e-9.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.proportions import fisher_exact
from oncotrial.analysis.root_finding import R_UNIROOT_TOL
from oncotrial.core.errors import DomainError

R_ALTERNATIVE = {"two-sided": "two.sided", "less": "less", "greater": "greater"}

R_SCRIPT = r"""
d <- read.csv("tables.csv", stringsAsFactors = FALSE)
out <- vector("list", nrow(d))
for (i in seq_len(nrow(d))) {
  r <- d[i, ]
  f <- fisher.test(matrix(c(r$x1, r$x2, r$n1 - r$x1, r$n2 - r$x2), 2), alternative = r$alt,
                   conf.level = r$level)
  out[[i]] <- data.frame(row = r$row, p = f$p.value, estimate = unname(f$estimate),
                         lower = f$conf.int[1], upper = f$conf.int[2])
}
write_hex(do.call(rbind, out), "fisher.csv")
"""

# Conditional mean and tails of x1 at odds ratio psi, with R's dhyper (defining equations).
R_EQUATIONS = r"""
e <- read_hex("exact.csv")
out <- vector("list", nrow(e))
for (i in seq_len(nrow(e))) {
  r <- e[i, ]
  m <- r$x1 + r$x2; lo <- max(0, m - r$n2); hi <- min(r$n1, m); u <- lo:hi
  dens <- function(psi) {
    d <- dhyper(u, r$n1, r$n2, m, log = TRUE) + log(psi) * u
    d <- exp(d - max(d)); d / sum(d)
  }
  mean_at <- if (is.finite(r$estimate) && r$estimate > 0) sum(u * dens(r$estimate)) else NA
  upper_tail <- if (is.finite(r$lower) && r$lower > 0) sum(dens(r$lower)[u >= r$x1]) else NA
  lower_tail <- if (is.finite(r$upper) && r$upper > 0) sum(dens(r$upper)[u <= r$x1]) else NA
  out[[i]] <- data.frame(row = r$row, mean_at = mean_at, upper_tail = upper_tail, lower_tail = lower_tail)
}
write_hex(do.call(rbind, out), "equations.csv")
"""


def make_tables(seed: int = 20260407, n_tables: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for case in range(n_tables):
        high = (8, 40, 120, 500)[case % 4]
        n1, n2 = (int(v) for v in rng.integers(1, high + 1, 2))
        x1 = {0: 0, 1: n1}.get(case % 17, int(rng.integers(0, n1 + 1)))
        x2 = {0: 0, 3: n2}.get(case % 13, int(rng.integers(0, n2 + 1)))
        for alt in ("two-sided", "less", "greater"):
            rows.append({"row": len(rows), "case": case, "x1": x1, "n1": n1, "x2": x2, "n2": n2,
                         "alternative": alt, "alt": R_ALTERNATIVE[alt],
                         "level": float(rng.choice([0.8, 0.9, 0.95, 0.99]))})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tables() -> pd.DataFrame:
    return make_tables()


@pytest.fixture(scope="module")
def r_fisher(r_session, tables: pd.DataFrame) -> pd.DataFrame:
    return tables.merge(r_session.run(R_SCRIPT, {"tables": tables})["fisher"], on="row")


def same(ours: float, theirs: float, rel: float = 1e-9) -> bool:
    if math.isinf(theirs) or theirs == 0.0 or math.isnan(theirs):
        return ours == theirs or (math.isnan(ours) and math.isnan(theirs))
    return math.isclose(ours, theirs, rel_tol=rel)


def test_p_values_match_fisher_test(r_fisher: pd.DataFrame) -> None:
    failures = [(r.row, p, r.p) for r in r_fisher.itertuples(index=False)
                if not same(p := fisher_exact(r.x1, r.n1, r.x2, r.n2, alternative=r.alternative,
                                              conf_level=r.level).p_value, r.p)]
    assert not failures, failures[:10]


def uniroot_scale(odds_ratio: float) -> float:
    """R solves for t = OR on (0, 1) or t = 1/OR on (eps, 1); its tolerance applies to t."""
    return odds_ratio if odds_ratio <= 1 else 1 / odds_ratio


def test_estimates_and_limits_reproduce_fisher_test(r_fisher: pd.DataFrame) -> None:
    """1e-9 relative, except where R's and our Brent paths part on a 1-ulp tie (then within R's tol)."""
    parted = []
    for r in r_fisher.itertuples(index=False):
        res = fisher_exact(r.x1, r.n1, r.x2, r.n2, alternative=r.alternative, conf_level=r.level)
        for name, ours, theirs in (("estimate", res.odds_ratio, r.estimate), ("lower", res.lower, r.lower),
                                   ("upper", res.upper, r.upper)):
            if same(ours, theirs):
                continue
            assert math.isfinite(ours) and math.isfinite(theirs) and ours > 0 and theirs > 0, (r.row, name)
            gap = abs(uniroot_scale(ours) - uniroot_scale(theirs))
            assert gap <= 2 * R_UNIROOT_TOL, (r.row, name, ours, theirs)
            parted.append((r.row, name, gap))
    assert len({row for row, _, _ in parted}) <= 0.01 * len(r_fisher), parted


def test_random_tables_cover_zero_cells_and_infinite_estimates(r_fisher: pd.DataFrame) -> None:
    assert (r_fisher["estimate"] == 0).sum() > 20 and np.isinf(r_fisher["estimate"]).sum() > 20
    assert ((r_fisher["estimate"] > 0) & np.isfinite(r_fisher["estimate"])).sum() > 600


def test_exact_roots_solve_the_defining_equations_in_r(r_session, tables: pd.DataFrame) -> None:
    two_sided = tables[tables["alternative"] == "two-sided"].copy()
    rows = []
    for r in two_sided.itertuples(index=False):
        res = fisher_exact(r.x1, r.n1, r.x2, r.n2, conf_level=r.level, r_compatible=False)
        rows.append({"row": r.row, "x1": r.x1, "n1": r.n1, "x2": r.x2, "n2": r.n2, "level": r.level,
                     "estimate": res.odds_ratio, "lower": res.lower, "upper": res.upper})
    exact = pd.DataFrame(rows)
    check = exact.merge(r_session.run(R_EQUATIONS, {"exact": exact})["equations"], on="row")
    for r in check.itertuples(index=False):
        alpha = (1 - r.level) / 2
        if not math.isnan(r.mean_at):
            assert r.mean_at == pytest.approx(r.x1, rel=1e-9, abs=1e-9), r
        if not math.isnan(r.upper_tail):
            assert r.upper_tail == pytest.approx(alpha, rel=1e-9), r
        if not math.isnan(r.lower_tail):
            assert r.lower_tail == pytest.approx(alpha, rel=1e-9), r


def test_swapping_arms_keeps_p_and_inverts_the_exact_odds_ratio() -> None:
    for x1, n1, x2, n2 in ((3, 10, 9, 11), (0, 5, 5, 5), (12, 40, 20, 41)):
        a = fisher_exact(x1, n1, x2, n2, r_compatible=False)
        b = fisher_exact(x2, n2, x1, n1, r_compatible=False)
        assert a.p_value == pytest.approx(b.p_value, rel=1e-12)
        assert a.odds_ratio == pytest.approx(1 / b.odds_ratio, rel=1e-9)
        assert a.lower == pytest.approx(1 / b.upper, rel=1e-9)


def test_result_object_shows_the_table_and_the_test() -> None:
    result = fisher_exact(12, 30, 5, 31, labels=("HAIC", "control"))
    assert result.counts.loc["HAIC", "responders"] == 12
    assert result.counts.loc["control", "non_responders"] == 26
    assert list(result.summary.columns) == ["odds_ratio", "lower_0.95", "upper_0.95", "p"]
    assert "Fisher" in result.to_text() and "<table" in result.to_html()


def test_unknown_alternative_is_rejected() -> None:
    with pytest.raises(DomainError, match="alternative"):
        fisher_exact(1, 5, 2, 5, alternative="two.sided")  # type: ignore[arg-type]
