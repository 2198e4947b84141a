"""k-sample log-rank and Fleming–Harrington :math:`G^\\rho` tests, identical to R ``survival::survdiff``.

Within each stratum, at every distinct time :math:`t` with :math:`n` at risk (:math:`n_k` in
group :math:`k`) and :math:`d` events (:math:`d_k`), with weight
:math:`w(t) = \\hat S(t-)^\\rho` from the Kaplan–Meier estimate of the stratum's pooled data
(Fleming and Harrington, 1991; Klein & Moeschberger §7.3; ``man/survdiff.Rd``):

.. math::

    O_k = \\sum_t w d_k, \\qquad E_k = \\sum_t w\\, d\\, \\frac{n_k}{n}, \\qquad
    V_{jk} = \\sum_{t:\\,n>1} w^2\\, \\frac{d (n-d)}{n-1}
        \\Big(\\frac{n_j}{n}\\delta_{jk} - \\frac{n_j n_k}{n^2}\\Big).

:math:`V` is the hypergeometric (exact for ties) variance. :math:`O`, :math:`E` and :math:`V`
are summed over strata; with the groups that have :math:`E_k > 0`, the first one dropped,
:math:`\\chi^2 = (O-E)^\\top V^{-1} (O-E)` on (number of such groups − 1) degrees of freedom.
``rho = 0`` is the log-rank test, ``rho = 1`` the Peto–Peto modification of the Gehan–Wilcoxon
test. With ``rho ≠ 0``, ``observed`` and ``expected`` are the *weighted* counts, as in R.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2

from oncotrial.analysis.rendering import render_html, render_text
from oncotrial.analysis.survival_data import (
    BoolArray,
    FloatArray,
    check_durations,
    check_events,
    check_labels,
)
from oncotrial.analysis.timefix import merge_near_ties
from oncotrial.core.errors import DomainError


@dataclass(frozen=True)
class LogRankResult:
    """Result of :func:`survdiff` (fields as R's ``survdiff`` object).

    Attributes
    ----------
    groups, strata:
        Group and stratum labels, sorted (R's factor levels); ``strata`` is empty if unstratified.
    n:
        Patients per group.
    observed, expected:
        (Weighted) observed and expected events per group, summed over strata.
    observed_by_stratum, expected_by_stratum:
        The same per stratum, shape (strata, groups).
    variance:
        Variance–covariance matrix of :math:`O-E`, shape (groups, groups).
    chisq, df, p_value:
        Test statistic, degrees of freedom and :math:`P(\\chi^2_{df} > \\text{chisq})`.
    rho:
        Fleming–Harrington exponent.
    """

    groups: tuple[Any, ...]
    strata: tuple[Any, ...]
    n: NDArray[np.int64]
    observed: FloatArray
    expected: FloatArray
    observed_by_stratum: FloatArray
    expected_by_stratum: FloatArray
    variance: FloatArray
    chisq: float
    df: int
    p_value: float
    rho: float
    notes: tuple[str, ...] = field(default=())

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: N, Observed, Expected, (O-E)^2/E and (O-E)^2/V (R ``print.survdiff``)."""
        o_e = self.observed - self.expected
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({
                "N": self.n, "Observed": self.observed, "Expected": self.expected,
                "(O-E)^2/E": o_e**2 / self.expected, "(O-E)^2/V": o_e**2 / np.diag(self.variance),
            }, index=pd.Index([str(g) for g in self.groups], name="group"))

    @property
    def test(self) -> pd.DataFrame:
        """One row: chisq, df, p."""
        name = "log-rank" if self.rho == 0 else f"Fleming-Harrington rho={self.rho:g}"
        return pd.DataFrame({"chisq": [self.chisq], "df": [self.df], "p": [self.p_value]},
                            index=pd.Index([name], name="test"))

    def _notes(self) -> list[str]:
        kind = "stratified " if self.strata else ""
        return [f"{kind}test, hypergeometric variance (R survdiff, rho={self.rho:g})", *self.notes]

    def to_text(self, decimals: int = 4) -> str:
        """Plain-text report."""
        return render_text("Survival difference test", [self.summary, self.test], self._notes(),
                           decimals=decimals)

    def to_html(self, decimals: int = 4) -> str:
        """HTML fragment."""
        return render_html("Survival difference test", [self.summary, self.test], self._notes(),
                           decimals=decimals)


def _stratum_terms(
    t: FloatArray, e: BoolArray, g: NDArray[np.intp], k: int, rho: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Observed, expected and variance contributions of one stratum."""
    times, inverse = np.unique(t, return_inverse=True)
    m = times.size
    total = np.zeros((m, k))
    deaths = np.zeros((m, k))
    np.add.at(total, (inverse, g), 1.0)
    np.add.at(deaths, (inverse, g), e.astype(np.float64))
    risk = np.cumsum(total[::-1], axis=0)[::-1]  # n_k(t): time >= t
    n = risk.sum(axis=1)
    d = deaths.sum(axis=1)
    if rho == 0:
        w = np.ones(m)
    else:
        km_after = np.cumprod((n - d) / n)
        w = np.concatenate(([1.0], km_after[:-1])) ** rho  # S(t-) of the pooled stratum
    observed = (w[:, None] * deaths).sum(axis=0)
    expected = ((w * d / n)[:, None] * risk).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n > 1, w**2 * d * (n - d) / (n * (n - 1)), 0.0)
    variance = np.diag(risk.T @ c) - (risk * (c / n)[:, None]).T @ risk
    return observed, expected, variance


def survdiff(
    durations: ArrayLike,
    event_observed: ArrayLike | None,
    groups: ArrayLike,
    *,
    strata: ArrayLike | None = None,
    rho: float = 0.0,
    timefix: bool = True,
) -> LogRankResult:
    """Compare survival curves of k groups, as R ``survdiff(Surv(t, e) ~ g + strata(s), rho=)``.

    Parameters
    ----------
    durations, event_observed:
        Follow-up times and event indicators (1 = event).
    groups:
        Group (arm) label per patient; at least two distinct labels.
    strata:
        Optional stratum label per patient; O, E and V are summed over strata.
    rho:
        Weight :math:`\\hat S(t-)^\\rho`: 0 = log-rank, 1 = Peto–Peto.
    timefix:
        Merge near-tied times over all patients first (R's ``aeqSurv``).

    Returns
    -------
    LogRankResult
    """
    t = check_durations(durations)
    e = check_events(event_observed, t.size)
    levels, g = check_labels(groups, t.size, field="groups")
    if levels.size < 2:
        raise DomainError("groups", levels.tolist(), "at least two groups", "there is only 1 group")
    if not math.isfinite(rho):
        raise DomainError("rho", rho, "a finite number (0 = log-rank, 1 = Peto–Peto)")
    if strata is None:
        s_levels, s = np.array([1]), np.zeros(t.size, dtype=np.intp)
    else:
        s_levels, s = check_labels(strata, t.size, field="strata")
    if timefix:
        t = merge_near_ties(t)
    k = levels.size
    obs_s = np.zeros((s_levels.size, k))
    exp_s = np.zeros((s_levels.size, k))
    var = np.zeros((k, k))
    for i in range(s_levels.size):
        mask = s == i
        o, ex, v = _stratum_terms(t[mask], e[mask], g[mask], k, rho)
        obs_s[i], exp_s[i] = o, ex
        var += v
    observed, expected = obs_s.sum(axis=0), exp_s.sum(axis=0)
    used = np.flatnonzero(expected > 0)
    chisq, notes = 0.0, []
    if used.size >= 2:
        diff = (observed - expected)[used][1:]
        vv = var[np.ix_(used, used)][1:, 1:]
        try:
            chisq = float(diff @ np.linalg.solve(vv, diff))
        except np.linalg.LinAlgError:
            chisq = float(diff @ np.linalg.pinv(vv) @ diff)
            notes.append("singular variance matrix: generalized inverse used (R stops here)")
    df = int(used.size) - 1
    # R: pchisq(0, 0, lower.tail = FALSE) = 1; with no events at all df = -1 and p is NaN
    p_value = float(chi2.sf(chisq, df)) if df > 0 else (1.0 if df == 0 else float("nan"))
    return LogRankResult(
        groups=tuple(x.item() if hasattr(x, "item") else x for x in levels),
        strata=() if strata is None else tuple(x.item() if hasattr(x, "item") else x for x in s_levels),
        n=np.bincount(g, minlength=k).astype(np.int64), observed=observed, expected=expected,
        observed_by_stratum=obs_s, expected_by_stratum=exp_s, variance=var,
        chisq=chisq, df=df, p_value=p_value, rho=float(rho), notes=tuple(notes))
