"""Vectorised NumPy twin of :mod:`.numba_generation`: a chunk of trials at once, shape (trials, n).

Each function reproduces the numba kernel's arithmetic in the same order, so both engines see
the same patients (entry, stratum, arm, event, dropout and calendar times).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oncotrial.simulation.model import ALLOC_BLOCKS, ALLOC_FIXED, ALLOC_MINIMIZATION, ALLOC_SIMPLE, TrialModel
from oncotrial.simulation.philox import (
    STREAM_ACCRUAL,
    STREAM_ALLOCATION,
    STREAM_BLOCKS,
    STREAM_DEATH,
    STREAM_DROPOUT,
    STREAM_EVENT,
    STREAM_PPS,
    STREAM_RESPONSE,
    STREAM_STRATUM,
    minimization_draws_np,
    patient_uniforms_np,
    philox_words_np,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Patients:
    """Simulated patients of a chunk of trials, each array (trials, n); dropout ``inf`` if none."""

    entry: FloatArray
    arm: IntArray
    stratum: IntArray
    event_time: FloatArray
    dropout_time: FloatArray
    calendar: FloatArray  # entry + event time when the event precedes dropout, else inf
    response: IntArray | None = None     # 1 = responder (when the scenario models response)
    os_time: FloatArray | None = None    # PFS, or PFS + post-progression survival (when it models OS)
    os_calendar: FloatArray | None = None
    death_first: IntArray | None = None  # 1 = the PFS event is a death (when it models OS)


def generate_patients(m: TrialModel, trials: IntArray) -> Patients:
    """All patients of ``trials`` (an increasing array of trial numbers)."""
    n, size = m.n, trials.size
    entry = _entries(m, trials) if m.accrual_random else np.broadcast_to(m.entry_fixed, (size, n))
    strat = (patient_uniforms_np(trials, n, STREAM_STRATUM, m.key)[:, :, None] >= m.strata_cum).sum(-1) \
        if m.n_strata > 1 else np.zeros((size, n), np.int64)
    if m.alloc == ALLOC_FIXED:
        arm = np.broadcast_to(m.arm_fixed, (size, n))
    elif m.alloc == ALLOC_SIMPLE:
        arm = (patient_uniforms_np(trials, n, STREAM_ALLOCATION, m.key) < m.p_experimental).astype(np.int64)
    elif m.alloc == ALLOC_MINIMIZATION:
        arm = minimization_arms(m, trials, strat)
    else:
        assert m.alloc == ALLOC_BLOCKS
        arm = _block_arms(m, trials, strat)
    resp = None
    if m.has_response:
        resp = (patient_uniforms_np(trials, n, STREAM_RESPONSE, m.key) < m.orr[arm]).astype(np.int64)
    e = -np.log(patient_uniforms_np(trials, n, STREAM_EVENT, m.key))
    e *= m.strata_inv_mult[strat]
    if resp is not None:
        e *= m.inv_resp[arm, resp]
    ttime = _event_times(m, e, arm)
    if m.has_dropout:
        dtime = -np.log(patient_uniforms_np(trials, n, STREAM_DROPOUT, m.key))
        dtime *= m.inv_dropout[arm]
        cal = np.where(ttime < dtime, entry + ttime, np.inf)
    else:
        dtime = np.full((size, n), np.inf)
        cal = entry + ttime
    os_time = os_cal = dies = None
    if m.has_os:
        pps = -np.log(patient_uniforms_np(trials, n, STREAM_PPS, m.key))
        pps *= m.inv_pps[arm]
        if m.has_dwp:
            piece = np.maximum(np.searchsorted(m.dwp[0], ttime, side="right") - 1, 0)
            share = m.dwp[1 + arm, piece]
            dies = (patient_uniforms_np(trials, n, STREAM_DEATH, m.key) < share).astype(np.int64)
            os_time = np.where(dies > 0, ttime, ttime + pps)
        else:
            dies = np.zeros((size, n), np.int64)
            os_time = ttime + pps
        os_cal = np.where(os_time < dtime, entry + os_time, np.inf)
    return Patients(entry, arm, strat, ttime, dtime, cal, resp, os_time, os_cal, dies)


def _entries(m: TrialModel, trials: IntArray) -> FloatArray:
    spacing = -np.log(patient_uniforms_np(trials, m.n + 1, STREAM_ACCRUAL, m.key))
    cum = np.cumsum(spacing, axis=1)
    u = cum[:, : m.n] / cum[:, m.n : m.n + 1]
    p, t, slope = m.accrual_p, m.accrual_t, m.accrual_slope
    j = np.clip(np.searchsorted(p[: slope.size], u, side="right") - 1, 0, slope.size - 1)
    return np.asarray(t[j] + (u - p[j]) * slope[j], dtype=np.float64)


def _event_times(m: TrialModel, e: FloatArray, arm: IntArray) -> FloatArray:
    simple = m.starts.shape[1] == 1 and not m.dist_kind.any() and not m.cure.any()
    if simple:
        return np.asarray(e * m.inv_rates[arm, 0], dtype=np.float64)
    out = np.empty_like(e)
    for a in (0, 1):
        mask = arm == a
        out[mask] = _inverse(m, a, e[mask])
    return out


def _inverse(m: TrialModel, a: int, e: FloatArray) -> FloatArray:
    """Same operations as ``numba_generation.event_time`` for arm ``a``."""
    cure = m.cure[a]
    if cure > 0.0:
        s = np.exp(-e)
        cured = s <= cure
        with np.errstate(divide="ignore", invalid="ignore"):
            e = np.where(cured, np.inf, -np.log((s - cure) / (1.0 - cure)))
    if m.dist_kind[a] == 1:
        out = m.scale[a] * e ** m.inv_shape[a]
        return np.where(np.isnan(out), np.inf, out)
    cum = m.cumhaz[a]
    j = np.clip(np.searchsorted(cum[1:], e, side="right"), 0, cum.size - 1)
    with np.errstate(invalid="ignore"):
        x = m.starts[a][j] + (e - cum[j]) * m.inv_rates[a][j]
    return np.where(np.isnan(x), np.inf, x)


def _block_arms(m: TrialModel, trials: IntArray, strat: IntArray) -> IntArray:
    """Stratified permuted blocks, vectorised over (trial, stratum, block); see ``generate_arms``."""
    n, size, n_strata = m.n, trials.size, m.n_strata
    sizes = m.block_sizes
    maxb = int(sizes.max())
    calls = (maxb + 4) // 4
    nblocks = -(-n // int(sizes.min()))
    t = trials.astype(np.uint64)[:, None]
    j = np.arange(nblocks, dtype=np.uint64)[None, :]
    seqs = np.empty((size, n_strata, n), np.int64)
    for s in range(n_strata):
        words = np.empty((size, nblocks, 4 * calls), np.uint64)
        for c in range(calls):
            w = philox_words_np(j, t & np.uint64(0xFFFFFFFF), t >> np.uint64(32),
                                np.uint64(STREAM_BLOCKS + 16 * (s + 1) + c), *m.key)
            for q in range(4):
                words[:, :, 4 * c + q] = w[q]
        bsize = sizes[((words[:, :, 0] * np.uint64(sizes.size)) >> np.uint64(32)).astype(np.int64)]
        e_rem = bsize * m.ratio[0] // (m.ratio[0] + m.ratio[1])
        c_rem = bsize - e_rem
        arms = np.zeros((size, nblocks, maxb), np.int64)
        for q in range(maxb):
            live = q < bsize
            tot = (e_rem + c_rem).astype(np.uint64)
            g = (words[:, :, q + 1] * tot < (e_rem.astype(np.uint64) << np.uint64(32))) & live
            arms[:, :, q] = g
            e_rem = e_rem - g
            c_rem = c_rem - (live & ~g)
        valid = (np.arange(maxb)[None, None, :] < bsize[:, :, None]).reshape(size, -1)
        order = np.argsort(~valid, axis=1, kind="stable")[:, :n]
        seqs[:, s, :] = np.take_along_axis(arms.reshape(size, -1), order, axis=1)
    onehot = strat[:, :, None] == np.arange(n_strata)[None, None, :]
    slot = np.take_along_axis(np.cumsum(onehot, axis=1), strat[:, :, None], axis=2)[:, :, 0] - 1
    rows = np.arange(size)[:, None]
    return np.asarray(seqs[rows, strat, slot], dtype=np.int64)


def minimization_arms(m: TrialModel, trials: IntArray, strat: IntArray) -> IntArray:
    """Pocock–Simon minimization, vectorised over trials, patient by patient.

    The steps of :func:`oncotrial.core.randomization.minimization.minimization_assign` with two arms
    (0 control, 1 experimental): marginal counts per (factor, level), imbalance ``D`` (range or
    variance) after a hypothetical assignment, ``G_t = sum_f w_f D_f(t)``, ties within
    ``1e-9 max(1, |min G|)`` broken by ``u2``, the preferred arm kept when ``u1 < p``.
    """
    u1, u2 = minimization_draws_np(trials, m.n, m.key)
    size = trials.size
    rows = np.arange(size)
    counts = np.zeros((size, int(m.min_levels.max()) + 1, 2), np.int64)
    arm = np.empty((size, m.n), np.int64)
    for i in range(m.n):
        lv = m.min_levels[strat[:, i]]
        g0 = np.zeros(size)
        g1 = np.zeros(size)
        for f in range(lv.shape[1]):
            c0 = counts[rows, lv[:, f], 0]
            c1 = counts[rows, lv[:, f], 1]
            g0 += m.min_weights[f] * _imbalance(c0 + 1, c1, m.min_variance)
            g1 += m.min_weights[f] * _imbalance(c0, c1 + 1, m.min_variance)
        low = np.minimum(g0, g1)
        limit = low + 1e-9 * np.maximum(1.0, np.abs(low))
        t0 = g0 <= limit
        t1 = g1 <= limit
        tie_pick = np.minimum((u2[:, i] * 2.0).astype(np.int64), 1)
        preferred = np.where(t0 & t1, tie_pick, np.where(t0, 0, 1))
        a = np.where(u1[:, i] < m.min_p, preferred, 1 - preferred)
        arm[:, i] = a
        for f in range(lv.shape[1]):
            counts[rows, lv[:, f], a] += 1
    return arm


def _imbalance(x0: IntArray, x1: IntArray, variance: bool) -> FloatArray:
    if not variance:
        return np.asarray(np.maximum(x0, x1) - np.minimum(x0, x1), dtype=np.float64)
    mean = (x0 + x1) / 2.0
    return np.asarray(((x0 - mean) ** 2 + (x1 - mean) ** 2) / 2.0, dtype=np.float64)
