"""Newton–Raphson for the Cox model with R ``survival``'s stopping rule and step halving.

R (``coxph.control``; ``coxph.fit``/``coxexact.fit``) starts at :math:`\\beta = 0`, takes a
full Newton step :math:`\\beta + I^{-1}u`, and stops at the first iterate whose log-likelihood
:math:`\\ell_{\\text{new}}` satisfies :math:`|1 - \\ell_{\\text{best}}/\\ell_{\\text{new}}| \\le
\\varepsilon` (``eps = 1e-9``), where :math:`\\ell_{\\text{best}}` is the best value so far;
the answer is that iterate, with the variance :math:`I^{-1}` computed there. An iterate with a
lower (or non-finite) log-likelihood is replaced by a point between it and the last good one
(step halving). After ``iter.max`` (20) iterations R reports non-convergence.

The information matrix is factored as :math:`LDL^\\top`; a pivot below ``toler_chol`` times the
largest diagonal element marks its column as redundant (R's ``toler.chol``): its step and its
row and column of the inverse are zero, and its coefficient is reported as missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from oncotrial.analysis.survival_data import FloatArray

#: R's ``coxph.control()`` defaults.
R_EPS: float = 1e-9
R_ITER_MAX: int = 20
R_TOLER_CHOL: float = float(np.finfo(np.float64).eps) ** 0.75

Routine = Literal["coxfit6", "coxexact"]
Objective = Callable[[FloatArray], tuple[float, FloatArray, FloatArray]]


@dataclass(frozen=True, slots=True)
class LDL:
    """Generalized :math:`LDL^\\top` factor of a symmetric non-negative matrix; ``d == 0`` = redundant."""

    lower: FloatArray
    d: FloatArray

    @classmethod
    def factor(cls, matrix: FloatArray, toler: float) -> LDL:
        """Factor ``matrix``; pivots not finite or below ``toler`` × the largest diagonal become 0."""
        a = np.array(matrix, dtype=np.float64)
        p = a.shape[0]
        lower = np.eye(p)
        d = np.zeros(p)
        diag = np.diag(a)
        largest = float(np.max(diag[np.isfinite(diag)], initial=0.0))
        if largest <= 0:
            return cls(lower, d)
        limit = largest * toler
        for i in range(p):
            pivot = a[i, i]
            if not np.isfinite(pivot) or pivot < limit:
                lower[i + 1:, i] = a[i + 1:, i]  # kept as R does; multiplied by a zero solution
                continue
            d[i] = pivot
            col = a[i + 1:, i] / pivot
            lower[i + 1:, i] = col
            a[i + 1:, i + 1:] -= np.outer(col, col) * pivot
        return cls(lower, d)

    @property
    def rank(self) -> int:
        return int(np.count_nonzero(self.d))

    def solve(self, y: FloatArray) -> FloatArray:
        """A solution of :math:`Ax = y` with the redundant components set to 0."""
        p = self.d.size
        z = np.array(y, dtype=np.float64)
        for i in range(p):
            z[i] -= self.lower[i, :i] @ z[:i]
        x = np.zeros(p)
        for i in range(p - 1, -1, -1):
            if self.d[i] != 0:
                x[i] = z[i] / self.d[i] - self.lower[i + 1:, i] @ x[i + 1:]
        return x

    def inverse(self) -> FloatArray:
        """Generalized inverse: zero rows and columns for redundant components."""
        p = self.d.size
        keep = self.d != 0
        out = np.zeros((p, p))
        if keep.any():
            lk = np.linalg.inv(np.tril(self.lower)[np.ix_(keep, keep)])
            out[np.ix_(keep, keep)] = (lk.T / self.d[keep]) @ lk
        return out


@dataclass(frozen=True, slots=True)
class NewtonFit:
    """Outcome of :func:`newton_raphson` (on the scale the objective was given)."""

    beta: FloatArray
    variance: FloatArray
    score: FloatArray
    loglik_init: float
    loglik: float
    score_test: float
    iterations: int
    converged: bool
    rank: int
    halving: bool


def newton_raphson(
    objective: Objective, init: FloatArray, *, eps: float = R_EPS, iter_max: int = R_ITER_MAX,
    toler_chol: float = R_TOLER_CHOL, routine: Routine = "coxfit6", full: bool = False,
) -> NewtonFit:
    """Maximise ``objective`` (returning log-likelihood, score, information) as R ``coxph`` does.

    Parameters
    ----------
    objective:
        Function of :math:`\\beta` returning :math:`(\\ell, u, I)`.
    init:
        Starting value (R: 0); the score test is computed there.
    eps, iter_max, toler_chol:
        R's ``coxph.control`` settings.
    routine:
        Which of R's two iteration loops to follow. ``"coxfit6"`` (Breslow, Efron): after
        :math:`k` failed trials in a row the next trial is :math:`(\\text{trial} + k\\beta)/(k+1)`,
        and when the iterations run out the last improving point is returned, with
        ``iter_max + 1`` iterations reported. ``"coxexact"`` (exact): a failed trial is halved
        towards the last improving point, convergence is not tested while halving, and the last
        trial is evaluated but not taken (``iter_max`` reported).
    full:
        After R's rule is met, keep taking Newton steps until the step is below
        :math:`10^{-12}(1 + |\\beta|)` or the log-likelihood stops increasing (full convergence).

    Returns
    -------
    NewtonFit
        On non-convergence, the variance is the inverse information at the returned
        :math:`\\beta` (R reports a matrix that is not: its C code inverts an unfactored matrix).
    """
    beta = np.array(init, dtype=np.float64)
    loglik0, u, imat = objective(beta)
    fac = LDL.factor(imat, toler_chol)
    step = fac.solve(u)
    score_test = float(u @ step)
    if iter_max == 0 or not np.isfinite(loglik0):
        return NewtonFit(beta, fac.inverse(), u, loglik0, loglik0, score_test, 0, True, fac.rank, False)
    exact_style = routine == "coxexact"
    best = loglik0
    trial = beta + step
    halving = 0
    for iteration in range(1, iter_max + 1):
        loglik, u, imat = objective(trial)
        fac = LDL.factor(imat, toler_chol)
        finite = bool(np.isfinite(loglik) and np.isfinite(u).all() and np.isfinite(imat).all())
        with np.errstate(divide="ignore", invalid="ignore"):
            close = bool(abs(1.0 - np.float64(best) / np.float64(loglik)) <= eps)
        if finite and close and not (exact_style and halving):
            if full:
                return _polish(objective, trial, loglik, u, fac, toler_chol, loglik0, score_test, iteration)
            return NewtonFit(trial, fac.inverse(), u, loglik0, loglik, score_test, iteration, True,
                             fac.rank, halving > 0)
        if exact_style and iteration == iter_max:
            if iter_max == 1:
                return NewtonFit(trial, fac.inverse(), u, loglik0, loglik, score_test, 1, False, fac.rank,
                                 halving > 0)
            break
        if not finite or loglik < best:
            halving = 1 if exact_style else halving + 1
            trial = (trial + halving * beta) / (halving + 1.0)
        else:
            halving = 0
            best = loglik
            beta, trial = trial, trial + fac.solve(u)
    if iter_max == 1:
        loglik = best
    else:
        loglik, u, imat = objective(beta)
        fac = LDL.factor(imat, toler_chol)
    return NewtonFit(beta, fac.inverse(), u, loglik0, loglik, score_test,
                     iter_max if exact_style else iter_max + 1, False, fac.rank, halving > 0)


def _polish(
    objective: Objective, beta: FloatArray, loglik: float, u: FloatArray, fac: LDL, toler_chol: float,
    loglik0: float, score_test: float, iterations: int, max_extra: int = 50,
) -> NewtonFit:
    """Continue Newton steps from R's stopping point until the step is negligible."""
    for _ in range(max_extra):
        step = fac.solve(u)
        if np.all(np.abs(step) <= 1e-12 * (1.0 + np.abs(beta))):
            break
        new_loglik, new_u, new_imat = objective(beta + step)
        if not np.isfinite(new_loglik) or new_loglik < loglik:
            break
        beta, loglik, u = beta + step, new_loglik, new_u
        fac = LDL.factor(new_imat, toler_chol)
        iterations += 1
    return NewtonFit(beta, fac.inverse(), u, loglik0, loglik, score_test, iterations, True, fac.rank, False)
