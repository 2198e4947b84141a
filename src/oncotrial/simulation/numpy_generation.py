"""Vectorised NumPy twin of :mod:`.numba_generation`: a chunk of trials at once, shape (trials, n).

Each function reproduces the numba kernel's arithmetic in the same order, so both engines see
the same patients (entry, stratum, arm, event, dropout and calendar times).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oncotrial.simulation.model import ALLOC_BLOCKS, ALLOC_FIXED, ALLOC_SIMPLE, TrialModel
from oncotrial.simulation.philox import (
    STREAM_ACCRUAL,
    STREAM_ALLOCATION,
    STREAM_BLOCKS,
    STREAM_DROPOUT,
    STREAM_EVENT,
    STREAM_STRATUM,
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
    else:
        assert m.alloc == ALLOC_BLOCKS
        arm = _block_arms(m, trials, strat)
    e = -np.log(patient_uniforms_np(trials, n, STREAM_EVENT, m.key))
    e *= m.strata_inv_mult[strat]
    ttime = _event_times(m, e, arm)
    if m.has_dropout:
        dtime = -np.log(patient_uniforms_np(trials, n, STREAM_DROPOUT, m.key))
        dtime *= m.inv_dropout[arm]
        cal = np.where(ttime < dtime, entry + ttime, np.inf)
    else:
        dtime = np.full((size, n), np.inf)
        cal = entry + ttime
    return Patients(entry, arm, strat, ttime, dtime, cal)


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
