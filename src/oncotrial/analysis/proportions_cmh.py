"""Stratified comparison of two response rates: Cochran–Mantel–Haenszel test, as R ``mantelhaen.test``.

In stratum :math:`k` (randomization stratum), the table is::

                 responder   non-responder   total
        arm 1      a_k           b_k          n1_k
        arm 2      c_k           d_k          n2_k
        total      m1_k          m2_k         t_k

**Test** (Mantel & Haenszel, *JNCI* 1959;22:719–748; R ``man/mantelhaen.test.Rd``):
:math:`\\Delta = \\sum_k (a_k - n_{1k} m_{1k}/t_k)` and
:math:`V = \\sum_k n_{1k} n_{2k} m_{1k} m_{2k} / (t_k^2 (t_k - 1))`;

.. math:: X^2 = (|\\Delta| - c)^2 / V,

with the continuity correction :math:`c = 1/2` if requested and :math:`|\\Delta| \\ge 1/2`, else 0.
Two-sided :math:`p = P(\\chi^2_1 > X^2)`; one-sided :math:`p` from
:math:`Z = \\operatorname{sign}(\\Delta)\\sqrt{X^2}`.

**Common odds ratio** (Mantel–Haenszel): :math:`\\hat\\psi = R/S`, :math:`R = \\sum a_k d_k/t_k`,
:math:`S = \\sum b_k c_k/t_k`, with the Robins–Breslow–Greenland variance of
:math:`\\log\\hat\\psi` (Robins, Breslow & Greenland, *Biometrics* 1986;42:311–323; Agresti,
*Categorical Data Analysis*, 3rd ed., §6.4.4), with :math:`P_k = (a_k+d_k)/t_k`,
:math:`Q_k = (b_k+c_k)/t_k`, :math:`R_k = a_k d_k/t_k`, :math:`S_k = b_k c_k/t_k`:

.. math::

    \\widehat{\\operatorname{var}} = \\frac{\\sum P_k R_k}{2R^2} + \\frac{\\sum (P_k S_k + Q_k R_k)}{2RS}
        + \\frac{\\sum Q_k S_k}{2S^2},

and the interval :math:`\\hat\\psi \\exp(\\pm z \\sqrt{\\widehat{\\operatorname{var}}})` (one-sided
bound for a one-sided alternative), as R reports it.

R requires at least two patients in every stratum; so does this module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import chi2, norm

from oncotrial.analysis.normal_distribution import normal_ppf
from oncotrial.analysis.proportions_counts import (
    Alternative,
    RenderedResult,
    check_alternative,
    check_count_array,
    check_level,
    level_label,
)
from oncotrial.analysis.survival_data import FloatArray
from oncotrial.core.errors import DomainError


@dataclass(frozen=True)
class MantelHaenszelResult(RenderedResult):
    """Cochran–Mantel–Haenszel test and common odds ratio (result of :func:`mantel_haenszel`).

    Attributes
    ----------
    strata:
        Per stratum: ``x1``, ``n1``, ``x2``, ``n2`` and the stratum's odds ratio.
    labels:
        Names of arm 1 and arm 2; the odds ratio is arm 1 vs arm 2.
    statistic, df, p_value:
        :math:`X^2` (1 df) and its p-value for the chosen alternative.
    correct:
        Whether the continuity correction was requested.
    common_odds_ratio, lower, upper:
        Mantel–Haenszel estimate and Robins–Breslow–Greenland limits.
    alternative, conf_level:
        The alternative and the coverage.
    """

    strata: pd.DataFrame
    labels: tuple[str, str]
    statistic: float
    df: int
    p_value: float
    correct: bool
    common_odds_ratio: float
    lower: float
    upper: float
    alternative: str
    conf_level: float

    @property
    def summary(self) -> pd.DataFrame:
        """One row: the statistic, p-value, common odds ratio and its limits."""
        level = level_label(self.conf_level)
        return pd.DataFrame({"chisq": [self.statistic], "df": [self.df], "p": [self.p_value],
                             "common_odds_ratio": [self.common_odds_ratio], f"lower_{level}": [self.lower],
                             f"upper_{level}": [self.upper]},
                            index=pd.Index([f"{self.labels[0]} vs {self.labels[1]}"], name="comparison"))

    def _title(self) -> str:
        return "Cochran-Mantel-Haenszel test"

    def _tables(self) -> list[pd.DataFrame]:
        return [self.strata, self.summary]

    def _notes(self) -> list[str]:
        cc = "with" if self.correct else "without"
        return [f"Mantel-Haenszel chi-squared test {cc} continuity correction (R mantelhaen.test); "
                f"alternative: {self.alternative}; Robins-Breslow-Greenland {self.conf_level:.0%} CI."]


def _check_strata(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a, n1a = check_count_array(x1, "x1"), check_count_array(n1, "n1")
    c, n2a = check_count_array(x2, "x2"), check_count_array(n2, "n2")
    k = a.size
    for name, arr in (("n1", n1a), ("x2", c), ("n2", n2a)):
        if arr.size != k:
            raise DomainError(name, f"{arr.size} strata", f"one count per stratum ({k}, as x1)")
    for i in range(k):
        if a[i] > n1a[i] or c[i] > n2a[i]:
            raise DomainError(f"stratum[{i}]", (int(a[i]), int(n1a[i]), int(c[i]), int(n2a[i])),
                              "responders x ≤ patients n in each arm")
        if n1a[i] + n2a[i] < 2:
            raise DomainError(f"stratum[{i}]", int(n1a[i] + n2a[i]), "at least 2 patients per stratum (as R)",
                              "merge small strata or drop empty ones")
    f = np.float64
    return a.astype(f), (n1a - a).astype(f), c.astype(f), (n2a - c).astype(f)


def _mh_test(
    a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray, correct: bool, alternative: Alternative,
) -> tuple[float, float]:
    """Mantel–Haenszel :math:`X^2` and its p-value (R's expressions and order)."""
    t = a + b + c + d
    row1, row2, col1, col2 = a + b, c + d, a + c, b + d
    delta = float(np.sum(a - row1 * col1 / t))
    yates = 0.5 if correct and abs(delta) >= 0.5 else 0.0
    variance = float(np.sum(row1 * row2 * col1 * col2 / (t * t * (t - 1))))
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.float64(abs(delta) - yates) ** 2 / np.float64(variance))
    if alternative == "two-sided":
        return statistic, float(chi2.sf(statistic, 1))
    z = math.copysign(1.0, delta) * math.sqrt(statistic) if delta != 0 else 0.0 * statistic
    return statistic, float(norm.cdf(z) if alternative == "less" else norm.sf(z))


def _mh_common_odds_ratio(
    a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray, level: float, alternative: Alternative,
) -> tuple[float, float, float]:
    """Mantel–Haenszel common odds ratio with Robins–Breslow–Greenland limits (NaN where undefined)."""
    t = a + b + c + d
    r_sum, s_sum = float(np.sum(a * d / t)), float(np.sum(b * c / t))
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = float(np.float64(r_sum) / np.float64(s_sum))
    sd = math.nan
    if r_sum > 0 and s_sum > 0:
        sd = math.sqrt(float(np.sum((a + d) * a * d / t**2)) / (2 * r_sum**2)
                       + float(np.sum(((a + d) * b * c + (b + c) * a * d) / t**2)) / (2 * r_sum * s_sum)
                       + float(np.sum((b + c) * b * c / t**2)) / (2 * s_sum**2))
    with np.errstate(invalid="ignore"):
        if alternative == "less":
            return estimate, 0.0, estimate * math.exp(normal_ppf(level) * sd)
        if alternative == "greater":
            return estimate, estimate * math.exp(normal_ppf(1.0 - level) * sd), math.inf
        z_lo = normal_ppf((1.0 - level) / 2.0)
        return estimate, estimate * math.exp(z_lo * sd), estimate * math.exp(-z_lo * sd)


def mantel_haenszel(
    x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike, *, correct: bool = True,
    alternative: Alternative = "two-sided", conf_level: float = 0.95, strata: ArrayLike | None = None,
    labels: tuple[str, str] = ("arm 1", "arm 2"),
) -> MantelHaenszelResult:
    """Stratified test of two response rates, as R ``mantelhaen.test(table, correct = correct)``.

    Parameters
    ----------
    x1, n1, x2, n2:
        Per stratum: responders and patients in arm 1 and in arm 2 (R's ``x[1, 1, k]``,
        ``x[1, 1, k] + x[1, 2, k]``, ``x[2, 1, k]``, ``x[2, 1, k] + x[2, 2, k]``).
    correct:
        Continuity correction of the statistic (R's default ``TRUE``).
    alternative:
        ``"two-sided"``, ``"less"`` (common odds ratio < 1) or ``"greater"``.
    conf_level:
        Coverage of the interval for the common odds ratio.
    strata:
        Optional stratum names for the table.
    labels:
        Names of the two arms.
    """
    alternative = check_alternative(alternative)
    level = check_level(conf_level)
    a, b, c, d = _check_strata(x1, n1, x2, n2)
    statistic, p_value = _mh_test(a, b, c, d, correct, alternative)
    estimate, lower, upper = _mh_common_odds_ratio(a, b, c, d, level, alternative)
    row1, row2 = a + b, c + d
    names = [str(s) for s in (range(1, a.size + 1) if strata is None else np.asarray(strata).tolist())]
    if len(names) != a.size:
        raise DomainError("strata", names, f"one name per stratum ({a.size})")
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({"x1": a.astype(np.int64), "n1": row1.astype(np.int64), "x2": c.astype(np.int64),
                              "n2": row2.astype(np.int64), "odds_ratio": a * d / (b * c)},
                             index=pd.Index(names, name="stratum"))
    return MantelHaenszelResult(
        strata=table, labels=(str(labels[0]), str(labels[1])), statistic=statistic, df=1, p_value=p_value,
        correct=bool(correct), common_odds_ratio=estimate, lower=lower, upper=upper, alternative=alternative,
        conf_level=level)
