"""Confidence intervals for the difference of two independent response rates.

For arms 1 and 2 with :math:`x_i` responders among :math:`n_i` patients,
:math:`\\hat p_i = x_i/n_i`, the difference is :math:`\\hat\\delta = \\hat p_1 - \\hat p_2` and
:math:`z = \\Phi^{-1}(1-\\alpha/2)`.

**Newcombe hybrid score** (Newcombe, *Stat Med* 1998;17:873–890, method 10; SAS
``RISKDIFF(CL=NEWCOMBE)``): with Wilson limits :math:`(l_i, u_i)` of each rate,

.. math::

    L = \\hat\\delta - \\sqrt{(\\hat p_1 - l_1)^2 + (u_2 - \\hat p_2)^2}, \\qquad
    U = \\hat\\delta + \\sqrt{(u_1 - \\hat p_1)^2 + (\\hat p_2 - l_2)^2}.

Method 11 (``correct=True``) uses the continuity-corrected Wilson limits (Newcombe's method 4).

**Miettinen–Nurminen** (Miettinen & Nurminen, *Stat Med* 1985;4:213–226; Newcombe 1998
method 6; SAS ``RISKDIFF(CL=MN)``): the limits are the two values of :math:`\\delta` where the
score statistic

.. math::

    Z(\\delta) = \\frac{\\hat p_1 - \\hat p_2 - \\delta}
        {\\sqrt{\\Big(\\frac{\\tilde p_1(1-\\tilde p_1)}{n_1} + \\frac{\\tilde p_2(1-\\tilde p_2)}{n_2}\\Big)
        \\frac{N}{N-1}}}, \\qquad N = n_1 + n_2,

equals :math:`\\pm z`, where :math:`(\\tilde p_1, \\tilde p_2 = \\tilde p_1 - \\delta)` is the
maximum-likelihood estimate under the constraint :math:`p_1 - p_2 = \\delta`, the root of a
cubic given in closed form (Miettinen & Nurminen 1985, appendix; Farrington & Manning,
*Stat Med* 1990;9:1447–1454, eq. 4): with :math:`\\theta = n_2/n_1`,
:math:`a = 1+\\theta`, :math:`b = -(1 + \\theta + \\hat p_1 + \\theta\\hat p_2 + \\delta(\\theta+2))`,
:math:`c = \\delta^2 + \\delta(2\\hat p_1 + \\theta + 1) + \\hat p_1 + \\theta\\hat p_2`,
:math:`d = -\\hat p_1\\delta(1+\\delta)`,
:math:`v = b^3/(3a)^3 - bc/(6a^2) + d/(2a)`,
:math:`u = \\operatorname{sign}(v)\\sqrt{b^2/(3a)^2 - c/(3a)}`,
:math:`w = (\\pi + \\arccos(v/u^3))/3`: :math:`\\tilde p_1 = 2u\\cos w - b/(3a)`.
The limits are found to full double precision. Without the factor :math:`N/(N-1)` this is
Mee's interval (``variance_correction=False``; SAS ``CL=MN(CORRECT=NO)``).

No R package beyond ``stats`` and ``survival`` is assumed: the tests check these intervals
against the examples published by Newcombe (1998, Table II) and, for Newcombe's method, against
Wilson limits from R ``prop.test``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd
from scipy.optimize import brentq

from oncotrial.analysis.proportions_counts import (
    RenderedResult,
    check_level,
    check_responders,
    level_label,
    z_two_sided,
)
from oncotrial.analysis.proportions_one_sample import wilson_interval
from oncotrial.core.errors import DomainError

DifferenceMethod = Literal["newcombe", "newcombe-cc", "miettinen-nurminen", "mee"]
DIFFERENCE_METHODS: tuple[str, ...] = get_args(DifferenceMethod)

_METHOD_NAMES = {
    "newcombe": "Newcombe hybrid score (1998, method 10)",
    "newcombe-cc": "Newcombe hybrid score with continuity correction (1998, method 11)",
    "miettinen-nurminen": "Miettinen-Nurminen score (1985; Newcombe 1998, method 6)",
    "mee": "Mee score (1984; Newcombe 1998, method 5)",
}


def newcombe_interval(
    x1: int, n1: int, x2: int, n2: int, conf_level: float = 0.95, *, correct: bool = False,
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for :math:`p_1 - p_2` (method 10, or 11 if ``correct``)."""
    x1, n1 = check_responders(x1, n1, arm="arm1")
    x2, n2 = check_responders(x2, n2, arm="arm2")
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, conf_level, correct=correct)
    l2, u2 = wilson_interval(x2, n2, conf_level, correct=correct)
    diff = p1 - p2
    lower = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(lower, -1.0), min(upper, 1.0)


def restricted_mle(p1: float, p2: float, n1: int, n2: int, delta: float) -> tuple[float, float]:
    """Maximum-likelihood :math:`(\\tilde p_1, \\tilde p_2)` given :math:`p_1 - p_2 = \\delta`."""
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2
    d = -p1 * delta * (1.0 + delta)
    v = b**3 / (3.0 * a) ** 3 - b * c / (6.0 * a * a) + d / (2.0 * a)
    u = math.copysign(math.sqrt(max(b * b / (3.0 * a) ** 2 - c / (3.0 * a), 0.0)), v)
    if u == 0.0:
        pt1 = -b / (3.0 * a)
    else:
        w = (math.pi + math.acos(max(-1.0, min(1.0, v / u**3)))) / 3.0
        pt1 = 2.0 * u * math.cos(w) - b / (3.0 * a)
    pt1 = min(max(pt1, 0.0), 1.0)
    pt2 = min(max(pt1 - delta, 0.0), 1.0)
    return pt1, pt2


def _score_variance(p1: float, p2: float, n1: int, n2: int, delta: float, corrected: bool) -> float:
    pt1, pt2 = restricted_mle(p1, p2, n1, n2, delta)
    variance = pt1 * (1.0 - pt1) / n1 + pt2 * (1.0 - pt2) / n2
    n = n1 + n2
    return variance * n / (n - 1) if corrected else variance


def miettinen_nurminen_z(
    x1: int, n1: int, x2: int, n2: int, delta: float = 0.0, *, variance_correction: bool = True,
) -> float:
    """Score statistic :math:`Z(\\delta)` for :math:`H_0: p_1 - p_2 = \\delta` (NaN where 0/0)."""
    x1, n1 = check_responders(x1, n1, arm="arm1")
    x2, n2 = check_responders(x2, n2, arm="arm2")
    if not -1.0 <= delta <= 1.0:
        raise DomainError("delta", delta, "a difference of rates in [-1, 1]")
    p1, p2 = x1 / n1, x2 / n2
    numerator = p1 - p2 - delta
    variance = _score_variance(p1, p2, n1, n2, delta, variance_correction)
    if variance <= 0.0:
        return math.nan if numerator == 0 else math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def miettinen_nurminen_interval(
    x1: int, n1: int, x2: int, n2: int, conf_level: float = 0.95, *, variance_correction: bool = True,
) -> tuple[float, float]:
    """Miettinen–Nurminen interval for :math:`p_1 - p_2` (Mee's without ``variance_correction``)."""
    x1, n1 = check_responders(x1, n1, arm="arm1")
    x2, n2 = check_responders(x2, n2, arm="arm2")
    z = z_two_sided(check_level(conf_level))
    p1, p2 = x1 / n1, x2 / n2
    diff = p1 - p2

    def excess(delta: float, side: float) -> float:
        """side·(p1 - p2 - delta) - z·sd(delta): positive outside the interval, negative inside."""
        sd = math.sqrt(_score_variance(p1, p2, n1, n2, delta, variance_correction))
        if delta == diff:  # the estimate is always inside, even where sd = 0
            return -1.0 if sd == 0.0 else -z * sd
        return side * (diff - delta) - z * sd

    lower = -1.0 if diff <= -1.0 else float(brentq(excess, -1.0, diff, args=(1.0,), xtol=1e-15,
                                                   rtol=4 * 2.220446049250313e-16, maxiter=500))
    upper = 1.0 if diff >= 1.0 else float(brentq(excess, diff, 1.0, args=(-1.0,), xtol=1e-15,
                                                 rtol=4 * 2.220446049250313e-16, maxiter=500))
    return lower, upper


def difference_interval(
    x1: int, n1: int, x2: int, n2: int, method: DifferenceMethod = "newcombe", conf_level: float = 0.95,
) -> tuple[float, float]:
    """Limits for :math:`p_1 - p_2` by ``method``."""
    if method == "newcombe":
        return newcombe_interval(x1, n1, x2, n2, conf_level)
    if method == "newcombe-cc":
        return newcombe_interval(x1, n1, x2, n2, conf_level, correct=True)
    if method == "miettinen-nurminen":
        return miettinen_nurminen_interval(x1, n1, x2, n2, conf_level)
    if method == "mee":
        return miettinen_nurminen_interval(x1, n1, x2, n2, conf_level, variance_correction=False)
    raise DomainError("method", method, f"one of {', '.join(DIFFERENCE_METHODS)}",
                      "Newcombe's hybrid score and Miettinen-Nurminen are the usual choices")


@dataclass(frozen=True)
class RiskDifference(RenderedResult):
    """Difference of two response rates with its CI (result of :func:`risk_difference_ci`).

    Attributes
    ----------
    x1, n1, x2, n2:
        Responders and patients in arm 1 and arm 2.
    labels:
        Names of arm 1 and arm 2; the difference is arm 1 minus arm 2.
    difference, lower, upper:
        :math:`\\hat p_1 - \\hat p_2` and its limits.
    method, conf_level:
        Interval method and coverage.
    """

    x1: int
    n1: int
    x2: int
    n2: int
    labels: tuple[str, str]
    difference: float
    lower: float
    upper: float
    method: str
    conf_level: float

    @property
    def arms(self) -> pd.DataFrame:
        """Per arm: responders, patients and rate."""
        return pd.DataFrame({"x": [self.x1, self.x2], "n": [self.n1, self.n2],
                             "rate": [self.x1 / self.n1, self.x2 / self.n2]},
                            index=pd.Index(list(self.labels), name="arm"))

    @property
    def summary(self) -> pd.DataFrame:
        """One row: the difference and its limits."""
        level = level_label(self.conf_level)
        return pd.DataFrame({"difference": [self.difference], f"lower_{level}": [self.lower],
                             f"upper_{level}": [self.upper]},
                            index=pd.Index([f"{self.labels[0]} - {self.labels[1]}"], name="comparison"))

    def _title(self) -> str:
        return "Difference in response rates"

    def _tables(self) -> list[pd.DataFrame]:
        return [self.arms, self.summary]

    def _notes(self) -> list[str]:
        return [f"{self.conf_level:.0%} CI: {_METHOD_NAMES[self.method]}."]


def risk_difference_ci(
    x1: int, n1: int, x2: int, n2: int, *, method: DifferenceMethod = "newcombe", conf_level: float = 0.95,
    labels: tuple[str, str] = ("arm 1", "arm 2"),
) -> RiskDifference:
    """Difference :math:`x_1/n_1 - x_2/n_2` with a Newcombe (default), Miettinen–Nurminen or Mee CI.

    Parameters
    ----------
    x1, n1, x2, n2:
        Responders and evaluable patients in arm 1 (e.g. experimental) and arm 2 (control).
    method:
        ``"newcombe"`` (hybrid score, method 10), ``"newcombe-cc"`` (method 11),
        ``"miettinen-nurminen"`` or ``"mee"``.
    conf_level:
        Two-sided coverage.
    labels:
        Names of the two arms.

    Examples
    --------
    Newcombe (1998), Table II, example (a), method 10: 0.0524 to 0.3339.

    >>> r = risk_difference_ci(56, 70, 48, 80)
    >>> round(r.lower, 4), round(r.upper, 4)
    (0.0524, 0.3339)
    """
    x1, n1 = check_responders(x1, n1, arm="arm1")
    x2, n2 = check_responders(x2, n2, arm="arm2")
    lower, upper = difference_interval(x1, n1, x2, n2, method, conf_level)
    return RiskDifference(x1=x1, n1=n1, x2=x2, n2=n2, labels=(str(labels[0]), str(labels[1])),
                          difference=x1 / n1 - x2 / n2, lower=lower, upper=upper, method=method,
                          conf_level=float(conf_level))
