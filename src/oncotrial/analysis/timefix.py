"""R's ``aeqSurv``: merge follow-up times that differ only by floating-point noise.

Times computed in floating point (``days / 30.4375``, unit conversions) can differ in the
last bits although they are the same day. R ``survival`` (``timefix = TRUE``, the default of
``survfit``, ``survdiff`` and ``coxph``) treats them as ties. Reproducing this is required
to match R's counts at risk and events exactly.

Reference: Therneau, T. M., *survival* package, ``R/aeqSurv.R`` and ``man/aeqSurv.Rd``.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from numpy.typing import ArrayLike

from oncotrial.analysis.survival_data import FloatArray

#: ``sqrt(.Machine$double.eps)`` in R, about 1.49e-8.
TIMEFIX_TOLERANCE: float = math.sqrt(sys.float_info.epsilon)


def merge_near_ties(times: ArrayLike, tolerance: float = TIMEFIX_TOLERANCE) -> FloatArray:
    """Replace near-tied times by the smallest member of their tie group, as ``aeqSurv``.

    Let :math:`y_1 < \\dots < y_m` be the distinct finite times and
    :math:`\\bar y = m^{-1}\\sum_i |y_i|`. Consecutive values are tied when

    .. math:: y_{i+1} - y_i \\le \\text{tol} \\quad\\text{or}\\quad (y_{i+1} - y_i)/\\bar y \\le \\text{tol},

    and chains of ties form one group. Each time is mapped to the first value of its group
    (``findInterval`` on the group starts).

    Parameters
    ----------
    times:
        Follow-up times of all patients in the analysis (all arms and strata together, as R
        applies ``aeqSurv`` to the whole response before splitting it).
    tolerance:
        R's ``tolerance`` argument; a value ≤ 0 returns the times unchanged.

    Returns
    -------
    numpy.ndarray
        The times with near-ties merged (a new float array).
    """
    t = np.array(times, dtype=np.float64)
    if tolerance <= 0 or t.size < 2:
        return t
    y = np.unique(t[np.isfinite(t)])
    if y.size < 2:
        return t
    dy = np.diff(y)
    mean_abs = math.fsum(np.abs(y).tolist()) / y.size
    tied = (dy <= tolerance) | ((dy / mean_abs) <= tolerance)
    if not tied.any():
        return t
    cuts = y[np.concatenate(([True], ~tied))]
    finite = np.isfinite(t)
    t[finite] = cuts[np.searchsorted(cuts, t[finite], side="right") - 1]
    return t
