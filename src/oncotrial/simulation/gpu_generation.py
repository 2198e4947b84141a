"""Device functions that generate one trial on one warp: entries, arms, event and dropout times.

The twins of :mod:`.numba_generation` for a single stratum: the same Philox draws at the same
coordinates (seed, trial, patient, stream) and the same transforms, operation for operation.
Patients are taken in pairs (``2j``, ``2j + 1``: one Philox call gives both uniforms) and the
pairs are strided over the 32 lanes; the per-patient results go to the warp's rows of shared
memory. The two sequential steps of the CPU engine stay sequential, on lane 0, so their
rounding is the CPU's: the running sum of exponential spacings of random accrual, and the urn
of permuted blocks. Lane 0 leaves the warp barrier to the caller.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from oncotrial.simulation.gpu_primitives import WARP, device, pair_uniforms, philox, vlog, wsync
from oncotrial.simulation.philox import (
    STREAM_ACCRUAL,
    STREAM_ALLOCATION,
    STREAM_BLOCKS,
    STREAM_DROPOUT,
    STREAM_EVENT,
)


@device
def accrual_inverse(u: float, p: Any, t: Any, slope: Any, pieces: int) -> float:
    """Entry time at cumulative share ``u`` (:func:`.numba_generation.accrual_inverse`)."""
    j = pieces - 1
    while j > 0 and u < p[j]:
        j -= 1
    return float(t[j] + (u - p[j]) * slope[j])


@device
def random_entries(t_lo: Any, t_hi: Any, n: int, k0: Any, k1: Any, p: Any, t: Any, slope: Any,
                   pieces: int, spacing: Any, entry: Any, slot: Any, lane: int) -> None:
    """Order statistics of random entry times from ``n + 1`` exponential spacings (stream ``ACCRUAL``)."""
    for j in range(lane, (n + 1) >> 1, WARP):
        ua, ub = pair_uniforms(j, t_lo, t_hi, STREAM_ACCRUAL, k0, k1)
        spacing[2 * j] = -vlog(ua)
        if 2 * j + 1 < n:
            spacing[2 * j + 1] = -vlog(ub)
    wsync()
    if lane == 0:
        total = 0.0
        for i in range(n):
            total += spacing[i]
            spacing[i] = total
        ua, ub = pair_uniforms(n >> 1, t_lo, t_hi, STREAM_ACCRUAL, k0, k1)
        total += -vlog(ub if n & 1 else ua)
        slot[0] = total
    wsync()
    total = slot[0]
    for i in range(lane, n, WARP):
        entry[i] = accrual_inverse(spacing[i] / total, p, t, slope, pieces)


@device
def simple_arms(t_lo: Any, t_hi: Any, n: int, k0: Any, k1: Any, p_exp: float, arm: Any, lane: int) -> None:
    """Simple randomization: experimental when ``u < p`` (stream ``ALLOCATION``)."""
    for j in range(lane, (n + 1) >> 1, WARP):
        ua, ub = pair_uniforms(j, t_lo, t_hi, STREAM_ALLOCATION, k0, k1)
        arm[2 * j] = 1 if ua < p_exp else 0
        if 2 * j + 1 < n:
            arm[2 * j + 1] = 1 if ub < p_exp else 0


@device
def block_arms(t_lo: Any, t_hi: Any, n: int, k0: Any, k1: Any, ratio: Any, sizes: Any, n_sizes: int,
               arm: Any) -> None:
    """Permuted blocks of one stratum, in entry order (run by one lane).

    As :func:`.numba_generation.generate_arms`: block ``b`` reads words
    ``philox(b, trial, STREAM_BLOCKS + 16 + c)``; word 0 picks the size, word ``q + 1`` places
    position ``q``: experimental when ``w (e + c) < e 2^32`` (``e``/``c`` places left per arm).
    """
    block = -1
    pos = 0
    size = 0
    e = 0
    c = 0
    loaded = -1
    w0 = w1 = w2 = w3 = np.uint32(0)
    for i in range(n):
        if pos >= size:
            block += 1
            w0, w1, w2, w3 = philox(np.uint32(block), t_lo, t_hi, np.uint32(STREAM_BLOCKS + 16), k0, k1)
            loaded = 0
            size = sizes[np.int64((np.uint64(w0) * np.uint64(n_sizes)) >> np.uint64(32))]
            pos = 0
            e = size * ratio[0] // (ratio[0] + ratio[1])
            c = size - e
        q = pos + 1
        if q >> 2 != loaded:
            loaded = q >> 2
            w0, w1, w2, w3 = philox(np.uint32(block), t_lo, t_hi, np.uint32(STREAM_BLOCKS + 16 + loaded),
                                    k0, k1)
        r = q & 3
        w = w0 if r == 0 else (w1 if r == 1 else (w2 if r == 2 else w3))
        g = 1 if np.uint64(w) * np.uint64(e + c) < (np.uint64(e) << np.uint64(32)) else 0
        arm[i] = g
        e -= g
        c -= 1 - g
        pos += 1


@device
def event_time(e: float, a: int, kind: Any, starts: Any, cumhaz: Any, inv_rates: Any, inv_shape: Any,
               scale: Any, cure: Any, pieces: int) -> float:
    """:math:`T = S^{-1}(e^{-E})` for arm ``a`` (:func:`.numba_generation.event_time`)."""
    if cure[a] > 0.0:
        s = math.exp(-e)
        if s <= cure[a]:
            return math.inf
        e = -math.log((s - cure[a]) / (1.0 - cure[a]))
    if kind[a] == 1:
        return float(scale[a] * e ** inv_shape[a])
    j = pieces - 1
    while j > 0 and e < cumhaz[a, j]:
        j -= 1
    x = starts[a, j] + (e - cumhaz[a, j]) * inv_rates[a, j]
    return math.inf if x != x else float(x)


@device
def outcome(i: int, u: float, du: float, inv_mult: float, simple: bool, kind: Any, starts: Any,
            cumhaz: Any, inv_rates: Any, inv_shape: Any, scale: Any, cure: Any, pieces: int,
            has_dropout: bool, inv_dropout: Any, entry: Any, arm: Any, seen: Any, cal: Any) -> None:
    """Patient ``i``: ``seen = min(T, dropout)`` and the calendar event time ``cal`` (inf if none)."""
    a = arm[i]
    e = -vlog(u) * inv_mult
    if simple:
        t = e * (inv_rates[1, 0] if a == 1 else inv_rates[0, 0])
    else:
        t = event_time(e, a, kind, starts, cumhaz, inv_rates, inv_shape, scale, cure, pieces)
    if has_dropout:
        d = -vlog(du) * inv_dropout[a]
        cal[i] = entry[i] + t if t < d else math.inf
        seen[i] = min(t, d)
    else:
        cal[i] = entry[i] + t
        seen[i] = t


@device
def outcomes(t_lo: Any, t_hi: Any, n: int, k0: Any, k1: Any, inv_mult: float, simple: bool, kind: Any,
             starts: Any, cumhaz: Any, inv_rates: Any, inv_shape: Any, scale: Any, cure: Any, pieces: int,
             has_dropout: bool, inv_dropout: Any, entry: Any, arm: Any, seen: Any, cal: Any,
             lane: int) -> None:
    """Event times (stream ``EVENT``) and dropout times (stream ``DROPOUT``) of every patient."""
    for j in range(lane, (n + 1) >> 1, WARP):
        ua, ub = pair_uniforms(j, t_lo, t_hi, STREAM_EVENT, k0, k1)
        da = math.inf
        db = math.inf
        if has_dropout:
            da, db = pair_uniforms(j, t_lo, t_hi, STREAM_DROPOUT, k0, k1)
        outcome(2 * j, ua, da, inv_mult, simple, kind, starts, cumhaz, inv_rates, inv_shape, scale, cure,
                pieces, has_dropout, inv_dropout, entry, arm, seen, cal)
        if 2 * j + 1 < n:
            outcome(2 * j + 1, ub, db, inv_mult, simple, kind, starts, cumhaz, inv_rates, inv_shape, scale,
                    cure, pieces, has_dropout, inv_dropout, entry, arm, seen, cal)
