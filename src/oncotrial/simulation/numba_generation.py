"""Numba kernels that generate one simulated trial: entry, stratum, arm, event and dropout times.

Every random number comes from :mod:`.philox` at coordinates (seed, trial, patient, stream) and
every transform is written out here, so :mod:`.numpy_generation` reproduces the same trial to
the last bit (up to one-ulp differences between ``np.log``/``np.exp`` and their kernel versions).
"""

from __future__ import annotations

import math

import numpy as np

from oncotrial.simulation.kernel_types import FloatArray, IntArray, U64Array, inline_kernel, kernel
from oncotrial.simulation.logarithm import vlog
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
    fill_minimization_draws,
    fill_patient_uniforms,
    philox_words,
)


@inline_kernel
def accrual_inverse(u: float, p: FloatArray, t: FloatArray, slope: FloatArray) -> float:
    """Entry time at cumulative share ``u`` of the piecewise-linear accrual distribution."""
    j = slope.size - 1
    while j > 0 and u < p[j]:
        j -= 1
    return float(t[j] + (u - p[j]) * slope[j])


@inline_kernel
def event_time(e: float, a: int, kind: IntArray, starts: FloatArray, cumhaz: FloatArray,
               inv_rates: FloatArray, inv_shape: FloatArray, scale: FloatArray, cure: FloatArray) -> float:
    """:math:`T = S^{-1}(e^{-E})` for arm ``a`` (see :mod:`.distributions`)."""
    if cure[a] > 0.0:
        s = math.exp(-e)
        if s <= cure[a]:
            return np.inf
        e = -math.log((s - cure[a]) / (1.0 - cure[a]))
    if kind[a] == 1:
        return float(scale[a] * e ** inv_shape[a])
    j = starts.shape[1] - 1
    while j > 0 and e < cumhaz[a, j]:
        j -= 1
    x = starts[a, j] + (e - cumhaz[a, j]) * inv_rates[a, j]
    return np.inf if x != x else x


@inline_kernel
def generate_entries(trial: int, n: int, k0: np.uint64, k1: np.uint64, p: FloatArray, t: FloatArray,
                     slope: FloatArray, u: FloatArray, entry: FloatArray) -> None:
    """Random entry times in increasing order: order statistics via exponential spacings.

    (Fixed entry times, rpact's convention, are used as they are and need no kernel.)
    """
    fill_patient_uniforms(u, n + 1, trial, STREAM_ACCRUAL, k0, k1)
    total = 0.0
    for i in range(n + 1):
        total += -vlog(u[i])
        u[i] = total
    for i in range(n):
        entry[i] = accrual_inverse(u[i] / total, p, t, slope)


@inline_kernel
def generate_strata(trial: int, n: int, k0: np.uint64, k1: np.uint64, cum: FloatArray, u: FloatArray,
                    strat: IntArray) -> None:
    fill_patient_uniforms(u, n, trial, STREAM_STRATUM, k0, k1)
    for i in range(n):
        s = 0
        for j in range(cum.size):
            s += u[i] >= cum[j]
        strat[i] = s


@inline_kernel
def _block_words(trial: int, block: int, stratum: int, calls: int, k0: np.uint64, k1: np.uint64,
                 words: U64Array, s: int) -> None:
    tt = np.uint64(trial)
    for c in range(calls):
        w0, w1, w2, w3 = philox_words(np.uint64(block), tt & np.uint64(0xFFFFFFFF), tt >> np.uint64(32),
                                      np.uint64(STREAM_BLOCKS + 16 * (stratum + 1) + c), k0, k1)
        words[s, 4 * c] = w0
        words[s, 4 * c + 1] = w1
        words[s, 4 * c + 2] = w2
        words[s, 4 * c + 3] = w3


@inline_kernel
def _imbalance(x0: float, x1: float, variance: bool) -> float:
    if not variance:
        return max(x0, x1) - min(x0, x1)
    mean = (x0 + x1) / 2.0
    return ((x0 - mean) ** 2 + (x1 - mean) ** 2) / 2.0


@kernel
def generate_minimization(trial: int, n: int, k0: np.uint64, k1: np.uint64, strat: IntArray,
                          levels: IntArray, weights: FloatArray, p: float, variance: bool, u1: FloatArray,
                          u2: FloatArray, counts: IntArray, arm: IntArray) -> None:
    """Pocock–Simon minimization (twin of ``numpy_generation.minimization_arms``, i.e. of core's
    ``minimization_assign`` with arms (control, experimental))."""
    fill_minimization_draws(u1, u2, n, trial, k0, k1)
    counts[:, :] = 0
    for i in range(n):
        s = strat[i]
        g0 = 0.0
        g1 = 0.0
        for f in range(levels.shape[1]):
            c0 = np.float64(counts[levels[s, f], 0])
            c1 = np.float64(counts[levels[s, f], 1])
            g0 += weights[f] * _imbalance(c0 + 1.0, c1, variance)
            g1 += weights[f] * _imbalance(c0, c1 + 1.0, variance)
        low = min(g0, g1)
        limit = low + 1e-9 * max(1.0, abs(low))
        t0 = g0 <= limit
        t1 = g1 <= limit
        # core: tied[min(int(u2 * len(tied)), len(tied) - 1)]; with two tied arms that is 1 iff 2 u2 >= 1
        preferred = (1 if u2[i] * 2.0 >= 1.0 else 0) if t0 and t1 else (0 if t0 else 1)
        a = preferred if u1[i] < p else 1 - preferred
        arm[i] = a
        for f in range(levels.shape[1]):
            counts[levels[s, f], a] += 1


@inline_kernel
def generate_arms(trial: int, n: int, k0: np.uint64, k1: np.uint64, alloc: int, p_exp: float, ratio: IntArray,
                  sizes: IntArray, strat: IntArray, u: FloatArray, state: IntArray, words: U64Array,
                  arm: IntArray) -> None:
    """Arms in entry order: simple randomization (``alloc`` 1) or stratified permuted blocks (2).

    Blocks: block ``b`` of stratum ``s`` reads words ``philox(b, trial, STREAM_BLOCKS + 16 (s+1) + c)``;
    word 0 picks the size (``w * len(sizes) >> 32``) and word ``q + 1`` places position ``q`` by
    the urn rule: experimental when ``w (e + c) < e 2^32`` with ``e``/``c`` places left per arm.
    """
    if alloc == 1:
        fill_patient_uniforms(u, n, trial, STREAM_ALLOCATION, k0, k1)
        for i in range(n):
            arm[i] = 1 if u[i] < p_exp else 0
        return
    calls = (sizes[sizes.size - 1] + 4) // 4
    for s in range(state.shape[0]):
        state[s, 0] = -1  # block number
        state[s, 1] = 0   # position in block
        state[s, 2] = 0   # block size
    for i in range(n):
        s = strat[i]
        if state[s, 1] >= state[s, 2]:
            state[s, 0] += 1
            _block_words(trial, state[s, 0], s, calls, k0, k1, words, s)
            size = sizes[np.int64((words[s, 0] * np.uint64(sizes.size)) >> np.uint64(32))]
            state[s, 1] = 0
            state[s, 2] = size
            state[s, 3] = size * ratio[0] // (ratio[0] + ratio[1])
            state[s, 4] = size - state[s, 3]
        e = state[s, 3]
        c = state[s, 4]
        w = words[s, state[s, 1] + 1]
        g = 1 if w * np.uint64(e + c) < (np.uint64(e) << np.uint64(32)) else 0
        arm[i] = g
        state[s, 3] = e - g
        state[s, 4] = c - (1 - g)
        state[s, 1] += 1


@inline_kernel
def generate_outcomes(trial: int, n: int, k0: np.uint64, k1: np.uint64, inv_mult: FloatArray, kind: IntArray,
                      starts: FloatArray, cumhaz: FloatArray, inv_rates: FloatArray, inv_shape: FloatArray,
                      scale: FloatArray, cure: FloatArray, has_dropout: bool, inv_dropout: FloatArray,
                      entry: FloatArray, arm: IntArray, strat: IntArray, u: FloatArray, ttime: FloatArray,
                      dtime: FloatArray, cal: FloatArray, has_response: bool, orr: FloatArray,
                      inv_resp: FloatArray, resp: IntArray) -> None:
    """Event times ``ttime``, dropout times ``dtime`` and calendar event times ``cal`` (inf if none).

    With response, ``resp[i]`` = 1 for a responder (``u < orr[arm]``, stream ``STREAM_RESPONSE``)
    and the patient's cumulative hazard is also divided by ``inv_resp[arm, resp]``'s inverse.
    """
    if has_response:
        fill_patient_uniforms(u, n, trial, STREAM_RESPONSE, k0, k1)
        for i in range(n):
            resp[i] = 1 if u[i] < orr[arm[i]] else 0
    fill_patient_uniforms(u, n, trial, STREAM_EVENT, k0, k1)
    for i in range(n):  # kept apart from the gathers below so that LLVM vectorises the logarithm
        ttime[i] = -vlog(u[i])
    if has_response:
        for i in range(n):
            ttime[i] = ttime[i] * inv_mult[strat[i]] * inv_resp[arm[i], resp[i]]
    else:
        for i in range(n):
            ttime[i] = ttime[i] * inv_mult[strat[i]]
    simple = starts.shape[1] == 1 and kind[0] == 0 and kind[1] == 0 and cure[0] == 0.0 and cure[1] == 0.0
    if simple:
        r0 = inv_rates[0, 0]
        r1 = inv_rates[1, 0]
        for i in range(n):
            t = ttime[i] * (r1 if arm[i] == 1 else r0)
            ttime[i] = t
            cal[i] = entry[i] + t
    else:
        for i in range(n):
            ttime[i] = event_time(ttime[i], arm[i], kind, starts, cumhaz, inv_rates, inv_shape, scale, cure)
    if has_dropout:
        fill_patient_uniforms(dtime, n, trial, STREAM_DROPOUT, k0, k1)
        for i in range(n):
            dtime[i] = -vlog(dtime[i])
        for i in range(n):
            dtime[i] = dtime[i] * inv_dropout[arm[i]]
        for i in range(n):
            cal[i] = entry[i] + ttime[i] if ttime[i] < dtime[i] else np.inf
    elif not simple:
        for i in range(n):
            cal[i] = entry[i] + ttime[i]
    # without dropout ``dtime`` is left untouched: the caller fills it with inf once


@inline_kernel
def death_share_at(t: float, a: int, dwp: FloatArray) -> float:
    """Arm ``a``'s share of deaths among PFS events at ``t`` months since entry (the piece holding ``t``)."""
    j = dwp.shape[1] - 1
    while j > 0 and t < dwp[0, j]:
        j -= 1
    return float(dwp[1 + a, j])


@kernel
def generate_overall_survival(trial: int, n: int, k0: np.uint64, k1: np.uint64, inv_pps: FloatArray,
                              has_dwp: bool, dwp: FloatArray, entry: FloatArray, arm: IntArray,
                              ttime: FloatArray, dtime: FloatArray, u: FloatArray, ostime: FloatArray,
                              oscal: FloatArray) -> None:
    """OS = PFS for a death without progression, else PFS + exponential post-progression survival (stream
    ``STREAM_PPS``); calendar OS or inf. A death when ``u < dwp[1 + arm, j]`` (stream ``STREAM_DEATH``),
    ``j`` the last piece with ``dwp[0, j] <= PFS`` (see ``TrialModel.dwp``)."""
    fill_patient_uniforms(ostime, n, trial, STREAM_PPS, k0, k1)
    for i in range(n):
        ostime[i] = -vlog(ostime[i])
    if has_dwp:
        fill_patient_uniforms(u, n, trial, STREAM_DEATH, k0, k1)
    for i in range(n):
        if has_dwp and u[i] < death_share_at(ttime[i], arm[i], dwp):
            ostime[i] = ttime[i]
        else:
            ostime[i] = ttime[i] + ostime[i] * inv_pps[arm[i]]
        oscal[i] = entry[i] + ostime[i] if ostime[i] < dtime[i] else np.inf
