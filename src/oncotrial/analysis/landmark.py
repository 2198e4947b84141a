"""Survival rate at a landmark (the primary endpoint: 6-month PFS rate) and its difference between arms.

Per arm, :math:`\\hat S(\\tau)` is the Kaplan–Meier estimate at the landmark :math:`\\tau`, as R
``summary(survfit(...), times = tau)``, with Greenwood standard error
:math:`\\widehat{se}(\\hat S) = \\hat S(\\tau)\\,\\sigma_H(\\tau)` and pointwise intervals of
``log-log`` and ``log`` type (:mod:`oncotrial.analysis.kaplan_meier`).

Between two independent arms (Klein & Moeschberger, *Survival Analysis*, 2nd ed., §7.8
"tests at a fixed point in time"):

.. math::

    \\Delta = \\hat S_E(\\tau) - \\hat S_C(\\tau), \\qquad
    \\widehat{se}(\\Delta) = \\sqrt{\\widehat{se}(\\hat S_E)^2 + \\widehat{se}(\\hat S_C)^2},

with the Wald interval :math:`\\Delta \\pm z_{1-\\alpha/2}\\,\\widehat{se}(\\Delta)` and the test
:math:`Z = \\Delta/\\widehat{se}(\\Delta)`, two-sided :math:`p = 2\\Phi(-|Z|)`.

An arm whose follow-up ends before :math:`\\tau` has no estimate (NaN), as R without
``extend = TRUE``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from numpy.typing import ArrayLike
from scipy.special import ndtr

from oncotrial.analysis.kaplan_meier import (
    ConfType,
    KaplanMeierFitter,
    check_conf,
    fit_by_group,
    normal_quantile,
)
from oncotrial.analysis.rendering import render_html, render_text
from oncotrial.core.errors import DomainError

#: Interval types reported per arm: log-log (SAS, protocol convention) and log (R's default).
CONF_TYPES_REPORTED: tuple[ConfType, ...] = ("log-log", "log")


def _at_landmark(km: KaplanMeierFitter, landmark: float) -> dict[str, float]:
    """One arm's row: counts, estimate, its SE and both interval types at the landmark."""
    row: dict[str, float] = {"n": float(km.n_), "n_risk": math.nan, "events": math.nan, "survival": math.nan,
                             "std_err": math.nan}
    for conf_type in CONF_TYPES_REPORTED:
        at = km.survival_at([landmark], conf_type=conf_type)
        suffix = conf_type.replace("-", "")
        row[f"lower_{suffix}"], row[f"upper_{suffix}"] = math.nan, math.nan
        if len(at):
            row.update(n_risk=float(at["n_risk"].iloc[0]), events=float(at["n_event"].iloc[0]),
                       survival=float(at["survival"].iloc[0]), std_err=float(at["std_err"].iloc[0]))
            row[f"lower_{suffix}"] = float(at["lower"].iloc[0])
            row[f"upper_{suffix}"] = float(at["upper"].iloc[0])
    return row


@dataclass(frozen=True)
class LandmarkComparison:
    """Survival rates at a landmark per arm and their difference (experimental − control).

    Attributes
    ----------
    landmark, conf_level:
        The landmark time and the coverage of all intervals.
    arms:
        Per arm: ``n``, ``n_risk`` at the landmark, ``events`` up to it, ``survival``,
        ``std_err`` (Greenwood) and the ``log-log`` and ``log`` limits.
    experimental, control:
        Arm labels; the difference is experimental minus control.
    difference, std_err, lower, upper, z, p_value:
        :math:`\\Delta`, its standard error, Wald interval, Z statistic and two-sided p-value.
    """

    landmark: float
    conf_level: float
    arms: pd.DataFrame
    experimental: object
    control: object
    difference: float
    std_err: float
    lower: float
    upper: float
    z: float
    p_value: float

    @property
    def summary(self) -> pd.DataFrame:
        """One row: the difference with its CI, Z and p."""
        return pd.DataFrame({
            "difference": [self.difference], "std_err": [self.std_err],
            f"lower_{self.conf_level:g}": [self.lower], f"upper_{self.conf_level:g}": [self.upper],
            "z": [self.z], "p": [self.p_value],
        }, index=pd.Index([f"{self.experimental} - {self.control}"], name="comparison"))

    def _title(self) -> str:
        return f"Survival rate at {self.landmark:g}"

    def _notes(self) -> list[str]:
        return ["Kaplan–Meier estimates with Greenwood standard errors (R summary.survfit(times=)); "
                "difference with a Wald CI and Z-test."]

    def to_text(self, decimals: int = 4) -> str:
        """Plain-text report: the arms and the difference."""
        return render_text(self._title(), [self.arms, self.summary], self._notes(), decimals=decimals)

    def to_html(self, decimals: int = 4) -> str:
        """HTML fragment: the arms and the difference."""
        return render_html(self._title(), [self.arms, self.summary], self._notes(), decimals=decimals)


def compare_landmark_survival(
    durations: ArrayLike, event_observed: ArrayLike | None, arms: ArrayLike, *, landmark: float,
    control: object | None = None, conf_level: float = 0.95, timefix: bool = True,
) -> LandmarkComparison:
    """Kaplan–Meier rates at ``landmark`` in two arms, their difference, CI and Z-test.

    Parameters
    ----------
    durations, event_observed:
        Follow-up times (in the landmark's unit, e.g. months) and event indicators.
    arms:
        Arm label per patient; exactly two arms.
    landmark:
        Time of the rate, e.g. 6 for the 6-month PFS rate with times in months.
    control:
        Label of the control arm; by default the first in sorted order.
    conf_level:
        Coverage of the per-arm intervals and of the difference's interval.
    timefix:
        Merge near-tied times over both arms first (R's ``aeqSurv``).
    """
    check_conf("log", conf_level)
    if not math.isfinite(landmark) or landmark < 0:
        raise DomainError("landmark", landmark, "a finite time ≥ 0 (e.g. 6 for 6 months)")
    fits = fit_by_group(durations, event_observed, arms, conf_level=conf_level, timefix=timefix)
    if len(fits) != 2:
        raise DomainError("arms", list(fits), "exactly two arms", "select the two arms to compare first")
    labels = list(fits)
    if control is None:
        control = labels[0]
    if control not in fits:
        raise DomainError("control", control, f"one of the arms {labels}")
    experimental = labels[1] if control == labels[0] else labels[0]
    rows = {str(label): _at_landmark(fits[label], landmark) for label in (experimental, control)}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")
    table = table.astype({"n": "int64", "n_risk": "Int64", "events": "Int64"})
    e, c = rows[str(experimental)], rows[str(control)]
    diff = e["survival"] - c["survival"]
    se = math.sqrt(e["std_err"] ** 2 + c["std_err"] ** 2)
    half = normal_quantile(conf_level) * se
    z = diff / se if se > 0 else math.nan
    p = float(2.0 * ndtr(-abs(z))) if not math.isnan(z) else math.nan
    return LandmarkComparison(landmark=float(landmark), conf_level=conf_level, arms=table,
                              experimental=experimental, control=control, difference=diff, std_err=se,
                              lower=diff - half, upper=diff + half, z=z, p_value=p)
