"""Two-group Cox estimate and RMST for the kernels (shared formulas with :mod:`.numpy_tests`).

Cox (binary covariate, experimental = 1, no tied times): with :math:`r_1, r_0` at risk at each
event and :math:`g` the arm of the patient with the event,
:math:`U(\\beta) = \\sum (g - r_1 e^\\beta / (r_1 e^\\beta + r_0))` and
:math:`I(\\beta) = \\sum r_1 r_0 e^\\beta / (r_1 e^\\beta + r_0)^2`; Newton from Peto's
:math:`U(0)/I(0)` until the step is below ``1e-10`` (at most 25 steps). The Wald z is
:math:`-\\hat\\beta \\sqrt{I(\\hat\\beta)}`. When every event is in one arm the estimate is
:math:`\\mp\\infty` and z is reported as 0.

RMST up to :math:`\\tau` per arm (``survival::print.survfit(rmean=)``, survRM2): the area under
the Kaplan–Meier curve and the variance
:math:`\\sum_{t_j \\le \\tau} A_j^2 / (n_j (n_j - 1))`, :math:`A_j = \\int_{t_j}^{\\tau} \\hat S(u)\\,du`.
"""

from __future__ import annotations

import math

import numpy as np

from oncotrial.simulation.kernel_types import FloatArray, inline_kernel

COX_TOL = 1e-10
COX_STEPS = 25


@inline_kernel
def cox_newton(r1: FloatArray, r0: FloatArray, g: FloatArray, d: int, u0: float, v0: float
               ) -> tuple[float, float]:
    """(Wald z, log HR) of the experimental arm from the event risk sets."""
    o1 = 0.0
    for k in range(d):
        o1 += g[k]
    if d == 0 or v0 <= 0:
        return 0.0, np.nan
    if o1 == 0.0:
        return 0.0, -np.inf
    if o1 == d:
        return 0.0, np.inf
    beta = u0 / v0
    info = v0
    for _ in range(COX_STEPS):
        eb = math.exp(beta)
        score = 0.0
        info = 0.0
        for k in range(d):
            a = r1[k] * eb
            den = a + r0[k]
            score += g[k] - a / den
            info += a * r0[k] / (den * den)
        step = score / info
        beta += step
        if abs(step) < COX_TOL:
            break
    eb = math.exp(beta)
    info = 0.0
    for k in range(d):
        a = r1[k] * eb
        den = a + r0[k]
        info += a * r0[k] / (den * den)
    return -beta * math.sqrt(info), beta


@inline_kernel
def rmst_arm(times: FloatArray, at_risk: FloatArray, k: int, tau: float) -> tuple[float, float]:
    """(RMST, variance) of one arm from its event times ``times[:k]`` (ascending, all <= tau).

    :math:`A_j` is computed as the total area minus the area up to :math:`t_j`; ``times`` is
    overwritten with those partial areas.
    """
    s = 1.0
    prev = 0.0
    area = 0.0
    for j in range(k):
        t = times[j]
        area += s * (t - prev)
        times[j] = area
        s *= 1.0 - 1.0 / at_risk[j]
        prev = t
    area += s * (tau - prev)
    var = 0.0
    for j in range(k):
        n = at_risk[j]
        if n > 1.0:
            a = area - times[j]
            var += a * a / (n * (n - 1.0))
    return area, var
