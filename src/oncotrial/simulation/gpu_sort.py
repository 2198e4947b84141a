"""Ordering on one warp: a bitonic sort in shared memory and binary searches.

:func:`bitonic_sort` is Batcher's network (K. E. Batcher, "Sorting networks and their
applications", AFIPS 1968): level ``k`` (2, 4, ..., size) merges bitonic runs of length ``k`` by
stages ``j = k/2, ..., 1``; stage ``(k, j)`` compares element ``lo`` (bit ``j`` clear) with
``lo + j``, ascending where bit ``k`` of ``lo`` is clear. Stages with ``j >= 4`` spread their
``size / 2`` pairs over the lanes, a warp barrier after each; the stages with ``j = 2, 1`` only
pair elements within aligned groups of four, so each lane runs them on its own groups in
registers (one load and one store per element, one barrier), and levels 2 and 4 run together
that way. For ``size = 128``: 21 barriers instead of 28.

Keys are compared, then ``val`` on ties; with distinct ``val`` (the patient number) the sorted
order is unique, hence equal to the CPU engine's stable bucket sort.
"""

from __future__ import annotations

from typing import Any

from oncotrial.simulation.gpu_primitives import WARP, device, wsync


@device
def _ordered(ka: float, va: int, kb: float, vb: int, up: bool) -> tuple[float, int, float, int]:
    """The two pairs in order: ascending (key, then val) when ``up``, descending otherwise."""
    if (ka > kb or (ka == kb and va > vb)) == up:
        return kb, vb, ka, va
    return ka, va, kb, vb


@device
def _quads(key: Any, val: Any, size: int, k: int, lane: int) -> None:
    """Stages ``j = 2, 1`` of level ``k`` (for ``k = 4``, level 2 first) on groups of four, in registers."""
    base = 4 * lane
    while base < size:
        k0 = key[base]
        k1 = key[base + 1]
        k2 = key[base + 2]
        k3 = key[base + 3]
        v0 = val[base]
        v1 = val[base + 1]
        v2 = val[base + 2]
        v3 = val[base + 3]
        if k == 4:
            k0, v0, k1, v1 = _ordered(k0, v0, k1, v1, True)
            k2, v2, k3, v3 = _ordered(k2, v2, k3, v3, False)
        up = (base & k) == 0
        k0, v0, k2, v2 = _ordered(k0, v0, k2, v2, up)
        k1, v1, k3, v3 = _ordered(k1, v1, k3, v3, up)
        k0, v0, k1, v1 = _ordered(k0, v0, k1, v1, up)
        k2, v2, k3, v3 = _ordered(k2, v2, k3, v3, up)
        key[base] = k0
        key[base + 1] = k1
        key[base + 2] = k2
        key[base + 3] = k3
        val[base] = v0
        val[base + 1] = v1
        val[base + 2] = v2
        val[base + 3] = v3
        base += 4 * WARP
    wsync()


@device
def bitonic_sort(key: Any, val: Any, size: int, lane: int) -> None:
    """Sort ``(key, val)`` pairs ascending by ``key`` then ``val`` (``size`` a power of 2)."""
    if size < 4:
        if size == 2:
            if lane == 0:
                key[0], val[0], key[1], val[1] = _ordered(key[0], val[0], key[1], val[1], True)
            wsync()
        return
    _quads(key, val, size, 4, lane)
    k = 8
    lk = 3
    while k <= size:
        j = k >> 1
        lj = lk - 1
        while j >= 4:
            t = lane
            while t < (size >> 1):
                lo = ((t >> lj) << (lj + 1)) | (t & (j - 1))
                hi = lo + j
                key[lo], val[lo], key[hi], val[hi] = _ordered(key[lo], val[lo], key[hi], val[hi],
                                                              (lo & k) == 0)
                t += WARP
            wsync()
            j >>= 1
            lj -= 1
        _quads(key, val, size, k, lane)
        k <<= 1
        lk += 1


@device
def count_le(a: Any, n: int, v: float) -> int:
    """``np.searchsorted(a[:n], v, side="right")``: numba's binary search, step for step."""
    lo = 0
    hi = n
    while lo < hi:
        mid = lo + ((hi - lo) >> 1)
        if a[mid] <= v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@device
def pow2_at_least(m: int) -> int:
    """Smallest power of two >= ``m`` (1 for ``m`` <= 1)."""
    p = 1
    while p < m:
        p <<= 1
    return p
