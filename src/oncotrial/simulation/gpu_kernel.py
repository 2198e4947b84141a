"""The fused GPU kernel: one simulated trial per warp, from Philox draws to the decision.

Each warp takes trials ``first + w, first + w + W_total, ...`` (a grid-stride loop) and, per trial:

1. generates entries, arms, event and dropout times (:mod:`.gpu_generation`) into its rows of
   shared memory (patients strided over the 32 lanes);
2. for event-driven looks, selects the ``D_k``-th smallest calendar event time of every look
   (:func:`select_cuts`: a 32-slot histogram, then a bitonic sort of only the slot holding it, as
   the CPU engine's :func:`.numba_analysis.select_cuts` does with 256 slots);
3. at each look, forms the observed times ``X = min(T, dropout, cut - entry)`` of the patients
   entered by the cut (numba's ``searchsorted``, replayed), sorts ``(X, patient)`` pairs, and
   computes the log-rank score :math:`U = \\sum_{events} (g - r_1/r)` and variance
   :math:`V = \\sum_{events} r_1 r_0 / r^2` with :math:`r_1` from a warp scan of the arm codes
   in sorted order (each lane a contiguous chunk, then a butterfly sum over lanes);
   ``z = -U / sqrt(V)``, estimate ``U / V`` (Peto), as :func:`.numba_analysis.logrank_fast`;
4. stops at the first efficacy / futility crossing (or an event target never reached), writes the
   per-trial results (optional) and adds the trial to the block's operating-characteristic
   counters in shared memory, which reach global memory by one atomic add per counter per block.

Shapes are compile-time constants: ``P`` (a power of two >= patients), ``W`` warps per block and
``KM`` looks at most; :func:`trial_kernel` compiles one kernel per ``(P, W, KM)``.
The per-look sums are reduced in a different order from the CPU's sequential loop, so ``z``
agrees with the numba engine to round-off (about 1e-15), not bit for bit; everything else that
is integer or selected (event counts, cut times, enrolments) is identical.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numba.cuda
import numpy as np
from numba import float64, int32, int64

from oncotrial.simulation.gpu_generation import block_arms, outcomes, random_entries, simple_arms
from oncotrial.simulation.gpu_primitives import (
    SIMULATED,
    WARP,
    device,
    warp_fmax,
    warp_fsum2,
    warp_iscan,
    warp_isum,
    wsync,
)
from oncotrial.simulation.gpu_sort import bitonic_sort, count_le, pow2_at_least

cuda: Any = numba.cuda  # the simulator re-binds every global that names this module

COUNTERS = 4
"""Rows of the counter array: rejections, futility stops, short looks, trials reaching each look."""


@device
def logrank_sorted(val: Any, m: int, lane: int, xi: Any, xf: Any) -> tuple[float, float]:
    """(U, V) of the log-rank test from codes ``event | arm << 1`` sorted by observed time."""
    chunk = (m + WARP - 1) // WARP
    lo = min(lane * chunk, m)
    hi = min(lo + chunk, m)
    ones = 0
    for pos in range(lo, hi):
        ones += (val[pos] >> 1) & 1
    before, total = warp_iscan(ones, lane, xi)
    u = 0.0
    v = 0.0
    for pos in range(lo, hi):
        c = val[pos]
        g = (c >> 1) & 1
        if c & 1:
            p = np.float64(total - before) / np.float64(m - pos)
            u += g - p
            v += p * (1.0 - p)
        before += g
    return warp_fsum2(u, v, lane, xf)


@device
def bucket(c: float, scale: float) -> int:
    """Histogram slot of a calendar time: ``floor(c * scale)`` capped at ``WARP - 1``, ``WARP`` if none."""
    v = c * scale
    if v == math.inf:
        return WARP
    return int(min(v, WARP - 1.0))


@device
def select_cuts(cal: Any, n: int, looks: Any, kmax: int, scale: float, hist: Any, key: Any, val: Any,
                cuts: Any, lane: int, xi: Any) -> int:
    """``cuts[k]`` = the ``looks[k]``-th smallest finite ``cal[:n]`` (inf if fewer); returns the finite count.

    As the CPU's :func:`.numba_analysis.select_cuts`: a histogram of the calendar times over
    ``WARP`` slots (one per lane; shared-memory atomics), a warp scan of the slot counts, then,
    per look, a sort of only the slot that holds the wanted order statistic (a monotone slot map
    keeps every value of lower slots below it).
    """
    hist[lane] = 0
    if lane == 0:
        hist[WARP] = 0
    wsync()
    for i in range(lane, n, WARP):
        cuda.atomic.add(hist, bucket(cal[i], scale), 1)
    wsync()
    mine = hist[lane]
    below, total = warp_iscan(mine, lane, xi)
    for k in range(kmax):
        target = np.int64(looks[k])
        if total < target:
            cuts[k] = math.inf
            continue
        here = below < target <= below + mine
        chosen = warp_isum(lane if here else 0, lane, xi)
        cum = warp_isum(below if here else 0, lane, xi)
        size = hist[chosen]
        count = 0
        for i in range(lane, n, WARP):
            if bucket(cal[i], scale) == chosen:
                count += 1
        at, _ = warp_iscan(count, lane, xi)
        for i in range(lane, n, WARP):
            if bucket(cal[i], scale) == chosen:
                key[at] = cal[i]
                val[at] = i
                at += 1
        padded = pow2_at_least(size)
        for q in range(size + lane, padded, WARP):
            key[q] = math.inf
            val[q] = n + q
        wsync()
        bitonic_sort(key, val, padded, lane)
        cuts[k] = key[target - cum - 1]
        wsync()
    return total


@cache
def trial_kernel(P: int, W: int, KM: int, max_registers: int = 0) -> Any:  # noqa: N803 - shape constants
    """The kernel for trials of at most ``P`` patients, ``W`` warps per block, at most ``KM`` looks.

    ``max_registers`` (0: the compiler's choice) caps registers per thread: ptxas 12.9 gives the
    ``P = 128`` kernel 184 for sm_90, which leaves room for 8 resident warps per SM; a cap of 128
    spills 132 bytes per thread (to L1) and doubles the resident warps. Which is faster
    has to be measured on the device (``benchmarks/simulate.py`` tries several).
    """
    n_counts = COUNTERS * KM + 2
    n_slots = WARP + 1  # shapes must be constants: closure variables are, expressions are not
    jit = cuda.jit(max_registers=max_registers) if max_registers and not SIMULATED else cuda.jit

    def kernel(first: int, count: int, n: int, k0: Any, k1: Any, acc_random: bool, entry_fixed: Any,
               acc_p: Any, acc_t: Any, acc_slope: Any, acc_pieces: int, alloc: int, arm_fixed: Any,
               p_exp: float, ratio: Any, sizes: Any, n_sizes: int, inv_mult: float, simple: bool, kind: Any,
               starts: Any, cumhaz: Any, inv_rates: Any, inv_shape: Any, scale: Any, cure: Any, pieces: int,
               has_dropout: bool, inv_dropout: Any, cut_events: bool, cut_scale: float, looks: Any, kmax: int,
               efficacy: Any, futility: Any, write: bool, stop: Any, decision: Any, z: Any, est: Any,
               time: Any, events: Any, enrolled: Any, short: Any, counts: Any, time_sum: Any) -> None:
        tid = cuda.threadIdx.x
        warp = tid // WARP
        lane = tid % WARP
        entry_all = cuda.shared.array((W, P), float64)
        seen_all = cuda.shared.array((W, P), float64)
        cal_all = cuda.shared.array((W, P), float64)
        key_all = cuda.shared.array((W, P), float64)
        val_all = cuda.shared.array((W, P), int32)
        arm_all = cuda.shared.array((W, P), int32)
        xf_all = cuda.shared.array((W, 2, WARP), float64)
        xi_all = cuda.shared.array((W, WARP), int64)
        slot_all = cuda.shared.array((W, 1), float64)
        hist_all = cuda.shared.array((W, n_slots), int32)
        block_counts = cuda.shared.array(n_counts, int64)
        block_time = cuda.shared.array(1, float64)
        entry = entry_all[warp]
        seen = seen_all[warp]
        cal = cal_all[warp]
        key = key_all[warp]
        val = val_all[warp]
        arm = arm_all[warp]
        xf = xf_all[warp]
        xi = xi_all[warp]
        slot = slot_all[warp]
        hist = hist_all[warp]
        cuts = cuda.local.array(KM, float64)
        for q in range(tid, n_counts, W * WARP):
            block_counts[q] = 0
        if tid == 0:
            block_time[0] = 0.0
        if not acc_random:
            for i in range(lane, n, WARP):
                entry[i] = entry_fixed[i]
        if alloc == 0:
            for i in range(lane, n, WARP):
                arm[i] = arm_fixed[i]
        cuda.syncthreads()
        for local in range(cuda.blockIdx.x * W + warp, count, cuda.gridDim.x * W):
            trial = first + local
            t_lo = np.uint32(trial & 0xFFFFFFFF)
            t_hi = np.uint32(trial >> 32)
            if acc_random:
                random_entries(t_lo, t_hi, n, k0, k1, acc_p, acc_t, acc_slope, acc_pieces, key, entry, slot,
                               lane)
            if alloc == 1:
                simple_arms(t_lo, t_hi, n, k0, k1, p_exp, arm, lane)
            elif alloc == 2 and lane == 0:
                block_arms(t_lo, t_hi, n, k0, k1, ratio, sizes, n_sizes, arm)
            wsync()
            outcomes(t_lo, t_hi, n, k0, k1, inv_mult, simple, kind, starts, cumhaz, inv_rates, inv_shape,
                     scale, cure, pieces, has_dropout, inv_dropout, entry, arm, seen, cal, lane)
            wsync()
            total = n
            last = 0.0
            if cut_events:
                total = select_cuts(cal, n, looks, kmax, cut_scale, hist, key, val, cuts, lane, xi)
                short_ahead = False
                for k in range(kmax):
                    short_ahead = short_ahead or total < looks[k]
                if short_ahead:  # a look's event target is never reached: its cut is the last event
                    top = -math.inf
                    for i in range(lane, n, WARP):
                        if cal[i] < math.inf:
                            top = max(top, cal[i])
                    top = warp_fmax(top, lane, xf)
                    last = top if total > 0 else entry[n - 1]
            final = 0
            verdict = 0
            cut = 0.0
            d = 0
            m = 0
            is_short = False
            for k in range(kmax):
                is_short = False
                if cut_events:
                    cut = cuts[k]
                    if total < looks[k]:
                        is_short = True
                        cut = last
                else:
                    cut = looks[k]
                m = count_le(entry, n, cut)
                pm = pow2_at_least(m)
                mine = 0
                for i in range(lane, pm, WARP):
                    if i < m:
                        ev = 1 if cal[i] <= cut else 0
                        key[i] = min(seen[i], cut - entry[i])
                        val[i] = (i << 2) | (arm[i] << 1) | ev
                        mine += ev
                    else:
                        key[i] = math.inf
                        val[i] = i << 2
                d = warp_isum(mine, lane, xi)
                wsync()
                bitonic_sort(key, val, pm, lane)
                uu, vv = logrank_sorted(val, m, lane, xi, xf)
                wsync()
                zk = 0.0
                ek = math.nan
                if vv > 0:
                    zk = -uu / math.sqrt(vv)
                    ek = uu / vv
                if write and lane == 0:
                    time[local, k] = cut
                    events[local, k] = d
                    enrolled[local, k] = m
                    short[local, k] = 1 if is_short else 0
                    z[local, k] = zk
                    est[local, k] = ek
                final = k
                if zk >= efficacy[k]:
                    verdict = 1
                    break
                if zk < futility[k]:
                    verdict = -1
                    break
                if is_short:
                    break
            if lane == 0:
                if write:
                    stop[local] = final
                    decision[local] = verdict
                    for k in range(final + 1, kmax):
                        time[local, k] = math.nan
                        events[local, k] = -1
                        enrolled[local, k] = -1
                        short[local, k] = 0
                        z[local, k] = math.nan
                        est[local, k] = math.nan
                if verdict == 1:
                    cuda.atomic.add(block_counts, final, 1)
                elif verdict == -1:
                    cuda.atomic.add(block_counts, KM + final, 1)
                if is_short:
                    cuda.atomic.add(block_counts, 2 * KM + final, 1)
                for k in range(final + 1):
                    cuda.atomic.add(block_counts, 3 * KM + k, 1)
                cuda.atomic.add(block_counts, COUNTERS * KM, d)
                cuda.atomic.add(block_counts, COUNTERS * KM + 1, m)
                cuda.atomic.add(block_time, 0, cut)
            wsync()
        cuda.syncthreads()
        for q in range(tid, n_counts, W * WARP):
            if block_counts[q] != 0:
                cuda.atomic.add(counts, q, block_counts[q])
        if tid == 0:
            cuda.atomic.add(time_sum, 0, block_time[0])

    return jit(kernel)
