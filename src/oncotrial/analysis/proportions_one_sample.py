"""Confidence intervals for one response rate (ORR, DCR): Clopper–Pearson and Wilson.

For :math:`x` responders among :math:`n` patients, :math:`\\hat p = x/n`,
:math:`\\alpha = 1 - \\text{level}` and :math:`z = \\Phi^{-1}(1-\\alpha/2)`:

* **Clopper–Pearson** ("exact"; Clopper & Pearson, *Biometrika* 1934;26:404–413), identical
  to R ``binom.test(x, n)$conf.int``:
  :math:`L = B^{-1}(\\alpha/2;\\, x, n-x+1)` (0 if :math:`x=0`),
  :math:`U = B^{-1}(1-\\alpha/2;\\, x+1, n-x)` (1 if :math:`x=n`), with :math:`B^{-1}` the beta quantile.
* **Wilson score** (Wilson, *JASA* 1927;22:209–212; Newcombe, *Stat Med* 1998;17:857–872,
  method 3), identical to R ``prop.test(x, n, correct = FALSE)$conf.int``:

  .. math::

      \\frac{\\hat p + \\frac{z^2}{2n}
            \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}{1 + z^2/n}.

* **Wilson with continuity correction** (Newcombe 1998, method 4; SAS ``BINOMIAL(WILSON(CORRECT))``):
  the same formula with :math:`\\hat p` replaced by :math:`\\hat p + \\frac{1}{2n}` for the upper and
  :math:`\\hat p - \\frac{1}{2n}` for the lower limit (0 if :math:`x=0`, 1 if :math:`x=n`). This is R
  ``prop.test(x, n, correct = TRUE)$conf.int`` except when :math:`x = n/2` exactly: R shrinks the
  correction to :math:`\\min(1/2, |x - n p_0|)` with the null :math:`p_0 = 1/2` and so reports the
  *uncorrected* interval there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd
from scipy.special import betaincinv

from oncotrial.analysis.proportions_counts import (
    RenderedResult,
    check_level,
    check_responders,
    level_label,
    z_two_sided,
)
from oncotrial.core.errors import DomainError

OneSampleMethod = Literal["clopper-pearson", "wilson", "wilson-cc"]
ONE_SAMPLE_METHODS: tuple[str, ...] = get_args(OneSampleMethod)

_METHOD_NAMES = {
    "clopper-pearson": "Clopper-Pearson exact (R binom.test)",
    "wilson": "Wilson score (R prop.test, correct = FALSE)",
    "wilson-cc": "Wilson score with continuity correction (Newcombe 1998 method 4)",
}


def clopper_pearson_interval(x: int, n: int, conf_level: float = 0.95) -> tuple[float, float]:
    """Clopper–Pearson limits, as R ``binom.test(x, n, conf.level = level)$conf.int``."""
    x, n = check_responders(x, n)
    alpha = (1.0 - check_level(conf_level)) / 2.0
    lower = 0.0 if x == 0 else float(betaincinv(x, n - x + 1, alpha))
    upper = 1.0 if x == n else float(betaincinv(x + 1, n - x, 1.0 - alpha))
    return lower, upper


def wilson_interval(
    x: int, n: int, conf_level: float = 0.95, *, correct: bool = False,
) -> tuple[float, float]:
    """Wilson score limits, without or with (``correct``) continuity correction.

    Without correction this is R ``prop.test(x, n, correct = FALSE)$conf.int``; with it,
    Newcombe's method 4 (see the module notes for R's exception at :math:`x = n/2`).
    """
    x, n = check_responders(x, n)
    z = z_two_sided(check_level(conf_level))
    estimate = x / n
    yates = 0.5 if correct else 0.0
    z22n = z * z / (2.0 * n)
    pc = estimate + yates / n
    half = z * math.sqrt(pc * (1 - pc) / n + z22n / (2 * n)) if pc < 1 else 0.0
    upper = 1.0 if pc >= 1 else (pc + z22n + half) / (1 + 2 * z22n)
    pc = estimate - yates / n
    half = z * math.sqrt(pc * (1 - pc) / n + z22n / (2 * n)) if pc > 0 else 0.0
    lower = 0.0 if pc <= 0 else (pc + z22n - half) / (1 + 2 * z22n)
    return max(lower, 0.0), min(upper, 1.0)


def proportion_interval(
    x: int, n: int, method: OneSampleMethod = "clopper-pearson", conf_level: float = 0.95,
) -> tuple[float, float]:
    """Limits by ``method`` (``"clopper-pearson"``, ``"wilson"`` or ``"wilson-cc"``)."""
    if method == "clopper-pearson":
        return clopper_pearson_interval(x, n, conf_level)
    if method == "wilson":
        return wilson_interval(x, n, conf_level)
    if method == "wilson-cc":
        return wilson_interval(x, n, conf_level, correct=True)
    raise DomainError("method", method, f"one of {', '.join(ONE_SAMPLE_METHODS)}",
                      "Clopper-Pearson is the usual choice for an ORR in a phase II trial")


@dataclass(frozen=True)
class ProportionEstimate(RenderedResult):
    """A response rate with its confidence interval (result of :func:`binomial_ci`).

    Attributes
    ----------
    x, n:
        Responders and patients.
    estimate, lower, upper:
        :math:`x/n` and the limits.
    method, conf_level, label:
        How the interval was computed, its coverage and the name of the row.
    """

    x: int
    n: int
    estimate: float
    lower: float
    upper: float
    method: str
    conf_level: float
    label: str = "rate"

    @property
    def summary(self) -> pd.DataFrame:
        """One row: responders, patients, rate and limits."""
        level = level_label(self.conf_level)
        return pd.DataFrame({"x": [self.x], "n": [self.n], "rate": [self.estimate],
                             f"lower_{level}": [self.lower], f"upper_{level}": [self.upper]},
                            index=pd.Index([self.label], name="group"))

    def _title(self) -> str:
        return "Response rate"

    def _tables(self) -> list[pd.DataFrame]:
        return [self.summary]

    def _notes(self) -> list[str]:
        return [f"{self.conf_level:.0%} CI: {_METHOD_NAMES[self.method]}."]


def binomial_ci(
    x: int, n: int, *, method: OneSampleMethod = "clopper-pearson", conf_level: float = 0.95,
    label: str = "rate",
) -> ProportionEstimate:
    """Response rate :math:`x/n` with a Clopper–Pearson (default), Wilson or corrected Wilson CI.

    Parameters
    ----------
    x, n:
        Responders and evaluable patients.
    method:
        ``"clopper-pearson"`` (R ``binom.test``), ``"wilson"`` (R ``prop.test(correct = FALSE)``)
        or ``"wilson-cc"`` (Newcombe's method 4).
    conf_level:
        Two-sided coverage.
    label:
        Row name in the summary (e.g. the arm).

    Examples
    --------
    >>> r = binomial_ci(7, 20)
    >>> round(r.lower, 4), round(r.upper, 4)
    (0.1539, 0.5922)
    """
    xi, ni = check_responders(x, n)
    lower, upper = proportion_interval(xi, ni, method, conf_level)
    return ProportionEstimate(x=xi, n=ni, estimate=xi / ni, lower=lower, upper=upper, method=method,
                              conf_level=float(conf_level), label=label)
