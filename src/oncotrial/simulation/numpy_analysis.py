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
    return z, est


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
