"""Vectorised NumPy twin of :mod:`.numba_analysis`: the analyses at one look for a chunk of trials.

Patients are sorted by observed time with ``argsort`` (trials are rows); the risk sets are
reverse cumulative sums. Formulas and their order of operations follow the numba kernels
(see there for the statistics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oncotrial.simulation.model import TrialModel
from oncotrial.simulation.mvn_orthant import maxcombo_pvalue_np, norm_ppf_np
from oncotrial.simulation.mvn_two_sided import maxcombo_pvalue_two_sided_np
from oncotrial.simulation.numpy_generation import Patients
from oncotrial.simulation.numpy_tests import binary_z, cox_wald, km_landmark_z, rmst_z

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def look_cut(m: TrialModel, p: Patients, k: int) -> tuple[FloatArray, BoolArray]:
    """Calendar time of look ``k`` per trial and whether its event target was never reached."""
    size = p.calendar.shape[0]
    if not m.cut_events:
        return np.full(size, m.looks[k]), np.zeros(size, np.bool_)
    target = int(m.looks[k])
    total = np.isfinite(p.calendar).sum(axis=1)
    short = total < target
    cut = np.partition(p.calendar, target - 1, axis=1)[:, target - 1]
    if short.any():
        finite = np.where(np.isfinite(p.calendar), p.calendar, -np.inf).max(axis=1)
        fallback = np.where(np.isfinite(finite), finite, p.entry[:, -1])
        cut = np.where(short, fallback, cut)
    return cut, short


@dataclass(frozen=True)
class Sorted:
    """Patients of each trial sorted by observed time at one look (excluded patients last)."""

    x: FloatArray
    event: FloatArray       # 1.0 / 0.0
    arm: FloatArray         # 1.0 experimental
    stratum: IntArray
    included: FloatArray   # 1.0 for patients entered by the cut
    at_risk: FloatArray     # r at each position (0 beyond the included)
    at_risk1: FloatArray    # r1


def sort_look(p: Patients, cut: FloatArray) -> tuple[Sorted, IntArray, IntArray]:
    """Sorted data, number of events and number enrolled at the cut."""
    c = cut[:, None]
    inc = p.entry <= c
    x = np.where(inc, np.minimum(np.minimum(p.event_time, p.dropout_time), c - p.entry), np.inf)
    ev = inc & (p.calendar <= c)
    order = np.argsort(x, axis=1)

    def take(a: NDArray[Any]) -> NDArray[Any]:
        return np.take_along_axis(np.broadcast_to(a, x.shape), order, axis=1)

    xs, es, gs, ss = take(x), take(ev).astype(float), take(p.arm).astype(float), take(p.stratum)
    incs = take(inc).astype(float)
    g_inc = gs * incs
    r1 = np.cumsum(g_inc[:, ::-1], axis=1)[:, ::-1]
    enrolled = inc.sum(axis=1)
    r = np.maximum(enrolled[:, None] - np.arange(x.shape[1])[None, :], 0).astype(float)
    return Sorted(xs, es, gs, ss, incs, r, r1), ev.sum(axis=1), enrolled


def analyse(m: TrialModel, srt: Sorted) -> tuple[FloatArray, FloatArray]:
    """z-values and estimates (trials, tests) for the scenario's tests."""
    size = srt.x.shape[0]
    z = np.zeros((size, m.tests.size))
    est = np.full((size, m.tests.size), np.nan)
    cache: dict[str, tuple[FloatArray, FloatArray]] = {}
    for j, code in enumerate(m.tests):
        if code in (0, 5) and "lr" not in cache:
            cache["lr"] = _score(srt, srt.at_risk1, srt.at_risk, 1.0)
        if code == 0:
            z[:, j], est[:, j] = _z_from_score(*cache["lr"])
        elif code == 1:
            z[:, j], est[:, j] = _z_from_score(*_stratified(m, srt))
        elif code == 2:
            z[:, j], est[:, j] = _z_from_score(*_fleming_harrington(m, srt))
        elif code == 3:
            z[:, j], est[:, j] = km_landmark_z(srt, m.landmark)
        elif code == 4:
            z[:, j], est[:, j] = binary_z(srt, m.landmark)
        elif code == 5:
            z[:, j], est[:, j] = cox_wald(srt, *cache["lr"])
        elif code == 6:
            z[:, j], est[:, j] = rmst_z(srt, m.rmst_tau)
        elif code == 7:
            z[:, j], est[:, j] = maxcombo_z(srt, m.mc_sided)
    return z, est


MAXCOMBO_WEIGHTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
"""FH(rho, gamma) of the MaxCombo test, in this order (Lin et al. 2020)."""


def maxcombo_z(srt: Sorted, sided: int = 1) -> tuple[FloatArray, FloatArray]:
    """MaxCombo: the p-value of :math:`\\max_a Z_a` over the four FH tests under their joint normal law.

    Covariances (Karrison 2016): :math:`V_{ab} = \\sum_{events} w_a w_b p (1 - p)`. The reported z
    is the normal quantile :math:`-\\Phi^{-1}(p)` of the one-sided p-value; two-sided (``sided`` 2,
    :math:`\\max_a |Z_a|`) it is :math:`\\pm\\Phi^{-1}(1 - p/2)` with the sign of the statistic largest
    in absolute value. The estimate is p.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(srt.event > 0, 1.0 - 1.0 / np.where(srt.at_risk > 0, srt.at_risk, 1.0), 1.0)
        after = np.cumprod(factor, axis=1)
        s = np.concatenate([np.ones((after.shape[0], 1)), after[:, :-1]], axis=1)
        p = np.where(srt.event > 0, srt.at_risk1 / np.where(srt.at_risk > 0, srt.at_risk, 1.0), 0.0)
    w = (np.ones_like(s), 1.0 - s, s, s * (1.0 - s))
    q = srt.event * (p * (1.0 - p))
    u = np.stack([(srt.event * wa * (srt.arm - p)).sum(axis=1) for wa in w], axis=1)
    v = np.empty((s.shape[0], 4, 4))
    for a in range(4):
        for b in range(4):
            v[:, a, b] = (w[a] * w[b] * q).sum(axis=1)
    diag = np.einsum("tii->ti", v)
    with np.errstate(divide="ignore", invalid="ignore"):
        zs = np.where(diag > 0, -u / np.sqrt(diag), -np.inf)
    ok = np.all(diag > 0, axis=1)
    if sided == 2:
        pick = np.take_along_axis(zs, np.argmax(np.abs(zs), axis=1)[:, None], axis=1)[:, 0]
        zmax = np.abs(pick)
        pval = maxcombo_pvalue_two_sided_np(np.where(ok, zmax, 0.0), v)
        sign = np.where(pick < 0.0, -1.0, 1.0)
    else:
        zmax = zs.max(axis=1)
        pval = maxcombo_pvalue_np(np.where(ok, zmax, 0.0), v)
        sign = np.ones(zmax.size)
    good = ok & np.isfinite(pval)
    z = np.where(good, sign * -norm_ppf_np(np.where(good, pval / sided, 0.5)), 0.0)
    return z, np.where(good, pval, np.nan)


def orr_z(m: TrialModel, p: Patients, cut: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Pooled two-proportion z of the response rates among patients followed ``evaluable_after`` months."""
    assert p.response is not None
    c = cut[:, None]
    ev = (p.entry <= c) & (c - p.entry >= m.evaluable_after)
    r1 = (ev & (p.arm == 1) & (p.response == 1)).sum(1).astype(float)
    r0 = (ev & (p.arm == 0) & (p.response == 1)).sum(1).astype(float)
    n1 = (ev & (p.arm == 1)).sum(1).astype(float)
    n0 = (ev & (p.arm == 0)).sum(1).astype(float)
    ok = (n1 > 0) & (n0 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p0 = r1 / n1, r0 / n0
        pool = (r1 + r0) / (n1 + n0)
        var = pool * (1.0 - pool) * (1.0 / n1 + 1.0 / n0)
        z = np.where(ok & (var > 0), (p1 - p0) / np.sqrt(var), 0.0)
    return z, np.where(ok, p1 - p0, np.nan)


def os_logrank_z(p: Patients, cut: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Log-rank z and Peto log HR of OS at the look (same cut as PFS)."""
    assert p.os_time is not None and p.os_calendar is not None
    q = Patients(p.entry, p.arm, p.stratum, p.os_time, p.dropout_time, p.os_calendar)
    srt, _, _ = sort_look(q, cut)
    return _z_from_score(*_score(srt, srt.at_risk1, srt.at_risk, 1.0))


def _score(srt: Sorted, r1: FloatArray, r: FloatArray, w: FloatArray | float
           ) -> tuple[FloatArray, FloatArray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(srt.event > 0, r1 / np.where(r > 0, r, 1.0), 0.0)
    u = (srt.event * w * (srt.arm - p)).sum(axis=1)
    v = (srt.event * (w * w) * (p * (1.0 - p))).sum(axis=1) if not isinstance(w, float) else \
        (srt.event * (p * (1.0 - p))).sum(axis=1)
    return u, v


def _z_from_score(u: FloatArray, v: FloatArray) -> tuple[FloatArray, FloatArray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(v > 0, -u / np.sqrt(v), 0.0)
        est = np.where(v > 0, u / v, np.nan)
    return z, est


def _stratified(m: TrialModel, srt: Sorted) -> tuple[FloatArray, FloatArray]:
    u = np.zeros(srt.x.shape[0])
    v = np.zeros(srt.x.shape[0])
    for s in range(m.n_strata):
        ins = (srt.stratum == s) * srt.included
        rs = np.cumsum(ins[:, ::-1], axis=1)[:, ::-1]
        rs1 = np.cumsum((ins * srt.arm)[:, ::-1], axis=1)[:, ::-1]
        sub = Sorted(srt.x, srt.event * ins, srt.arm, srt.stratum, ins, rs, rs1)
        us, vs = _score(sub, rs1, rs, 1.0)
        u += us
        v += vs
    return u, v


def _fleming_harrington(m: TrialModel, srt: Sorted) -> tuple[FloatArray, FloatArray]:
    """Weights :math:`\\hat S(t-)^\\rho (1 - \\hat S(t-))^\\gamma` from the pooled Kaplan–Meier."""
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(srt.event > 0, 1.0 - 1.0 / np.where(srt.at_risk > 0, srt.at_risk, 1.0), 1.0)
    after = np.cumprod(factor, axis=1)
    before = np.concatenate([np.ones((after.shape[0], 1)), after[:, :-1]], axis=1)
    w = before ** m.fh_rho * (1.0 - before) ** m.fh_gamma
    return _score(srt, srt.at_risk1, srt.at_risk, w)
