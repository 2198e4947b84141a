"""Fisher's exact test for two response rates with the conditional MLE odds ratio, as R ``fisher.test``.

Table (arm × response)::

                 responder   non-responder
        arm 1      x1          n1 - x1
        arm 2      x2          n2 - x2

Given all margins, :math:`X = x_1` is hypergeometric; with odds ratio :math:`\\psi` its
distribution is the non-central (Fisher) hypergeometric
:math:`P_\\psi(X=u) \\propto \\binom{n_1}{u}\\binom{n_2}{m-u}\\psi^u` on
:math:`u \\in [\\max(0, m-n_2), \\min(n_1, m)]`, :math:`m = x_1 + x_2`
(Agresti, *Categorical Data Analysis*, 3rd ed., §3.5.1 and §16.6.4; R ``man/fisher.test.Rd``).

* **p-value** (two-sided): the sum of :math:`P_1(X=u)` over the tables no more probable than the
  observed one, "no more" meaning :math:`\\le P_1(X=x_1)(1 + 10^{-7})`, R's tolerance for ties in
  floating point. One-sided: the lower or upper tail.
* **Estimate**: the conditional maximum-likelihood :math:`\\hat\\psi`, solving
  :math:`E_{\\hat\\psi}(X) = x_1` (0 or :math:`\\infty` at the ends of the support).
* **Interval**: :math:`\\psi` where :math:`P_\\psi(X \\ge x_1) = \\alpha/2` (lower) and
  :math:`P_\\psi(X \\le x_1) = \\alpha/2` (upper) (Cornfield's exact conditional limits).

R finds the estimate and limits with ``uniroot`` at its default tolerance (about 1.2e-4), on
:math:`\\psi \\in (0, 1)` or on :math:`1/\\psi \\in (\\varepsilon, 1)`; its printed values are that
approximation. With ``r_compatible=True`` (the default) this module runs the same root finder
on the same brackets (:mod:`oncotrial.analysis.root_finding`) and reproduces R's numbers; with
``r_compatible=False`` the roots are converged to machine precision.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import hypergeom

from oncotrial.analysis.proportions_counts import (
    Alternative,
    RenderedResult,
    check_alternative,
    check_level,
    check_responders,
    level_label,
)
from oncotrial.analysis.root_finding import R_UNIROOT_TOL, r_uniroot
from oncotrial.analysis.survival_data import FloatArray

_EPS = sys.float_info.epsilon
#: R's relative tolerance when comparing table probabilities for the two-sided p-value.
RELATIVE_TIE_TOLERANCE: float = 1e-7


@dataclass(frozen=True)
class _Hypergeometric:
    """Fisher's non-central hypergeometric distribution of :math:`x_1` given the margins (R's closures)."""

    x: int
    n1: int
    n2: int
    m: int
    lo: int
    hi: int
    support: FloatArray
    logdc: FloatArray

    @classmethod
    def of_table(cls, x: int, n1: int, n2: int, m: int) -> _Hypergeometric:
        """The distribution for ``x`` responders of ``m`` in arm 1 (``n1`` patients) vs arm 2 (``n2``)."""
        lo, hi = max(0, m - n2), min(n1, m)
        support = np.arange(lo, hi + 1, dtype=np.float64)
        logdc = np.asarray(hypergeom.logpmf(support, n1 + n2, n1, m), dtype=np.float64)
        return cls(x=x, n1=n1, n2=n2, m=m, lo=lo, hi=hi, support=support, logdc=logdc)

    def density(self, ncp: float) -> FloatArray:
        """:math:`P_\\psi(X=u)` over the support (R's ``dnhyper``)."""
        d = self.logdc + math.log(ncp) * self.support
        d = np.exp(d - d.max())
        return np.asarray(d / d.sum(), dtype=np.float64)

    def mean(self, ncp: float) -> float:
        """:math:`E_\\psi(X)` (R's ``mnhyper``)."""
        if ncp == 0:
            return float(self.lo)
        if math.isinf(ncp):
            return float(self.hi)
        return float((self.support * self.density(ncp)).sum())

    def tail(self, q: int, ncp: float, *, upper: bool = False) -> float:
        """:math:`P_\\psi(X \\le q)`, or :math:`P_\\psi(X \\ge q)` if ``upper`` (R's ``pnhyper``)."""
        if ncp == 1:
            total, rows, draws = self.n1 + self.n2, self.n1, self.m
            if upper:
                return float(hypergeom.sf(q - 1, total, rows, draws))
            return float(hypergeom.cdf(q, total, rows, draws))
        if ncp == 0:
            return float(q <= self.lo) if upper else float(q >= self.lo)
        if math.isinf(ncp):
            return float(q <= self.hi) if upper else float(q >= self.hi)
        d = self.density(ncp)
        return float(d[self.support >= q].sum() if upper else d[self.support <= q].sum())


def _solve_in_unit_or_inverse(
    g: Callable[[float], float], below_one: bool, tol: float,
) -> float:
    """R's pattern: a root of ``g(t)`` on (0, 1), or ``1/t`` for the root of ``g(1/t)`` on (eps, 1)."""
    if below_one:
        return r_uniroot(g, 0.0, 1.0, tol=tol)
    return 1.0 / r_uniroot(lambda t: g(1.0 / t), _EPS, 1.0, tol=tol)


def _conditional_mle(h: _Hypergeometric, tol: float) -> float:
    x = h.x
    if x == h.lo:
        return 0.0
    if x == h.hi:
        return math.inf
    mu = h.mean(1.0)
    if mu == x:
        return 1.0
    return _solve_in_unit_or_inverse(lambda t: h.mean(t) - x, mu > x, tol)


def _upper_limit(h: _Hypergeometric, alpha: float, tol: float) -> float:
    x = h.x
    if x == h.hi:
        return math.inf
    p = h.tail(x, 1.0)
    if p == alpha:
        return 1.0
    return _solve_in_unit_or_inverse(lambda t: h.tail(x, t) - alpha, p < alpha, tol)


def _lower_limit(h: _Hypergeometric, alpha: float, tol: float) -> float:
    x = h.x
    if x == h.lo:
        return 0.0
    p = h.tail(x, 1.0, upper=True)
    if p == alpha:
        return 1.0
    return _solve_in_unit_or_inverse(lambda t: h.tail(x, t, upper=True) - alpha, p > alpha, tol)


def _p_value(h: _Hypergeometric, alternative: Alternative) -> float:
    if alternative == "less":
        return h.tail(h.x, 1.0)
    if alternative == "greater":
        return h.tail(h.x, 1.0, upper=True)
    d = h.density(1.0)
    observed = d[h.x - h.lo]
    return float(min(1.0, d[d <= observed * (1.0 + RELATIVE_TIE_TOLERANCE)].sum()))


@dataclass(frozen=True)
class FisherExactResult(RenderedResult):
    """Fisher's exact test of two response rates (result of :func:`fisher_exact`).

    Attributes
    ----------
    table:
        The 2×2 table ``((x1, n1 - x1), (x2, n2 - x2))``.
    labels:
        Names of arm 1 and arm 2.
    odds_ratio, lower, upper:
        Conditional MLE of the odds ratio (arm 1 vs arm 2) and its exact limits
        (``0``/``inf`` at the ends of the support).
    p_value, alternative, conf_level:
        The exact p-value for odds ratio 1, the alternative and the coverage.
    r_compatible:
        Whether the roots follow R's ``uniroot`` tolerance (see the module notes).
    """

    table: tuple[tuple[int, int], tuple[int, int]]
    labels: tuple[str, str]
    odds_ratio: float
    lower: float
    upper: float
    p_value: float
    alternative: str
    conf_level: float
    r_compatible: bool

    @property
    def summary(self) -> pd.DataFrame:
        """One row: odds ratio, limits and p-value."""
        level = level_label(self.conf_level)
        return pd.DataFrame({"odds_ratio": [self.odds_ratio], f"lower_{level}": [self.lower],
                             f"upper_{level}": [self.upper], "p": [self.p_value]},
                            index=pd.Index([f"{self.labels[0]} vs {self.labels[1]}"], name="comparison"))

    @property
    def counts(self) -> pd.DataFrame:
        """The 2×2 table with rates."""
        (a, b), (c, d) = self.table
        rates = [a / (a + b), c / (c + d)]
        return pd.DataFrame({"responders": [a, c], "non_responders": [b, d], "rate": rates},
                            index=pd.Index(list(self.labels), name="arm"))

    def _title(self) -> str:
        return "Fisher's exact test"

    def _tables(self) -> list[pd.DataFrame]:
        return [self.counts, self.summary]

    def _notes(self) -> list[str]:
        roots = "R's uniroot tolerance" if self.r_compatible else "full precision"
        return [f"Alternative: {self.alternative}; conditional MLE odds ratio with exact "
                f"{self.conf_level:.0%} limits (R fisher.test; roots to {roots})."]


def fisher_exact(
    x1: int, n1: int, x2: int, n2: int, *, alternative: Alternative = "two-sided", conf_level: float = 0.95,
    r_compatible: bool = True, labels: tuple[str, str] = ("arm 1", "arm 2"),
) -> FisherExactResult:
    """Fisher's exact test and conditional MLE odds ratio, as R ``fisher.test``.

    The table is ``matrix(c(x1, x2, n1 - x1, n2 - x2), 2)`` in R: arms in rows, responders first.

    Parameters
    ----------
    x1, n1, x2, n2:
        Responders and patients in arm 1 and arm 2.
    alternative:
        ``"two-sided"``, ``"less"`` (odds ratio < 1) or ``"greater"``.
    conf_level:
        Coverage of the interval (two-sided, or one-sided for a one-sided alternative, as R).
    r_compatible:
        Solve for the estimate and limits with R's ``uniroot`` tolerance (reproduces R's printed
        numbers) or to full precision.
    labels:
        Names of the two arms.
    """
    x1, n1 = check_responders(x1, n1, arm="arm1")
    x2, n2 = check_responders(x2, n2, arm="arm2")
    alternative = check_alternative(alternative)
    level = check_level(conf_level)
    tol = R_UNIROOT_TOL if r_compatible else 0.0
    h = _Hypergeometric.of_table(x1, n1, n2, x1 + x2)
    estimate = _conditional_mle(h, tol)
    if alternative == "less":
        lower, upper = 0.0, _upper_limit(h, 1.0 - level, tol)
    elif alternative == "greater":
        lower, upper = _lower_limit(h, 1.0 - level, tol), math.inf
    else:
        alpha = (1.0 - level) / 2.0
        lower, upper = _lower_limit(h, alpha, tol), _upper_limit(h, alpha, tol)
    return FisherExactResult(
        table=((x1, n1 - x1), (x2, n2 - x2)), labels=(str(labels[0]), str(labels[1])), odds_ratio=estimate,
        lower=lower, upper=upper, p_value=_p_value(h, alternative), alternative=alternative, conf_level=level,
        r_compatible=r_compatible)
