"""Brent's root finder with the stopping rule of R's ``uniroot``, to reproduce R to the last digit.

R's ``fisher.test`` finds its conditional MLE and confidence limits with ``uniroot`` at the
default tolerance ``.Machine$double.eps^0.25`` (about 1.2e-4). Its printed estimates are
therefore only as accurate as that tolerance allows (relative errors up to 1e-3 for the
estimate and 0.3 for extreme confidence limits were measured on random tables), and a
full-precision root does not reproduce them. Running the *same* algorithm with the same
bracket and tolerance does.

The algorithm is Brent's ``zeroin`` (Brent, *Algorithms for Minimization without
Derivatives*, 1973, ch. 4; Forsythe, Malcolm & Moler, *Computer Methods for Mathematical
Computations*, 1977, §7.2): keep a bracket ``[b, c]`` with ``f(b)`` and ``f(c)`` of opposite
signs and ``|f(b)| <= |f(c)|``; try inverse quadratic (or secant) interpolation, accept it only
if it falls inside the bracket and shrinks fast enough, otherwise bisect; never step less
than ``tol_act = 2 eps |b| + tol/2``; stop when half the bracket is within ``tol_act``. R's
``uniroot`` evaluates both ends first and returns ``b``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from oncotrial.core.errors import DomainError

#: R's default ``uniroot`` tolerance, ``.Machine$double.eps^0.25``.
R_UNIROOT_TOL: float = sys.float_info.epsilon**0.25

_EPS = sys.float_info.epsilon


def r_uniroot(
    f: Callable[[float], float], lower: float, upper: float, *, tol: float = R_UNIROOT_TOL,
    maxiter: int = 1000,
) -> float:
    """Root of ``f`` in ``[lower, upper]`` exactly as R ``uniroot(f, c(lower, upper), tol = tol)$root``.

    Parameters
    ----------
    f:
        A continuous function with ``f(lower)`` and ``f(upper)`` of opposite signs (or zero).
    lower, upper:
        The bracket.
    tol:
        R's ``tol``; the default is R's. Use a tiny value (e.g. ``1e-15``) for a converged root.
    maxiter:
        R's ``maxiter``.

    Raises
    ------
    DomainError
        If the function has the same sign at both ends, as R's "f() values at end points not
        of opposite sign".
    """
    fa, fb = f(lower), f(upper)
    if fa * fb > 0:
        raise DomainError("bracket", (lower, upper), "a bracket where f changes sign",
                          "the equation has no root in this interval")
    return _zeroin(f, lower, upper, fa, fb, tol, maxiter)


def _zeroin(
    f: Callable[[float], float], a: float, b: float, fa: float, fb: float, tol: float, maxiter: int,
) -> float:
    """Brent's zeroin on ``[a, b]`` with known end values; returns the best approximation ``b``."""
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    c, fc = a, fa
    for _ in range(maxiter + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):  # make b the best approximation so far
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * _EPS * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:  # two distinct points: secant
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:  # inverse quadratic interpolation
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b
