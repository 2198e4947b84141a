"""Kaplan–Meier estimator with Greenwood variance, identical to R ``survival::survfit``.

For distinct times :math:`t_j` with :math:`n_j` at risk and :math:`d_j` events
(Klein & Moeschberger, *Survival Analysis*, 2nd ed., §4.2, eqs. 4.2.1–4.2.2):

.. math::

    \\hat S(t) = \\prod_{t_j \\le t} \\Big(1 - \\frac{d_j}{n_j}\\Big), \\qquad
    \\sigma_H^2(t) = \\sum_{t_j \\le t} \\frac{d_j}{n_j (n_j - d_j)},

where :math:`\\sigma_H` is the Greenwood standard error of :math:`-\\log \\hat S` (R's
``survfit()$std.err``; infinite once :math:`\\hat S = 0`). The standard error of
:math:`\\hat S` itself (R's ``summary()$std.err``) is :math:`\\hat S\\sigma_H`.

Pointwise :math:`1-\\alpha` intervals, :math:`z = \\Phi^{-1}(1-\\alpha/2)` (R's ``conf.type``,
``man/survfit.formula.Rd``; Klein & Moeschberger §4.3):

* ``"log"`` (R's default): :math:`\\hat S \\exp(\\pm z\\sigma_H)`, upper limit capped at 1;
* ``"log-log"``: :math:`\\hat S^{\\exp(\\pm z\\sigma_H/\\log \\hat S)}` (undefined where
  :math:`\\hat S \\in \\{0, 1\\}`);
* ``"plain"``: :math:`\\hat S(1 \\pm z\\sigma_H)`, clipped to [0, 1].

Times are first merged with R's ``aeqSurv`` rule (:mod:`oncotrial.analysis.timefix`);
quantiles follow ``quantile.survfit`` (:mod:`oncotrial.analysis.quantiles`) and survival at
chosen times follows ``summary.survfit(times=)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, Self, get_args

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from oncotrial.analysis.normal_distribution import normal_ppf
from oncotrial.analysis.quantiles import first_crossing_median, step_quantiles
from oncotrial.analysis.rendering import render_html, render_text
from oncotrial.analysis.survival_data import FloatArray, check_durations, check_events, check_labels
from oncotrial.analysis.timefix import merge_near_ties
from oncotrial.core.errors import DomainError

ConfType = Literal["log", "log-log", "plain"]
CONF_TYPES: tuple[str, ...] = get_args(ConfType)


def check_conf(conf_type: str, conf_level: float) -> None:
    """Reject a confidence type R does not offer here, or a level outside (0, 1)."""
    if conf_type not in CONF_TYPES:
        raise DomainError("conf_type", conf_type, f"one of {', '.join(CONF_TYPES)}",
                          "R's default is 'log'; SAS and lifelines use 'log-log'")
    if not 0.0 < conf_level < 1.0:
        raise DomainError("conf_level", conf_level, "a probability in (0, 1), such as 0.95")


def normal_quantile(conf_level: float) -> float:
    """Two-sided critical value :math:`\\Phi^{-1}(1-(1-\\text{level})/2)`, bit-identical to R's ``qnorm``."""
    return normal_ppf(1.0 - (1.0 - conf_level) / 2.0)


def _c_exp1(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _c_log1(x: float) -> float:
    try:
        return math.log(x)
    except ValueError:  # C's log: -inf at 0, NaN below
        return -math.inf if x == 0 else math.nan


_C_EXP = np.frompyfunc(_c_exp1, 1, 1)
_C_LOG = np.frompyfunc(_c_log1, 1, 1)


def c_exp(x: FloatArray) -> FloatArray:
    """Elementwise ``exp`` of the C library, as R calls it.

    NumPy's SIMD ``exp``/``log`` differ from the C library in the last bit for a few percent
    of arguments; using the C library's keeps confidence limits bit-identical to R on the
    same platform (R and Python link the same ``libm``).
    """
    return np.asarray(_C_EXP(x), dtype=np.float64)


def c_log(x: FloatArray) -> FloatArray:
    """Elementwise ``log`` of the C library (see :func:`c_exp`)."""
    return np.asarray(_C_LOG(x), dtype=np.float64)


def confidence_band(
    survival: ArrayLike, se_log: ArrayLike, conf_type: ConfType = "log", conf_level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Pointwise confidence limits of a survival curve, as R's ``survfit_confint`` (``logse=TRUE``).

    Parameters
    ----------
    survival:
        :math:`\\hat S` at each time.
    se_log:
        Greenwood standard error of :math:`-\\log \\hat S` (R's ``survfit()$std.err``).
    conf_type, conf_level:
        Interval type and coverage.

    Returns
    -------
    (lower, upper):
        Arrays with NaN where R returns ``NA`` (``log``: :math:`\\hat S=0`; ``log-log``:
        :math:`\\hat S \\in \\{0,1\\}`; ``plain``: :math:`\\hat S = 0` after the last event).
    """
    check_conf(conf_type, conf_level)
    p = np.asarray(survival, dtype=np.float64)
    se = np.asarray(se_log, dtype=np.float64)
    z = normal_quantile(conf_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            se2 = se * p * z
            return np.maximum(p - se2, 0.0), np.minimum(p + se2, 1.0)
        if conf_type == "log":
            log_p = c_log(np.where(p == 0, np.nan, p))
            se2 = z * se
            return c_exp(log_p - se2), np.minimum(c_exp(log_p + se2), 1.0)
        xx = np.where((p == 0) | (p == 1), np.nan, p)
        log_p = c_log(xx)
        se2 = z * se / log_p
        loglog = c_log(-log_p)
        return c_exp(-c_exp(loglog - se2)), c_exp(-c_exp(loglog + se2))


class KaplanMeierFitter:
    """Kaplan–Meier estimate of one survival curve, numerically identical to R ``survfit``.

    Parameters
    ----------
    conf_type:
        ``"log"`` (R's default), ``"log-log"`` (SAS, lifelines) or ``"plain"``.
    conf_level:
        Coverage of pointwise intervals and of quantile limits.
    timefix:
        Merge near-tied times as R's ``aeqSurv`` (``timefix = TRUE``).
    label:
        Name of the curve in tables.

    Attributes
    ----------
    timeline_:
        Distinct times (events and censorings), increasing.
    n_risk_, n_event_, n_censor_:
        Counts at each time.
    survival_, se_log_:
        :math:`\\hat S` and the Greenwood standard error of :math:`-\\log\\hat S`.
    lower_, upper_:
        Pointwise limits of the chosen type.
    event_table_, survival_function_, confidence_interval_:
        The same as DataFrames indexed by time.
    median_survival_time_, median_confidence_interval_:
        Median and its limits (``quantile.survfit``); NaN where not reached.

    Examples
    --------
    >>> km = KaplanMeierFitter().fit([9, 13, 13, 18, 23], [1, 1, 0, 1, 1])
    >>> float(km.median_survival_time_)
    18.0
    """

    def __init__(
        self, *, conf_type: ConfType = "log", conf_level: float = 0.95, timefix: bool = True,
        label: str = "KM_estimate",
    ) -> None:
        self.conf_type = conf_type
        self.conf_level = conf_level
        self.timefix = timefix
        self.label = label

    def fit(self, durations: ArrayLike, event_observed: ArrayLike | None = None) -> Self:
        """Estimate the curve from follow-up times and event indicators (1 = event, 0 = censored)."""
        check_conf(self.conf_type, self.conf_level)
        t = check_durations(durations)
        e = check_events(event_observed, t.size)
        if self.timefix:
            t = merge_near_ties(t)
        times, inverse = np.unique(t, return_inverse=True)
        total = np.bincount(inverse, minlength=times.size)
        events = np.bincount(inverse, weights=e.astype(np.float64), minlength=times.size)
        at_risk = np.cumsum(total[::-1])[::-1].astype(np.float64)
        survival = np.cumprod((at_risk - events) / at_risk)
        with np.errstate(divide="ignore"):
            terms = np.where(events > 0, events / (at_risk * (at_risk - events)), 0.0)
        self.n_ = int(t.size)
        self.timeline_ = times
        self.n_risk_ = at_risk.astype(np.int64)
        self.n_event_ = events.astype(np.int64)
        self.n_censor_ = (total - events).astype(np.int64)
        self.survival_ = survival
        self.se_log_ = np.sqrt(np.cumsum(terms))
        self.lower_, self.upper_ = confidence_band(survival, self.se_log_, self.conf_type, self.conf_level)
        self.event_table_ = self._table(np.arange(times.size))
        self.survival_function_ = pd.DataFrame({self.label: survival}, index=pd.Index(times, name="time"))
        self.confidence_interval_ = pd.DataFrame(
            {f"{self.label}_lower_{self.conf_level:g}": self.lower_,
             f"{self.label}_upper_{self.conf_level:g}": self.upper_},
            index=pd.Index(times, name="time"))
        q = self.quantiles([0.5])
        self.median_survival_time_ = float(q["time"].iloc[0])
        self.median_confidence_interval_ = (float(q["lower"].iloc[0]), float(q["upper"].iloc[0]))
        return self

    def _table(self, rows: FloatArray | np.ndarray) -> pd.DataFrame:
        with np.errstate(invalid="ignore"):
            std_err = self.survival_[rows] * self.se_log_[rows]
        return pd.DataFrame({
            "time": self.timeline_[rows], "n_risk": self.n_risk_[rows], "n_event": self.n_event_[rows],
            "n_censor": self.n_censor_[rows], "survival": self.survival_[rows], "std_err": std_err,
            "lower": self.lower_[rows], "upper": self.upper_[rows]})

    def quantiles(self, probs: Sequence[float] | ArrayLike = (0.25, 0.5, 0.75)) -> pd.DataFrame:
        """Quantiles of the survival time with confidence limits, as R ``quantile(fit)``.

        The limits are where the pointwise lower and upper bands cross :math:`1-p`, with the
        midpoint rule on flat sections (Therneau, ``man/quantile.survfit.Rd``). NaN = not reached.
        """
        p = np.atleast_1d(np.asarray(probs, dtype=np.float64))
        if p.size and (np.isnan(p).any() or p.min() < 0 or p.max() > 1):
            raise DomainError("probs", probs, "probabilities in [0, 1]")
        return pd.DataFrame({
            "time": step_quantiles(self.timeline_, self.survival_, p),
            "lower": step_quantiles(self.timeline_, self.lower_, p),
            "upper": step_quantiles(self.timeline_, self.upper_, p),
        }, index=pd.Index(p, name="prob"))

    def median_as_printed(self) -> tuple[float, float, float]:
        """Median and CI limits as R ``print(fit)`` / ``summary(fit)$table`` (``survmean``).

        R prints a different rule from ``quantile(fit)`` in two corner cases (see
        :func:`oncotrial.analysis.quantiles.first_crossing_median`); use this to reproduce a
        printed R table, and :attr:`median_survival_time_` for ``quantile.survfit``.
        """
        return (first_crossing_median(self.timeline_, self.survival_),
                first_crossing_median(self.timeline_, self.lower_),
                first_crossing_median(self.timeline_, self.upper_))

    def survival_at(
        self, times: Sequence[float] | ArrayLike, *, extend: bool = False, conf_type: ConfType | None = None,
    ) -> pd.DataFrame:
        """The curve at chosen times with CIs, as R ``summary(fit, times=, extend=)``.

        Rows are the sorted finite ``times``; unless ``extend``, times after the last
        observation are dropped. ``n_risk`` is the number at risk at the first curve time
        ≥ the requested time; ``n_event`` and ``n_censor`` count since the previous requested
        time; ``std_err`` is the standard error of :math:`\\hat S` (:math:`\\hat S\\sigma_H`).
        ``conf_type`` overrides the fitter's interval type for these rows only.
        """
        lower, upper = self.lower_, self.upper_
        if conf_type is not None:
            lower, upper = confidence_band(self.survival_, self.se_log_, conf_type, self.conf_level)
        req = np.sort(np.atleast_1d(np.asarray(times, dtype=np.float64)))
        req = req[np.isfinite(req)]
        starts = self.timeline_[0] != 0.0
        t0 = np.concatenate(([0.0], self.timeline_)) if starts else self.timeline_

        def prepend(values: np.ndarray, first: float) -> np.ndarray:
            return np.concatenate(([first], values)) if starts else values

        if not extend:
            req = req[req <= t0[-1]]
        index1 = np.searchsorted(t0, req, side="right")
        row = np.maximum(index1, 1) - 1
        index2 = np.searchsorted(t0, req, side="left")
        surv = prepend(self.survival_, 1.0)[row]
        with np.errstate(invalid="ignore"):
            std_err = prepend(self.se_log_, 0.0)[row] * surv

        def since_previous(counts: np.ndarray) -> np.ndarray:
            cum = np.concatenate(([0], np.cumsum(prepend(counts, 0))))[index1]
            return np.diff(np.concatenate(([0], cum)))

        return pd.DataFrame({
            "time": req,
            "n_risk": np.concatenate((prepend(self.n_risk_, self.n_risk_[0]), [0]))[index2],
            "n_event": since_previous(self.n_event_), "n_censor": since_previous(self.n_censor_),
            "survival": surv, "std_err": std_err,
            "lower": prepend(lower, 1.0)[row], "upper": prepend(upper, 1.0)[row]})

    @property
    def summary(self) -> pd.DataFrame:
        """One row: n, events, median with its CI, and the quartiles (R ``print``/``quantile``)."""
        q = self.quantiles([0.25, 0.5, 0.75])
        level = f"{self.conf_level:g}"
        return pd.DataFrame({
            "n": [self.n_], "events": [int(self.n_event_.sum())], "median": [q["time"].iloc[1]],
            f"{level}LCL": [q["lower"].iloc[1]], f"{level}UCL": [q["upper"].iloc[1]],
            "q25": [q["time"].iloc[0]], "q75": [q["time"].iloc[2]]}, index=pd.Index([self.label]))

    def to_text(self, decimals: int = 4) -> str:
        """Plain-text report: the summary and the event table."""
        return render_text(f"Kaplan–Meier: {self.label}", [self.summary, self.event_table_],
                           [self._note()], decimals=decimals)

    def to_html(self, decimals: int = 4) -> str:
        """HTML fragment with the summary and the event table."""
        return render_html(f"Kaplan–Meier: {self.label}", [self.summary, self.event_table_],
                           [self._note()], decimals=decimals)

    def _note(self) -> str:
        return (f"Greenwood variance; {self.conf_level:.0%} pointwise CI type '{self.conf_type}'; "
                "quantiles and their limits as R quantile.survfit (midpoint rule on flat sections).")


def fit_by_group(
    durations: ArrayLike, event_observed: ArrayLike | None, groups: ArrayLike, *,
    conf_type: ConfType = "log", conf_level: float = 0.95, timefix: bool = True,
) -> dict[object, KaplanMeierFitter]:
    """One curve per group, as R ``survfit(Surv(time, status) ~ group)``.

    Near-tied times are merged over all groups together before splitting, as R does.
    Groups are in sorted order (R's factor levels).
    """
    t = check_durations(durations)
    e = check_events(event_observed, t.size)
    levels, index = check_labels(groups, t.size, field="groups")
    if timefix:
        t = merge_near_ties(t)
    return {
        level.item() if hasattr(level, "item") else level: KaplanMeierFitter(
            conf_type=conf_type, conf_level=conf_level, timefix=False, label=str(level),
        ).fit(t[index == i], e[index == i])
        for i, level in enumerate(levels)
    }
