"""Quantiles of a step survival curve and their confidence limits, as R's ``quantile.survfit``.

The p-th quantile is the time where a horizontal line at :math:`1-p` meets the curve. When
the curve is flat *at* that level (within ``tolerance``) over an interval, the midpoint of
the interval is returned; a flat at the end of the curve uses the midpoint between its
start and the last observed time. With no censoring this gives the ordinary sample median
(1, 2, 3, 4 → 2.5). Confidence limits apply the same rule to the pointwise lower and upper
bands (Brookmeyer and Crowley, 1982, with the band of the chosen ``conf.type``).

Reference: Therneau, *survival*, ``R/quantile.survfit.R`` (``findq``, ``doquant``) and
``man/quantile.survfit.Rd``. The algorithm below restates its documented steps:

1. prepend the start point: times :math:`x = (0, t_1, \\dots)`, values
   :math:`y = (0, 1 - S(t_1), \\dots)`; if :math:`\\max y < \\min p`, every quantile is missing;
2. keep the first time of each distinct value of :math:`y` (a missing band value counts as
   one value);
3. :math:`i_1(p)` and :math:`i_2(p)`: the point with the smallest :math:`y \\pm \\text{tol}`
   that is :math:`\\ge p` (R's ``approx(y ± tol, 1:n, p, "constant", f = 1)``; values
   sorted, missing values dropped, ``p`` beyond the range → missing);
4. quantile :math:`= (x_{i_1} + x_{i_2})/2`; :math:`p = 0` gives the start time; if the last
   kept :math:`y` is within tol of :math:`p`, the quantile is :math:`(x_{i_1} + x_{\\max})/2`.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from numpy.typing import ArrayLike, NDArray

from oncotrial.analysis.survival_data import FloatArray

#: ``sqrt(.Machine$double.eps)``, R's default tolerance for flat sections.
QUANTILE_TOLERANCE: float = math.sqrt(sys.float_info.epsilon)


def _first_distinct(y: FloatArray) -> NDArray[np.bool_]:
    """Boolean mask keeping the first occurrence of each value (one NaN kept), as ``!duplicated``."""
    keep = np.zeros(y.size, dtype=np.bool_)
    nan = np.isnan(y)
    if nan.any():
        keep[int(np.flatnonzero(nan)[0])] = True
    finite_idx = np.flatnonzero(~nan)
    if finite_idx.size:
        _, first = np.unique(y[finite_idx], return_index=True)
        keep[finite_idx[first]] = True
    return keep


def _step_lookup(values: FloatArray, positions: FloatArray, probs: FloatArray) -> FloatArray:
    """R ``approx(values, positions, probs, method="constant", f=1, rule=1)``.

    Missing ``values`` are dropped, the rest sorted; for each probability the position of
    the smallest value ≥ p is returned, or NaN when p lies outside the values' range.
    """
    ok = ~np.isnan(values)
    v, pos = values[ok], positions[ok]
    order = np.argsort(v, kind="stable")
    v, pos = v[order], pos[order]
    out = np.full(probs.size, np.nan)
    if v.size == 0:
        return out
    k = np.searchsorted(v, probs, side="left")
    inside = (probs >= v[0]) & (k < v.size)
    out[inside] = pos[k[inside]]
    return out


def step_quantiles(
    times: ArrayLike,
    survival: ArrayLike,
    probs: ArrayLike,
    *,
    start: float = 0.0,
    tolerance: float = QUANTILE_TOLERANCE,
) -> FloatArray:
    """Quantiles of a right-continuous step function, R's ``findq``.

    Parameters
    ----------
    times:
        All time points of the curve in increasing order (event and censoring times, as
        ``survfit$time``).
    survival:
        The curve (or a pointwise confidence band) at ``times``; NaN where undefined.
    probs:
        Probabilities :math:`p` in [0, 1]; the quantile is where the curve crosses :math:`1-p`.
        The result can depend on the whole set: as in R, every quantile is missing when the
        curve never reaches :math:`1-\\min p`.
    start:
        The time where the curve starts at 1 (``start.time``, default 0).
    tolerance:
        Curve values within this distance of :math:`1-p` count as equal (flat section).

    Returns
    -------
    numpy.ndarray
        One time per probability; NaN where the curve does not reach the level.
    """
    p = np.atleast_1d(np.asarray(probs, dtype=np.float64))
    x = np.concatenate(([start], np.asarray(times, dtype=np.float64)))
    y = np.concatenate(([0.0], 1.0 - np.asarray(survival, dtype=np.float64)))
    out = np.full(p.size, np.nan)
    if p.size == 0 or np.nanmax(y) < p.min():
        return out
    x_max = x[-1]
    keep = _first_distinct(y)
    x, y = x[keep], y[keep]
    positions = np.arange(y.size, dtype=np.float64)
    i1 = _step_lookup(y + tolerance, positions, p)
    i2 = _step_lookup(y - tolerance, positions, p)
    both = ~np.isnan(i1) & ~np.isnan(i2)
    out[both] = (x[i1[both].astype(np.intp)] + x[i2[both].astype(np.intp)]) / 2
    out[p == 0] = x[0]
    if not np.isnan(y[-1]):
        last = np.abs(p - y[-1]) < tolerance
        has1 = last & ~np.isnan(i1)
        out[last] = np.nan
        out[has1] = (x[i1[has1].astype(np.intp)] + x_max) / 2
    return out


def first_crossing_median(
    times: ArrayLike, survival: ArrayLike, *, tolerance: float = QUANTILE_TOLERANCE
) -> float:
    """The median as R's ``print.survfit`` and ``summary(fit)$table`` show it (``survmean``).

    The first time where the curve (or band) is below :math:`0.5 + \\text{tol}`; if the
    curve is *at* 0.5 there and drops later, the midpoint between that time and the time of
    the next drop. Unlike :func:`step_quantiles`, a flat at 0.5 that lasts to the end of
    follow-up gives its start, not the midpoint with the last time, and a non-monotone
    upper band is read at its first crossing. NaN when never below :math:`0.5 + \\text{tol}`.
    """
    x = np.asarray(times, dtype=np.float64)
    y = np.asarray(survival, dtype=np.float64)
    keep = ~np.isnan(y) & (y < 0.5 + tolerance)
    if not keep.any():
        return float("nan")
    x, y = x[keep], y[keep]
    lower = np.flatnonzero(y < y[0])
    if abs(y[0] - 0.5) < tolerance and lower.size:
        return float((x[0] + x[lower[0]]) / 2)
    return float(x[0])
