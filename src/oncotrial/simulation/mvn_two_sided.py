"""P(max |Z_a| >= c) over the four FH statistics: the two-sided MaxCombo p-value, the same in every engine.

The MaxCombo test (Lin, Lin, Roychoudhury et al., "Alternative analysis methods for time to event
endpoints under nonproportional hazards: a comparative analysis", Stat Biopharm Res 2020;12:187-198;
Karrison, Stata J 2016;16:678-690) is one-sided in simtrial (``maxcombo()``, ``pvalue_maxcombo()``:
``1 - pmvnorm(upper = max z)``) and gsDesign2. The two-sided version (R ``nph::logrank.maxtest`` and
``nphPower::MaxLRtest`` with ``alternative = "two.sided"``: the maximum of the absolute values of the
weighted log-rank z-statistics) has p-value :math:`p = 1 - P(|Z_a| < c \\ \\forall a)` under
:math:`N_4(0, R)`, :math:`c = \\max_a |z_a|`. As in :mod:`.mvn_orthant`, :math:`Z_{00}` is the linear
combination :math:`\\alpha y_0 + \\beta y_1` of the Cholesky variables of :math:`(Z_{01}, Z_{10}, Z_{11})`,
and Genz's separation of variables (Genz 1992) gives, in complement form,

.. math:: p = 2\\bar\\Phi(c) + \\int_{-c}^{c} \\phi(y_0)\\,[(1 - e_1) + e_1 E(q_2 \\mid y_0)]\\,dy_0,

with :math:`y_1 \\in [l_1, u_1]`, :math:`l_1 = \\max((-c - L_{10} y_0)/L_{11}, (-c - \\alpha y_0)/\\beta)`,
:math:`u_1 = \\min((c - L_{10} y_0)/L_{11}, (c - \\alpha y_0)/\\beta)`, :math:`e_1 = \\Phi(u_1) - \\Phi(l_1)`
(0 when empty), and :math:`q_2 = \\Phi(l_2) + \\bar\\Phi(u_2)` the two tails of :math:`y_2` at
:math:`(\\pm c - L_{20} y_0 - L_{21} y_1)/L_{22}`, averaged over :math:`y_1 = \\Phi^{-1}(\\Phi(l_1) + w e_1)`
by 16-node Gauss–Legendre in :math:`w`. Every term is a tail probability, so small p-values keep their
relative accuracy. The outer integral over :math:`[-c, c]` is split at the four points where two of the
bounding lines of :math:`y_1` cross (the integrand's kinks), each of the five pieces in
:data:`~.mvn_orthant.PANELS` panels of 12-node Gauss–Legendre; pieces outside :math:`[-c, c]` have
zero width. The rule is fixed, so both engines evaluate the same nodes in the same order.
Checked against ``mvtnorm::pmvnorm(lower = -c, upper = c)`` in tests/simulation.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from scipy.special import erfc as _erfc_np

from oncotrial.simulation.kernel_types import FloatArray, inline_kernel, kernel
from oncotrial.simulation.mvn_orthant import INNER, OUTER, PANELS, _factor, factor_np, norm_ppf, norm_ppf_np

_SQRT1_2: Final = 0.7071067811865476
_INV_SQRT_2PI: Final = 0.3989422804014327
PIECES: Final = 5


@inline_kernel
def _cross(a1: float, b1: float, a2: float, b2: float, c: float) -> float:
    """Where the lines ``a1 + b1 y`` and ``a2 + b2 y`` cross, clipped to [-c, c] (-c when parallel)."""
    den = b1 - b2
    if den == 0.0:
        return -c
    y = (a2 - a1) / den
    return min(max(y, -c), c)


@kernel
def maxcombo_pvalue_two_sided(c: float, v: FloatArray, f: FloatArray, outer: FloatArray, inner: FloatArray
                              ) -> float:
    """Two-sided MaxCombo p-value :math:`P(\\max_a |Z_a| \\ge c)`, ``c >= 0`` (NaN when degenerate)."""
    if not _factor(v, f):
        return np.nan
    l10, l11, l20, l21, l22, alpha, beta = f[0], f[1], f[2], f[3], f[4], f[5], f[6]
    s10 = -l10 / l11
    sa = -alpha / beta
    cuts = np.empty(PIECES + 1)
    cuts[0] = -c
    cuts[1] = _cross(c / l11, s10, c / beta, sa, c)
    cuts[2] = _cross(-c / l11, s10, -c / beta, sa, c)
    cuts[3] = _cross(c / l11, s10, -c / beta, sa, c)
    cuts[4] = _cross(c / beta, sa, -c / l11, s10, c)
    cuts[5] = c
    for i in range(2, 5):  # insertion sort of the four crossings
        x = cuts[i]
        j = i
        while j > 1 and cuts[j - 1] > x:
            cuts[j] = cuts[j - 1]
            j -= 1
        cuts[j] = x
    total = 0.0
    for piece in range(PIECES):
        width = (cuts[piece + 1] - cuts[piece]) / PANELS
        for panel in range(PANELS):
            left = cuts[piece] + panel * width
            for j in range(outer.shape[0]):
                y0 = left + width * outer[j, 0]
                lo = max((-c - l10 * y0) / l11, (-c - alpha * y0) / beta)
                hi = min((c - l10 * y0) / l11, (c - alpha * y0) / beta)
                tail_lo = 0.5 * math.erfc(-lo * _SQRT1_2)  # Phi(lo)
                tail_hi = 0.5 * math.erfc(hi * _SQRT1_2)   # 1 - Phi(hi)
                up_lo = 0.5 * math.erfc(lo * _SQRT1_2)     # 1 - Phi(lo)
                if lo >= hi:
                    g = 1.0
                else:
                    if lo > 0.0:
                        e1 = up_lo - tail_hi
                    elif hi < 0.0:
                        e1 = 0.5 * math.erfc(-hi * _SQRT1_2) - tail_lo
                    else:
                        e1 = 1.0 - tail_lo - tail_hi
                    e1 = max(e1, 0.0)
                    m = 0.0
                    for i in range(inner.shape[0]):
                        if lo > 0.0:
                            y1 = -norm_ppf(up_lo - inner[i, 0] * e1)
                        else:
                            y1 = norm_ppf(tail_lo + inner[i, 0] * e1)
                        shift = l20 * y0 + l21 * y1
                        m += inner[i, 1] * 0.5 * (math.erfc((c - shift) / l22 * _SQRT1_2)
                                                  + math.erfc((c + shift) / l22 * _SQRT1_2))
                    g = (1.0 - e1) + e1 * m
                total += width * outer[j, 1] * g * math.exp(-0.5 * y0 * y0)
    return math.erfc(c * _SQRT1_2) + total * _INV_SQRT_2PI


def maxcombo_pvalue_two_sided_np(c: FloatArray, v: FloatArray) -> FloatArray:
    """Vectorised :func:`maxcombo_pvalue_two_sided` for ``c`` (T,) and FH covariances ``v`` (T, 4, 4)."""
    c = np.asarray(c, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        l10, l11, l20, l21, l22, alpha, beta, ok = factor_np(v)
        sl, sa = -l10 / l11, -alpha / beta
        lines = [(c / l11, sl, c / beta, sa), (-c / l11, sl, -c / beta, sa), (c / l11, sl, -c / beta, sa),
                 (c / beta, sa, -c / l11, sl)]
        crossings = [np.where(b1 - b2 == 0.0, -c, np.minimum(np.maximum((a2 - a1) / (b1 - b2), -c), c))
                     for a1, b1, a2, b2 in lines]
        cuts = np.stack([-c, *np.sort(np.stack(crossings), axis=0), c])
        total = np.zeros(c.size)
        for piece in range(PIECES):
            width = (cuts[piece + 1] - cuts[piece]) / PANELS
            for panel in range(PANELS):
                left = cuts[piece] + panel * width
                for j in range(OUTER.shape[0]):
                    y0 = left + width * OUTER[j, 0]
                    lo = np.maximum((-c - l10 * y0) / l11, (-c - alpha * y0) / beta)
                    hi = np.minimum((c - l10 * y0) / l11, (c - alpha * y0) / beta)
                    tail_lo = 0.5 * _erfc_np(-lo * _SQRT1_2)
                    tail_hi = 0.5 * _erfc_np(hi * _SQRT1_2)
                    up_lo = 0.5 * _erfc_np(lo * _SQRT1_2)
                    e1 = np.where(lo > 0.0, up_lo - tail_hi,
                                  np.where(hi < 0.0, 0.5 * _erfc_np(-hi * _SQRT1_2) - tail_lo,
                                           1.0 - tail_lo - tail_hi))
                    e1 = np.maximum(e1, 0.0)
                    m = np.zeros(c.size)
                    for i in range(INNER.shape[0]):
                        y1 = np.where(lo > 0.0, -norm_ppf_np(up_lo - INNER[i, 0] * e1),
                                      norm_ppf_np(tail_lo + INNER[i, 0] * e1))
                        shift = l20 * y0 + l21 * y1
                        m += INNER[i, 1] * 0.5 * (_erfc_np((c - shift) / l22 * _SQRT1_2)
                                                  + _erfc_np((c + shift) / l22 * _SQRT1_2))
                    g = np.where(lo >= hi, 1.0, (1.0 - e1) + e1 * m)
                    total += width * OUTER[j, 1] * g * np.exp(-0.5 * y0 * y0)
        out = _erfc_np(c * _SQRT1_2) + total * _INV_SQRT_2PI
    return np.asarray(np.where(ok, out, np.nan), dtype=np.float64)


def two_sided_z(p: float, sign: float) -> float:
    """The reported z of a two-sided p-value: ``sign * -Phi^-1(p / 2)`` (positive favours experimental)."""
    return sign * -float(norm_ppf_np(np.array([p / 2.0]))[0])
