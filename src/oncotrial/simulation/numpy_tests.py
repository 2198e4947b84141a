"""Vectorised landmark, binary, Cox and RMST statistics (twins of :mod:`.numba_tests` and the
corresponding branches of ``numba_analysis.analyse_sorted``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from oncotrial.simulation.numba_tests import COX_STEPS, COX_TOL

if TYPE_CHECKING:
    from oncotrial.simulation.numpy_analysis import Sorted

FloatArray = NDArray[np.float64]


def _arm_risk(srt: Sorted, a: int) -> FloatArray:
    return srt.at_risk1 if a == 1 else srt.at_risk - srt.at_risk1


def km_landmark_z(srt: Sorted, tau: float) -> tuple[FloatArray, FloatArray]:
    """Kaplan–Meier rate difference at ``tau`` with Greenwood variances (experimental − control)."""
    s, g = [], []
    for a in (0, 1):
        mask = (srt.event > 0) & (srt.arm == a) & (srt.x <= tau)
        ra = np.where(mask, _arm_risk(srt, a), 2.0)
        with np.errstate(divide="ignore"):
            s.append(np.prod(np.where(mask, 1.0 - 1.0 / ra, 1.0), axis=1))
            g.append(np.where(mask & (ra > 1.0), 1.0 / (ra * (ra - 1.0)), 0.0).sum(axis=1))
    est = s[1] - s[0]
    var = s[1] ** 2 * g[1] + s[0] ** 2 * g[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, est / np.sqrt(var), 0.0)
    return z, est


def binary_z(srt: Sorted, tau: float) -> tuple[FloatArray, FloatArray]:
    """Pooled two-proportion z of being event-free at ``tau`` (patients censored before are excluded)."""
    inc = srt.included > 0
    fail = inc & (srt.event > 0) & (srt.x <= tau)
    succ = inc & ~fail & (srt.x >= tau)
    s1, s0 = (succ & (srt.arm == 1)).sum(1).astype(float), (succ & (srt.arm == 0)).sum(1).astype(float)
    f1, f0 = (fail & (srt.arm == 1)).sum(1).astype(float), (fail & (srt.arm == 0)).sum(1).astype(float)
    n1, n0 = s1 + f1, s0 + f0
    ok = (n1 > 0) & (n0 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p0 = s1 / n1, s0 / n0
        pool = (s1 + s0) / (n1 + n0)
        var = pool * (1.0 - pool) * (1.0 / n1 + 1.0 / n0)
        z = np.where(ok & (var > 0), (p1 - p0) / np.sqrt(var), 0.0)
    return z, np.where(ok, p1 - p0, np.nan)


def cox_wald(srt: Sorted, u0: FloatArray, v0: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Two-group Cox log HR by Newton from Peto's estimate; Wald z (see :mod:`.numba_tests`)."""
    ev = srt.event > 0
    r1 = np.where(ev, srt.at_risk1, 0.0)
    r0 = np.where(ev, srt.at_risk - srt.at_risk1, 1.0)
    g = np.where(ev, srt.arm, 0.0)
    d = ev.sum(1)
    o1 = g.sum(1)
    ok = (d > 0) & (v0 > 0) & (o1 > 0) & (o1 < d)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = np.where(ok, u0 / np.where(v0 > 0, v0, 1.0), 0.0)
    active = ok.copy()
    for _ in range(COX_STEPS):
        if not active.any():
            break
        score, info = _score_info(beta, r1, r0, g, ev)
        step = np.where(active, score / np.where(info > 0, info, 1.0), 0.0)
        beta = beta + step
        active &= ~(np.abs(step) < COX_TOL)
    _, info = _score_info(beta, r1, r0, g, ev)
    z = np.where(ok, -beta * np.sqrt(info), 0.0)
    est = np.where(ok, beta, np.where((d > 0) & (v0 > 0), np.where(o1 == 0, -np.inf, np.inf), np.nan))
    return z, est


def _score_info(beta: FloatArray, r1: FloatArray, r0: FloatArray, g: FloatArray, ev: NDArray[np.bool_]
                ) -> tuple[FloatArray, FloatArray]:
    a = r1 * np.exp(beta)[:, None]
    den = a + r0
    score = np.where(ev, g - a / den, 0.0).sum(1)
    info = np.where(ev, a * r0 / (den * den), 0.0).sum(1)
    return score, info


def rmst_z(srt: Sorted, tau: float) -> tuple[FloatArray, FloatArray]:
    """RMST difference up to ``tau`` (experimental − control) and its Wald z."""
    area, var = [], []
    for a in (0, 1):
        mask = (srt.event > 0) & (srt.arm == a) & (srt.x <= tau)
        ra = np.where(mask, _arm_risk(srt, a), 2.0)
        factor = np.where(mask, 1.0 - 1.0 / ra, 1.0)
        s_after = np.cumprod(factor, axis=1)
        s_before = np.concatenate([np.ones((mask.shape[0], 1)), s_after[:, :-1]], axis=1)
        t = np.where(mask, srt.x, 0.0)
        running = np.maximum.accumulate(t, axis=1)
        prev = np.concatenate([np.zeros((mask.shape[0], 1)), running[:, :-1]], axis=1)
        cum = np.cumsum(np.where(mask, s_before * (t - prev), 0.0), axis=1)
        last_t = np.maximum.accumulate(t, axis=1)[:, -1]
        total = cum[:, -1] + s_after[:, -1] * (tau - last_t)
        rest = total[:, None] - cum
        with np.errstate(divide="ignore", invalid="ignore"):
            var.append(np.where(mask & (ra > 1.0), rest * rest / (ra * (ra - 1.0)), 0.0).sum(1))
        area.append(total)
    est = area[1] - area[0]
    v = var[1] + var[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(v > 0, est / np.sqrt(v), 0.0)
    return z, est
