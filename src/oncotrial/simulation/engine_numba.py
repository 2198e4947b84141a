"""The compiled CPU engine: one numba kernel, trials split over all cores with ``prange``.

Work items of :data:`CHUNK` trials are taken by the threads as they free up; each item uses a few
L1-sized scratch arrays (n ≤ 1024), so
the whole trial — Philox draws, inversion, selection of the cut, bucket sort and the analysis
pass — stays in cache. Compiled once and cached on disk (``cache=True``).
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np
from numba import njit, prange

from oncotrial.simulation.kernel_types import (
    FloatArray,
    Int8Array,
    Int32Array,
    IntArray,
    inline_kernel,
    kernel,
)
from oncotrial.simulation.model import TrialModel
from oncotrial.simulation.mvn_orthant import INNER, OUTER
from oncotrial.simulation.numba_analysis import (
    B,
    analyse_sorted,
    last_finite,
    logrank_fast,
    select_cuts,
    sort_observed,
)
from oncotrial.simulation.numba_generation import (
    generate_arms,
    generate_entries,
    generate_minimization,
    generate_outcomes,
    generate_overall_survival,
    generate_strata,
)
from oncotrial.simulation.trial_block import TrialBlock


@inline_kernel
def orr_z(cut: float, m: int, entry: FloatArray, arm: IntArray, resp: IntArray, after: float,
          counts: FloatArray) -> tuple[float, float]:
    """Pooled two-proportion z of the response rates (patients followed ``after`` months by ``cut``)."""
    counts[:] = 0.0
    for i in range(m):
        if cut - entry[i] >= after:
            counts[2 * arm[i]] += 1.0
            counts[2 * arm[i] + 1] += resp[i]
    n0 = counts[0]
    n1 = counts[2]
    if n1 == 0 or n0 == 0:
        return 0.0, np.nan
    p1 = counts[3] / n1
    p0 = counts[1] / n0
    pool = (counts[3] + counts[1]) / (n1 + n0)
    var = pool * (1.0 - pool) * (1.0 / n1 + 1.0 / n0)
    return ((p1 - p0) / math.sqrt(var) if var > 0 else 0.0), p1 - p0


@kernel
def os_logrank(cut: float, m: int, entry: FloatArray, ostime: FloatArray, dtime: FloatArray,
               oscal: FloatArray, arm: IntArray, strat: IntArray, xs: FloatArray, cs: IntArray,
               tx: FloatArray, tc: IntArray, bidx: IntArray, hist: IntArray, r1s: FloatArray
               ) -> tuple[float, float]:
    """(z, Peto log HR) of the OS log-rank at ``cut`` (overwrites the sort scratch ``xs``/``cs``)."""
    sort_observed(cut, m, entry, ostime, dtime, oscal, arm, strat, xs, cs, tx, tc, bidx, hist)
    uu, vv = logrank_fast(cs, m, r1s)
    if vv > 0:
        return -uu / math.sqrt(vv), uu / vv
    return 0.0, np.nan


@njit(parallel=True, cache=True, error_model="numpy")
def _kernel(first: int, count: int, chunk: int, n: int, k0: np.uint64, k1: np.uint64, acc_random: bool,
            entry_fixed: FloatArray, acc_p: FloatArray, acc_t: FloatArray, acc_slope: FloatArray, alloc: int,
            arm_fixed: IntArray, p_exp: float, ratio: IntArray, block_sizes: IntArray, strata_cum: FloatArray,
            inv_mult: FloatArray, kind: IntArray, starts: FloatArray, cumhaz: FloatArray,
            inv_rates: FloatArray,
            inv_shape: FloatArray, scale: FloatArray, cure: FloatArray, has_dropout: bool,
            inv_dropout: FloatArray, cut_events: bool, looks: FloatArray, tests: IntArray, landmark: float,
            rho: float, gamma: float, tau: float, efficacy: FloatArray, futility: FloatArray, horizon: float,
            has_response: bool, orr: FloatArray, inv_resp: FloatArray, evaluable_after: float, has_os: bool,
            inv_pps: FloatArray, has_dwp: bool, dwp: FloatArray, mc_sided: int, outer: FloatArray,
            inner: FloatArray, min_levels: IntArray,
            min_weights: FloatArray, min_p: float, min_variance: bool,
            stop: Int8Array, decision: Int8Array, z: FloatArray, est: FloatArray, time: FloatArray,
            events: Int32Array, enrolled: Int32Array, short: Int8Array) -> None:
    n_strata = inv_mult.size
    kmax = looks.size
    fast = tests.size == 1 and tests[0] == 0 and n_strata == 1
    want = np.zeros(10, np.bool_)
    for j in range(tests.size):
        want[tests[j]] = True
    chunks = (count + chunk - 1) // chunk
    cscale = B / (1.5 * horizon)
    for ch in prange(chunks):
        entry = entry_fixed.copy()
        arm = arm_fixed.copy()
        strat = np.zeros(n, np.int64)
        ttime = np.empty(n)
        dtime = np.full(n, np.inf)
        cal = np.empty(n)
        u = np.empty(n + 2)
        xs = np.empty(n)
        cs = np.empty(n, np.int64)
        tx = np.empty(n)
        tc = np.empty(n, np.int64)
        bidx = np.empty(n, np.int64)
        hist = np.empty(B + 1, np.int64)
        r1s = np.empty(n)
        state = np.zeros((n_strata, 5), np.int64)
        words = np.zeros((n_strata, 16), np.uint64)
        work = np.empty((9, max(n, n_strata)))
        acc = np.empty(8)
        cuts = np.empty(kmax)
        resp = np.zeros(n, np.int64)
        ostime = np.empty(n)
        oscal = np.empty(n)
        mcv = np.zeros((4, 4))
        mcu = np.zeros(4)
        mcf = np.zeros(7)
        orr_counts = np.zeros(4)
        mu1 = np.empty(n)
        mu2 = np.empty(n)
        mcounts = np.zeros((min_levels.max() + 1, 2), np.int64)
        for local in range(ch * chunk, min(count, (ch + 1) * chunk)):
            trial = first + local
            if acc_random:
                generate_entries(trial, n, k0, k1, acc_p, acc_t, acc_slope, u, entry)
            if n_strata > 1:
                generate_strata(trial, n, k0, k1, strata_cum, u, strat)
            if alloc == 3:
                generate_minimization(trial, n, k0, k1, strat, min_levels, min_weights, min_p, min_variance,
                                      mu1, mu2, mcounts, arm)
            elif alloc > 0:
                generate_arms(trial, n, k0, k1, alloc, p_exp, ratio, block_sizes, strat, u, state, words, arm)
            generate_outcomes(trial, n, k0, k1, inv_mult, kind, starts, cumhaz, inv_rates, inv_shape, scale,
                              cure, has_dropout, inv_dropout, entry, arm, strat, u, ttime, dtime, cal,
                              has_response, orr, inv_resp, resp)
            if has_os:
                generate_overall_survival(trial, n, k0, k1, inv_pps, has_dwp, dwp, entry, arm, ttime, dtime,
                                          u, ostime, oscal)
            total = n
            if cut_events:
                total = select_cuts(cal, n, looks, cscale, hist, bidx, u, cuts)
            for k in range(kmax):
                is_short = False
                if cut_events:
                    cut = cuts[k]
                    if total < looks[k]:
                        is_short = True
                        cut = last_finite(cal, n, entry[n - 1])
                else:
                    cut = looks[k]
                m = np.searchsorted(entry, cut, side="right")
                d = sort_observed(cut, m, entry, ttime, dtime, cal, arm, strat, xs, cs, tx, tc, bidx, hist)
                if fast:
                    uu, vv = logrank_fast(cs, m, r1s)
                    if vv > 0:
                        z[local, k, 0] = -uu / np.sqrt(vv)
                        est[local, k, 0] = uu / vv
                    else:
                        z[local, k, 0] = 0.0
                else:
                    analyse_sorted(xs, cs, m, n_strata, tests, want, landmark, rho, gamma, tau, work, acc,
                                   z[local, k], est[local, k], mcv, mcu, mcf, outer, inner, mc_sided)
                    if want[8] or want[9]:
                        for j in range(tests.size):
                            if tests[j] == 8:
                                z[local, k, j], est[local, k, j] = orr_z(cut, m, entry, arm, resp,
                                                                          evaluable_after, orr_counts)
                            elif tests[j] == 9:
                                z[local, k, j], est[local, k, j] = os_logrank(
                                    cut, m, entry, ostime, dtime, oscal, arm, strat, xs, cs, tx, tc, bidx,
                                    hist, r1s)
                time[local, k] = cut
                events[local, k] = d
                enrolled[local, k] = m
                short[local, k] = is_short
                zp = z[local, k, 0]
                stop[local] = k
                if zp >= efficacy[k]:
                    decision[local] = 1
                    break
                if zp < futility[k]:
                    decision[local] = -1
                    break
                if is_short:
                    break


CHUNK = 512
"""Trials per work item: threads take items dynamically, so a core shared with another process
does not hold the others back (``numba.parallel_chunksize(1)``)."""


def simulate_block_numba(model: TrialModel, first: int, count: int, threads: int | None = None) -> TrialBlock:
    """Simulate trials ``first .. first + count - 1`` of ``model`` with the numba kernel."""
    out = TrialBlock.empty(model, first, count)
    previous = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(min(threads, _max_threads()))
    try:
        with numba.parallel_chunksize(1):
            _run(model, first, count, out)
    finally:
        numba.set_num_threads(previous)
    return out


def _max_threads() -> int:
    config: Any = numba.config
    return int(config.NUMBA_NUM_THREADS)


def _run(m: TrialModel, first: int, count: int, out: TrialBlock) -> None:
    _kernel(first, count, CHUNK, m.n, np.uint64(m.key[0]), np.uint64(m.key[1]), m.accrual_random,
            m.entry_fixed, m.accrual_p, m.accrual_t, m.accrual_slope, m.alloc, m.arm_fixed, m.p_experimental,
            m.ratio, m.block_sizes, m.strata_cum, m.strata_inv_mult, m.dist_kind, m.starts, m.cumhaz,
            m.inv_rates, m.inv_shape, m.scale, m.cure, m.has_dropout, m.inv_dropout, m.cut_events, m.looks,
            m.tests, m.landmark, m.fh_rho, m.fh_gamma, m.rmst_tau, m.efficacy, m.futility, m.horizon,
            m.has_response, m.orr, m.inv_resp, m.evaluable_after, m.has_os, m.inv_pps, m.has_dwp, m.dwp,
            m.mc_sided, OUTER, INNER,
            m.min_levels, m.min_weights, m.min_p, m.min_variance,
            out.stop, out.decision, out.z, out.estimate, out.time, out.events, out.enrolled, out.short)
