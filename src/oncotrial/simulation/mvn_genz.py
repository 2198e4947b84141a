"""Rectangle probabilities of a possibly singular multivariate normal (design-time, NumPy).

:math:`P(a \\le X \\le b)` for :math:`X \\sim N_m(0, \\Sigma)` by Genz's separation of variables
(Genz, J. Comput. Graph. Stat. 1992;1:141-149; Genz & Bretz, *Computation of Multivariate Normal
and t Probabilities*, Springer 2009, §4.1): with :math:`X = L y`, :math:`y` standard normal,

.. math:: P = E_w\\Big[\\prod_j e_j(w)\\Big], \\quad e_j = \\Phi(u_j) - \\Phi(l_j), \\quad
          y_j = \\Phi^{-1}(\\Phi(l_j) + w_j e_j),

where :math:`[l_j, u_j]` is the interval of :math:`y_j` allowed by every constraint row whose last
non-zero coefficient is :math:`j`, given :math:`y_0, \\dots, y_{j-1}`. :math:`L` comes from a
Cholesky factorisation in the given variable order without pivoting; a variable whose residual
variance is below ``SINGULAR`` (relative) adds no new :math:`y` and becomes one more constraint
on the last :math:`y` it depends on (Genz & Bretz 2009, §4.1.3, singular covariance matrices). The
MaxCombo statistics are such a case: :math:`Z_{00}` is a linear combination of :math:`Z_{01}` and
:math:`Z_{10}` at every look.

The expectation is a randomised quasi-Monte Carlo rule: Sobol' points with Owen scrambling
(``scipy.stats.qmc.Sobol``), a fixed set of scramblings, so the result is deterministic and smooth
in the limits, and its standard error is estimated from the independent scramblings. Genz & Bretz
recommend putting the most constraining variables first; callers order them (the MaxCombo design
puts the last look, whose bound is lowest, first).
Intervals are evaluated with tail probabilities on the side away from the mean, so the product
keeps its accuracy when :math:`P` is near 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri
from scipy.stats import qmc

FloatArray = NDArray[np.float64]

SINGULAR = 1e-10
COEFFICIENT = 1e-9


@dataclass(frozen=True)
class Factor:
    """The separation-of-variables form of :math:`\\Sigma`: rows of :math:`L` and where each constrains."""

    rows: FloatArray      # (m, r) coefficients of each standardised variable on y_0..y_{r-1}
    step: NDArray[np.int64]  # (m,) index of the y that each row's constraint bounds
    scale: FloatArray     # (m,) standard deviations

    @property
    def rank(self) -> int:
        return int(self.rows.shape[1])


def factor(cov: FloatArray) -> Factor:
    """Cholesky rows of the correlation of ``cov`` in the given order, singular variables included."""
    cov = np.asarray(cov, dtype=np.float64)
    m = cov.shape[0]
    sd = np.sqrt(np.diag(cov))
    if not np.all(sd > 0):
        raise ValueError("every variable needs a positive variance")
    corr = cov / np.outer(sd, sd)
    rows = np.zeros((m, m))
    pivots: list[int] = []   # the variable that introduced each y
    step = np.empty(m, np.int64)
    for i in range(m):
        c = np.zeros(m)
        for j, p in enumerate(pivots):
            c[j] = (corr[i, p] - c[:j] @ rows[p, :j]) / rows[p, j]
        residual = 1.0 - float(c @ c)
        if residual > SINGULAR:
            c[len(pivots)] = np.sqrt(residual)
            step[i] = len(pivots)
            pivots.append(i)
        else:
            big = np.flatnonzero(np.abs(c) > COEFFICIENT * np.abs(c).max())
            step[i] = int(big[-1])
        rows[i] = c
    return Factor(rows[:, : len(pivots)].copy(), step, sd)


@dataclass(frozen=True)
class QmcRule:
    """Scrambled Sobol' nodes: ``scramblings`` independent replicates of ``2**log2_points`` points."""

    log2_points: int = 14
    scramblings: int = 8
    seed: int = 20240611

    def nodes(self, dim: int) -> FloatArray:
        """(scramblings, points, dim) nodes in [0, 1)."""
        return np.stack([qmc.Sobol(max(dim, 1), scramble=True, seed=self.seed + i)
                         .random_base2(self.log2_points) for i in range(self.scramblings)])


def rectangle_probability(f: Factor, lower: FloatArray, upper: FloatArray, nodes: FloatArray
                          ) -> tuple[float, float]:
    """(estimate, standard error) of :math:`P(\\text{lower} \\le X / \\sigma \\le \\text{upper})`.

    ``lower``/``upper`` are on the standardised scale (z-values; ``-inf``/``inf`` allowed); ``nodes``
    come from :meth:`QmcRule.nodes` with ``dim >= rank - 1``.
    """
    means = rectangle_replicates(f, lower, upper, nodes)
    return float(means.mean()), float(means.std(ddof=1) / np.sqrt(means.size))


def rectangle_replicates(f: Factor, lower: FloatArray, upper: FloatArray, nodes: FloatArray) -> FloatArray:
    """The estimate of :func:`rectangle_probability` from each scrambling, shape ``(scramblings,)``.

    Sums and differences of probabilities computed on the same nodes keep their standard error
    when taken replicate by replicate (the scramblings are independent, the terms within one are not).
    """
    a = np.asarray(lower, dtype=np.float64)
    b = np.asarray(upper, dtype=np.float64)
    shape = nodes.shape[:2]
    r = f.rank
    y = np.zeros((*shape, r))
    weight = np.ones(shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(r):
            lo = np.full(shape, -np.inf)
            hi = np.full(shape, np.inf)
            for i in np.flatnonzero(f.step == j):
                coef = f.rows[i, j]
                partial = y[..., :j] @ f.rows[i, :j]
                left, right = (a[i] - partial) / coef, (b[i] - partial) / coef
                if coef < 0.0:
                    left, right = right, left
                lo = np.maximum(lo, left)
                hi = np.minimum(hi, right)
            upper_side = lo > 0.0
            p_lo = np.where(upper_side, ndtr(-lo), ndtr(lo))      # tail beyond lo (the side away from 0)
            p_hi = np.where(upper_side, ndtr(-hi), ndtr(hi))
            e = np.maximum(np.where(upper_side, p_lo - p_hi, p_hi - p_lo), 0.0)
            weight = weight * e
            if j + 1 < r:
                w = nodes[..., j]
                y[..., j] = np.where(upper_side, -ndtri(p_lo - w * e), ndtri(p_lo + w * e))
                y[..., j] = np.where(e > 0.0, y[..., j], 0.0)
    return np.asarray(weight.mean(axis=1), dtype=np.float64)
