"""Restricted mean survival time (RMST) per arm and between two arms.

**Per arm**, identical to R ``survival`` ``print(survfit(...), rmean = tau)`` (``survmean`` in
``R/survfit.R``): with the Kaplan–Meier curve :math:`\\hat S` on the distinct times
:math:`t_1 < \\dots < t_m \\le \\tau` (events and censorings; :math:`d_i` events, :math:`n_i` at risk),

.. math::

    \\hat\\mu(\\tau) = \\int_0^\\tau \\hat S(u)\\,du, \\qquad
    \\widehat{\\operatorname{var}}\\,\\hat\\mu(\\tau) = \\sum_{i:\\, t_i \\le \\tau}
        \\Big(\\int_{t_i}^{\\tau} \\hat S(u)\\,du\\Big)^2 \\frac{d_i}{n_i (n_i - d_i)}

(terms with :math:`n_i = d_i` count 0; Klein & Moeschberger, *Survival Analysis*, 2nd ed.,
§4.5, eqs. 4.5.1–4.5.2). A :math:`\\tau` beyond the last time extends the curve flat, as R does.
The per-arm interval is :math:`\\hat\\mu \\pm z\\,\\widehat{se}` (survRM2 ``rmst1``).

**Between arms** (arm 1 = experimental, arm 0 = control), the unadjusted contrasts of
survRM2 ``rmst2`` (Uno et al., *J Clin Oncol* 2014;32:2380–2385; cran/survRM2 ``R/rmst2.R``):

* difference :math:`\\hat\\mu_1 - \\hat\\mu_0`, :math:`se = \\sqrt{se_1^2 + se_0^2}`, Wald interval and
  :math:`p = 2\\Phi(-|\\text{est}|/se)`;
* ratio :math:`\\hat\\mu_1/\\hat\\mu_0` on the log scale, delta-method
  :math:`se = \\sqrt{se_1^2/\\hat\\mu_1^2 + se_0^2/\\hat\\mu_0^2}`,
  interval :math:`\\exp(\\log r \\pm z\\,se)`;
* ratio of restricted mean times lost :math:`(\\tau - \\hat\\mu_1)/(\\tau - \\hat\\mu_0)`, likewise.

Without ``tau``, :func:`compare_rmst` uses survRM2's default: the largest :math:`\\tau` at which both
Kaplan–Meier curves are defined (an arm whose last observation is censored is not extended),
and it rejects a larger one, as survRM2 does. Near-tied times are merged over both arms first
(R ``survfit(... ~ arm)``; survRM2 fits each arm separately, which differs only for times
within 1.5e-8 of each other).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.special import ndtr

from oncotrial.analysis.normal_distribution import normal_ppf
from oncotrial.analysis.proportions_counts import RenderedResult, check_level, level_label
from oncotrial.analysis.survival_data import (
    BoolArray,
    FloatArray,
    check_durations,
    check_events,
    check_labels,
)
from oncotrial.analysis.timefix import merge_near_ties
from oncotrial.core.errors import DomainError


def restricted_mean(durations: FloatArray, events: BoolArray, tau: float) -> tuple[float, float]:
    """RMST up to ``tau`` and its standard error for one curve (R ``survmean``), on checked arrays.

    The times are used as given (merge near-ties first, over all arms, if wanted).
    """
    times, inverse = np.unique(durations, return_inverse=True)
    total = np.bincount(inverse, minlength=times.size).astype(np.float64)
    died = np.bincount(inverse, weights=events.astype(np.float64), minlength=times.size)
    at_risk = np.cumsum(total[::-1])[::-1]
    survival = np.cumprod((at_risk - died) / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        hazard_terms = np.where(at_risk - died == 0, 0.0, died / (at_risk * (at_risk - died)))
    keep = times <= tau
    if not keep.any():
        grid, surv_grid, hh = np.array([tau]), np.array([1.0]), np.array([0.0])
    else:
        last = survival[keep][-1]
        grid = np.append(times[keep], tau)
        surv_grid = np.append(survival[keep], last)
        hh = np.append(hazard_terms[keep], 0.0)
    widths = np.diff(np.concatenate(([0.0], grid)))
    rectangles = widths * np.concatenate(([1.0], surv_grid[:-1]))
    mean = float(np.sum(rectangles))
    areas_after = np.cumsum(rectangles[1:][::-1])
    variance = float(np.sum(areas_after**2 * hh[::-1][1:]))
    return mean, math.sqrt(variance)


def _prepare(
    durations: ArrayLike, event_observed: ArrayLike | None, groups: ArrayLike | None, timefix: bool,
) -> tuple[FloatArray, BoolArray, np.ndarray, np.ndarray]:
    t = check_durations(durations)
    e = check_events(event_observed, t.size)
    if groups is None:
        levels, g = np.array(["all"]), np.zeros(t.size, dtype=np.intp)
    else:
        levels, g = check_labels(groups, t.size, field="groups")
    if timefix:
        t = merge_near_ties(t)
    return t, e, levels, g


def _check_tau(tau: float) -> float:
    if not isinstance(tau, int | float | np.floating | np.integer) or not math.isfinite(tau) or tau <= 0:
        raise DomainError("tau", tau, "a finite truncation time > 0 (e.g. 24 for 24 months)")
    return float(tau)


def _arm_row(t: FloatArray, e: BoolArray, tau: float, z: float) -> dict[str, float]:
    mean, se = restricted_mean(t, e, tau)
    return {"n": float(t.size), "events": float(e[t <= tau].sum()), "rmst": mean, "se": se,
            "lower": mean - z * se, "upper": mean + z * se, "rmtl": tau - mean}


def _label(value: Any) -> str:
    return str(value.item() if hasattr(value, "item") else value)


@dataclass(frozen=True)
class RestrictedMeanResult(RenderedResult):
    """RMST per group (result of :func:`rmst_by_group`).

    ``summary`` has one row per group: ``n``, ``events`` up to :math:`\\tau`, ``rmst``, ``se``
    (R's ``rmean`` and ``se(rmean)``), normal limits and ``rmtl`` (:math:`\\tau -` RMST).
    """

    tau: float
    conf_level: float
    summary: pd.DataFrame

    def _title(self) -> str:
        return f"Restricted mean survival time up to {self.tau:g}"

    def _tables(self) -> list[pd.DataFrame]:
        return [self.summary]

    def _notes(self) -> list[str]:
        return ["Area under the Kaplan-Meier curve (R print.survfit(rmean = tau)); normal "
                f"{self.conf_level:.0%} limits."]


def rmst_by_group(
    durations: ArrayLike, event_observed: ArrayLike | None, groups: ArrayLike | None = None, *, tau: float,
    conf_level: float = 0.95, timefix: bool = True,
) -> RestrictedMeanResult:
    """RMST up to ``tau`` per group, as R ``summary(survfit(Surv(t, e) ~ g), rmean = tau)$table``.

    Parameters
    ----------
    durations, event_observed:
        Follow-up times and event indicators (1 = event).
    groups:
        Optional group (arm) per patient; ``None`` for one curve.
    tau:
        Truncation time, at least the smallest time (R stops otherwise); beyond a curve's last
        time the curve is extended flat, as R.
    conf_level:
        Coverage of the per-group normal intervals.
    timefix:
        Merge near-tied times over all patients first (R's ``aeqSurv``).
    """
    tau = _check_tau(tau)
    level = check_level(conf_level)
    z = normal_ppf(1.0 - (1.0 - level) / 2.0)
    t, e, levels, g = _prepare(durations, event_observed, groups, timefix)
    if tau < t.min():
        raise DomainError("tau", tau, f"at least the smallest follow-up time {t.min():g} (as R)",
                          "an RMST truncated before any observation carries no information")
    rows = {_label(levels[i]): _arm_row(t[g == i], e[g == i], tau, z) for i in range(levels.size)}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")
    lv = level_label(level)
    table = table.rename(columns={"lower": f"lower_{lv}", "upper": f"upper_{lv}"})
    table = table.astype({"n": "int64", "events": "int64"})
    return RestrictedMeanResult(tau=tau, conf_level=level, summary=table)


def max_common_tau(t: FloatArray, e: BoolArray, in_arm: list[np.ndarray]) -> float:
    """survRM2's largest admissible :math:`\\tau`: the larger last time if both curves reach 0 there, else
    the last time of an arm whose last observation is censored (the smaller one if both are)."""
    limit = max(float(t[m].max()) for m in in_arm)
    for m in in_arm:
        last = float(t[m].max())
        ends_censored = not bool(e[m][t[m] == last].all())
        if ends_censored:
            limit = min(limit, last)
    return limit


@dataclass(frozen=True)
class RMSTComparison(RenderedResult):
    """Two-arm RMST comparison (result of :func:`compare_rmst`), as survRM2 ``rmst2``.

    Attributes
    ----------
    tau, conf_level:
        Truncation time and coverage.
    experimental, control:
        Arm labels (survRM2's arm 1 and arm 0).
    arms:
        Per arm: ``n``, ``events`` up to :math:`\\tau`, ``rmst``, ``se``, limits, ``rmtl``.
    contrasts:
        Rows ``RMST difference``, ``RMST ratio``, ``RMTL ratio``: estimate, limits, p-value.
    tau_note:
        How :math:`\\tau` was chosen.
    """

    tau: float
    conf_level: float
    experimental: str
    control: str
    arms: pd.DataFrame
    contrasts: pd.DataFrame
    tau_note: str

    @property
    def summary(self) -> pd.DataFrame:
        """The between-arm contrasts."""
        return self.contrasts

    def _title(self) -> str:
        return f"Restricted mean survival time up to {self.tau:g}: {self.experimental} vs {self.control}"

    def _tables(self) -> list[pd.DataFrame]:
        return [self.arms, self.contrasts]

    def _notes(self) -> list[str]:
        return [self.tau_note,
                "Greenwood-type variance (R print.survfit(rmean)); contrasts as survRM2 rmst2: ratios on "
                "the log scale with delta-method se (the se column of a ratio is that of its log)."]


def _contrasts(e_row: dict[str, float], c_row: dict[str, float], z: float, level: float) -> pd.DataFrame:
    """survRM2's three contrasts, with R's IEEE semantics (an arm with RMTL 0 gives NaN or Inf, no error)."""
    f = np.float64
    rows = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        diff = f(e_row["rmst"]) - f(c_row["rmst"])
        se = np.sqrt(f(e_row["se"]) ** 2 + f(c_row["se"]) ** 2)
        rows.append(("RMST difference", diff, se, diff - z * se, diff + z * se, 2 * ndtr(-abs(diff) / se)))
        for name, key in (("RMST ratio", "rmst"), ("RMTL ratio", "rmtl")):
            log_ratio = np.log(f(e_row[key])) - np.log(f(c_row[key]))
            var_e, var_c = f(e_row["se"]) ** 2, f(c_row["se"]) ** 2
            se_log = np.sqrt(var_e / f(e_row[key]) / f(e_row[key]) + var_c / f(c_row[key]) / f(c_row[key]))
            rows.append((name, np.exp(log_ratio), se_log, np.exp(log_ratio - z * se_log),
                         np.exp(log_ratio + z * se_log), 2 * ndtr(-abs(log_ratio) / se_log)))
    lv = level_label(level)
    columns = ["contrast", "estimate", "se", f"lower_{lv}", f"upper_{lv}", "p"]
    frame = pd.DataFrame([(r[0], *(float(v) for v in r[1:])) for r in rows], columns=columns)
    return frame.set_index("contrast")


def compare_rmst(
    durations: ArrayLike, event_observed: ArrayLike | None, arms: ArrayLike, *, tau: float | None = None,
    control: object | None = None, conf_level: float = 0.95, timefix: bool = True,
) -> RMSTComparison:
    """RMST per arm and the difference and ratios between two arms, as survRM2 ``rmst2`` (unadjusted).

    Parameters
    ----------
    durations, event_observed:
        Follow-up times and event indicators.
    arms:
        Arm label per patient; exactly two arms.
    tau:
        Truncation time; by default survRM2's largest admissible value (see the module notes).
    control:
        Label of the control arm (survRM2's arm 0); by default the first in sorted order.
    conf_level:
        Coverage of all intervals.
    timefix:
        Merge near-tied times over both arms first (R's ``aeqSurv``).

    Raises
    ------
    DomainError
        If ``tau`` exceeds the admissible maximum (survRM2 stops there too).
    """
    level = check_level(conf_level)
    z = normal_ppf(1.0 - (1.0 - level) / 2.0)
    t, e, levels, g = _prepare(durations, event_observed, arms, timefix)
    if levels.size != 2:
        raise DomainError("arms", [_label(v) for v in levels], "exactly two arms",
                          "select the two arms first")
    labels = [_label(v) for v in levels]
    control_label = labels[0] if control is None else str(control)
    if control_label not in labels:
        raise DomainError("control", control, f"one of the arms {labels}")
    ctrl = labels.index(control_label)
    masks = [g == 1 - ctrl, g == ctrl]  # experimental, control
    limit = max_common_tau(t, e, masks)
    if tau is None:
        if limit <= 0:
            raise DomainError("tau", limit, "a positive default truncation time",
                              "an arm has all its follow-up at time 0")
        tau_value = limit
        note = f"tau = {limit:g}: the largest time at which both curves are estimable (default)."
    else:
        tau_value = _check_tau(tau)
        if tau_value > limit:
            raise DomainError("tau", tau, f"at most {limit:g}",
                              "the Kaplan-Meier curve of an arm is not defined after its last censored time")
        note = f"tau = {tau_value:g} was specified."
    e_row = _arm_row(t[masks[0]], e[masks[0]], tau_value, z)
    c_row = _arm_row(t[masks[1]], e[masks[1]], tau_value, z)
    lv = level_label(level)
    arms_table = pd.DataFrame.from_dict({labels[1 - ctrl]: e_row, labels[ctrl]: c_row}, orient="index")
    arms_table = arms_table.rename(columns={"lower": f"lower_{lv}", "upper": f"upper_{lv}"})
    arms_table = arms_table.rename_axis("arm").astype({"n": "int64", "events": "int64"})
    return RMSTComparison(tau=tau_value, conf_level=level, experimental=labels[1 - ctrl],
                          control=control_label, arms=arms_table,
                          contrasts=_contrasts(e_row, c_row, z, level), tau_note=note)
