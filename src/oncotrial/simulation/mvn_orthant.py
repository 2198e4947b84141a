"""P(max of the four FH statistics ≥ c): the MaxCombo p-value, the same in every engine.

MaxCombo uses FH(0,0), FH(0,1), FH(1,0), FH(1,1) with scores :math:`U_a = \\sum w_a (O_1 - E_1)` and
covariances :math:`V_{ab} = \\sum w_a w_b p(1-p)` (Karrison 2016; Lin et al. 2020). The one-sided
p-value of an observed maximum :math:`c` is :math:`p = 1 - P(Z_a < c \\ \\forall a)` under
:math:`N_4(0, R)`. Because :math:`w_{00} = 1 = \\hat S + (1 - \\hat S) = w_{10} + w_{01}` at every event,
:math:`U_{00} = U_{01} + U_{10}` exactly: :math:`R` is singular and the problem is 3-dimensional
with one extra linear constraint. With :math:`X = (Z_{01}, Z_{10}, Z_{11}) = L y` (Cholesky,
:math:`y` standard normal) and :math:`Z_{00} = \\alpha y_0 + \\beta y_1`
(:math:`\\alpha = (s_{01} + s_{10} L_{10})/s_{00}`, :math:`\\beta = s_{10} L_{11}/s_{00}`, :math:`s` the
standard deviations, :math:`s_{00}^2 = V_{01,01} + 2V_{01,10} + V_{10,10}`), Genz's separation of
variables (Genz, J. Comput. Graph. Stat. 1992;1:141–149) gives, in complement form,

.. math:: p = q_0 + \\int_{-\\infty}^{c} \\phi(y_0)\\,[q_1 + (1 - q_1)\\,E(q_2 \\mid y_0)]\\,dy_0,

:math:`q_0 = \\bar\\Phi(c)`, :math:`q_1 = \\bar\\Phi(h_1)`,
:math:`h_1 = \\min((c - L_{10} y_0)/L_{11}, (c - \\alpha y_0)/\\beta)`, and
:math:`E(q_2 \\mid y_0) = \\int_0^1 \\bar\\Phi((c - L_{20} y_0 - L_{21} y_1)/L_{22})\\,dw` with
:math:`y_1 = \\Phi^{-1}(w (1 - q_1))`. The outer integral runs over
:math:`[\\min(c - 12, -9), c]`, split at the kink of :math:`h_1`, each part in :data:`PANELS` panels of
12-node Gauss–Legendre; the inner integral uses 16-node Gauss–Legendre. Every term is a tail
probability (``erfc``), so small p-values keep their relative accuracy. The rule is fixed, so both
engines evaluate the same nodes in the same order (they differ only by last-bit differences of
``erfc``/``log``).

Degenerate cases (a zero variance, or a residual variance below :data:`SINGULAR`: fewer than three
events) return NaN; the kernels then report z = 0.

Accuracy against ``mvtnorm::pmvnorm`` (GenzBretz, abseps 1e-12) on FH covariances from random risk
sets: relative error below 1e-5 for p > 0.005 and about 3e-3 at p ≈ 1e-4 (tests/simulation checks
against R and ``scipy.stats.multivariate_normal``).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy.special import erfc as _erfc_np

from oncotrial.simulation.kernel_types import FloatArray, inline_kernel, kernel

SINGULAR: Final = 1e-12
SPAN: Final = 12.0
LOWEST: Final = -9.0
PANELS: Final = 4
_SQRT1_2: Final = 0.7071067811865476
_INV_SQRT_2PI: Final = 0.3989422804014327


def gauss_legendre01(n: int) -> FloatArray:
    """Gauss–Legendre nodes and weights on [0, 1] as an (n, 2) array."""
    x, w = np.polynomial.legendre.leggauss(n)
    return np.ascontiguousarray(np.stack([(x + 1.0) / 2.0, w / 2.0], axis=1))


OUTER: Final = gauss_legendre01(12)
INNER: Final = gauss_legendre01(16)

# Acklam's rational approximation of the normal quantile (relative error < 1.15e-9), refined
# by one Halley step on erfc (full double precision).
_A = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
      -3.066479806614716e+01, 2.506628277459239e+00)
_B = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
      -1.328068155288572e+01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
      4.374664141464968e+00, 2.938163982698783e+00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
_P_LOW = 0.02425
_SQRT_2PI = 2.5066282746310002


@inline_kernel
def _ppf_lower(p: float) -> float:
    """:math:`\\Phi^{-1}(p)` for ``p`` in (0, 0.5]."""
    if p < _P_LOW:
        q = math.sqrt(-2.0 * math.log(p))
        x = (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / \
            ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0)
    else:
        q = p - 0.5
        r = q * q
        x = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q / \
            (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0)
    e = 0.5 * math.erfc(-x * _SQRT1_2) - p
    u = e * _SQRT_2PI * math.exp(0.5 * x * x)
    return float(x - u / (1.0 + 0.5 * x * u))


@kernel
def norm_ppf(p: float) -> float:
    """:math:`\\Phi^{-1}(p)` for ``p`` in (0, 1); ``-inf``/``inf`` at 0 and 1.

    The upper half uses symmetry, :math:`\\Phi^{-1}(p) = -\\Phi^{-1}(1 - p)`, so that the Halley
    step always works on a small tail probability (no cancellation).
    """
    if p <= 0.0:
        return -np.inf
    if p >= 1.0:
        return np.inf
    if p > 0.5:
        return -_ppf_lower(1.0 - p)
    return _ppf_lower(p)


def norm_ppf_np(p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Vectorised :func:`norm_ppf` (same formulas)."""
    p = np.asarray(p, dtype=np.float64)
    upper = p > 0.5
    t = np.where(upper, 1.0 - p, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        ql = np.sqrt(-2.0 * np.log(t))
        lo = (((((_C[0] * ql + _C[1]) * ql + _C[2]) * ql + _C[3]) * ql + _C[4]) * ql + _C[5]) / \
            ((((_D[0] * ql + _D[1]) * ql + _D[2]) * ql + _D[3]) * ql + 1.0)
        q = t - 0.5
        r = q * q
        mid = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q / \
            (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0)
        x = np.where(t < _P_LOW, lo, mid)
        e = 0.5 * _erfc_np(-x * _SQRT1_2) - t
        u = e * _SQRT_2PI * np.exp(0.5 * x * x)
        x = x - u / (1.0 + 0.5 * x * u)
    out = np.where(upper, -x, x)
    out = np.where(p <= 0.0, -np.inf, out)
    return np.asarray(np.where(p >= 1.0, np.inf, out), dtype=np.float64)


@inline_kernel
def _factor(v: FloatArray, f: FloatArray) -> bool:
    """The numbers of the 3-variable problem from the FH covariance ``v`` (order 00, 01, 10, 11).

    ``f`` = (L10, L11, L20, L21, L22, alpha, beta); returns False when degenerate.
    """
    s01 = math.sqrt(v[1, 1])
    s10 = math.sqrt(v[2, 2])
    s11 = math.sqrt(v[3, 3])
    s00 = math.sqrt(v[1, 1] + 2.0 * v[1, 2] + v[2, 2])
    if not (s01 > 0.0 and s10 > 0.0 and s11 > 0.0 and s00 > 0.0):
        return False
    l10 = v[1, 2] / (s01 * s10)
    r11 = 1.0 - l10 * l10
    if not r11 > SINGULAR:
        return False
    l11 = math.sqrt(r11)
    l20 = v[1, 3] / (s01 * s11)
    l21 = (v[2, 3] / (s10 * s11) - l20 * l10) / l11
    r22 = 1.0 - l20 * l20 - l21 * l21
    if not r22 > SINGULAR:
        return False
    f[0] = l10
    f[1] = l11
    f[2] = l20
    f[3] = l21
    f[4] = math.sqrt(r22)
    f[5] = (s01 + s10 * l10) / s00
    f[6] = s10 * l11 / s00
    return True


@kernel
def maxcombo_pvalue(c: float, v: FloatArray, f: FloatArray, outer: FloatArray, inner: FloatArray) -> float:
    """One-sided MaxCombo p-value :math:`P(\\max_a Z_a \\ge c)` (NaN when degenerate); see the module."""
    if not _factor(v, f):
        return np.nan
    l10, l11, l20, l21, l22, alpha, beta = f[0], f[1], f[2], f[3], f[4], f[5], f[6]
    lo = min(c - SPAN, LOWEST)
    den = l10 / l11 - alpha / beta
    kink = c * (1.0 / l11 - 1.0 / beta) / den if den != 0.0 else lo
    kink = min(max(kink, lo), c)
    total = 0.0
    for piece in range(2):
        a = lo if piece == 0 else kink
        b = kink if piece == 0 else c
        width = (b - a) / PANELS
        for panel in range(PANELS):
            left = a + panel * width
            for j in range(outer.shape[0]):
                y0 = left + width * outer[j, 0]
                h1 = min((c - l10 * y0) / l11, (c - alpha * y0) / beta)
                q1 = 0.5 * math.erfc(h1 * _SQRT1_2)
                e1 = 1.0 - q1
                m = 0.0
                for i in range(inner.shape[0]):
                    y1 = norm_ppf(inner[i, 0] * e1)
                    m += inner[i, 1] * 0.5 * math.erfc((c - l20 * y0 - l21 * y1) / l22 * _SQRT1_2)
                g = q1 + e1 * m
                total += width * outer[j, 1] * g * math.exp(-0.5 * y0 * y0)
    return 0.5 * math.erfc(c * _SQRT1_2) + total * _INV_SQRT_2PI


def factor_np(v: FloatArray) -> tuple[FloatArray, ...]:
    """Vectorised :func:`_factor` for FH covariances ``v`` (T, 4, 4).

    ``(l10, l11, l20, l21, l22, alpha, beta, ok)``: the Cholesky factors and the max-combo
    line of each trial, and ``ok`` where none is degenerate (NaN or inf elsewhere).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s01, s10, s11 = np.sqrt(v[:, 1, 1]), np.sqrt(v[:, 2, 2]), np.sqrt(v[:, 3, 3])
        s00 = np.sqrt(v[:, 1, 1] + 2.0 * v[:, 1, 2] + v[:, 2, 2])
        l10 = v[:, 1, 2] / (s01 * s10)
        r11 = 1.0 - l10 * l10
        l11 = np.sqrt(r11)
        l20 = v[:, 1, 3] / (s01 * s11)
        l21 = (v[:, 2, 3] / (s10 * s11) - l20 * l10) / l11
        r22 = 1.0 - l20 * l20 - l21 * l21
        l22 = np.sqrt(r22)
        alpha = (s01 + s10 * l10) / s00
        beta = s10 * l11 / s00
        ok = (s01 > 0) & (s10 > 0) & (s11 > 0) & (s00 > 0) & (r11 > SINGULAR) & (r22 > SINGULAR)
    return l10, l11, l20, l21, l22, alpha, beta, ok


def maxcombo_pvalue_np(c: FloatArray, v: FloatArray) -> FloatArray:
    """Vectorised :func:`maxcombo_pvalue` for ``c`` (T,) and FH covariances ``v`` (T, 4, 4)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        l10, l11, l20, l21, l22, alpha, beta, ok = factor_np(v)
        lo = np.minimum(c - SPAN, LOWEST)
        den = l10 / l11 - alpha / beta
        kink = np.where(den != 0.0, c * (1.0 / l11 - 1.0 / beta) / den, lo)
        kink = np.minimum(np.maximum(kink, lo), c)
        total = np.zeros(c.size)
        for piece in range(2):
            a = lo if piece == 0 else kink
            b = kink if piece == 0 else c
            width = (b - a) / PANELS
            for panel in range(PANELS):
                left = a + panel * width
                for j in range(OUTER.shape[0]):
                    y0 = left + width * OUTER[j, 0]
                    h1 = np.minimum((c - l10 * y0) / l11, (c - alpha * y0) / beta)
                    q1 = 0.5 * _erfc_np(h1 * _SQRT1_2)
                    e1 = 1.0 - q1
                    m = np.zeros(c.size)
                    for i in range(INNER.shape[0]):
                        y1 = norm_ppf_np(INNER[i, 0] * e1)
                        m += INNER[i, 1] * 0.5 * _erfc_np((c - l20 * y0 - l21 * y1) / l22 * _SQRT1_2)
                    g = q1 + e1 * m
                    total += width * OUTER[j, 1] * g * np.exp(-0.5 * y0 * y0)
        out = 0.5 * _erfc_np(c * _SQRT1_2) + total * _INV_SQRT_2PI
    return np.asarray(np.where(ok, out, np.nan), dtype=np.float64)
