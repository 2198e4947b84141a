"""Device building blocks of the GPU engine: Philox, uniforms, ``vlog``, warp barrier and reductions.

One simulated trial runs on one warp of 32 lanes (:mod:`.gpu_kernel`). Everything here is written
twice only where the hardware and numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``, which runs
kernels as Python threads) cannot share code:

* warp exchanges: on a GPU ``shfl_xor_sync`` / ``shfl_up_sync`` / ``syncwarp``; the simulator has
  no shuffles, so there the lanes exchange through a shared-memory row between two
  ``syncthreads`` (a launch there has one warp per block, so a block barrier is a warp barrier).
  The float butterfly adds the same pairs in the same order as the shuffles, so both give the
  same bits: at step ``s`` lane ``l`` adds lane ``l ^ s``'s partial sum (Harris, *Optimizing
  parallel reduction in CUDA*, and the CUDA Programming Guide, "Warp Shuffle Functions");
* the bit casts of :func:`vlog`: ``libdevice.double_as_longlong`` on a GPU, ``ndarray.view`` in
  the simulator.

The arithmetic is that of the CPU kernels, operation for operation: Philox4x32-10
(:mod:`.philox`; products of two 32-bit words are formed in 64 bits from zero-extended words, which
NVVM lowers to ``mul.wide.u32``), the 53-bit uniform, and fdlibm's logarithm (:mod:`.logarithm`).
In the simulator every operation is IEEE-754 double arithmetic in the same order, so its results
equal the numba CPU engine's bit for bit. On a GPU, NVVM contracts ``a * b + c`` into fused
multiply-adds by default (numba's ``cuda.jit`` has no switch for it), so results may differ from
the CPU in the last place; the engines' contract tolerates that (decisions agree except where
``|z - c| < 1e-9``).

Importing this module imports ``numba.cuda``; only the GPU engine imports it, when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import numba.cuda
import numpy as np

from oncotrial.simulation.logarithm import _LG1, _LG2, _LG3, _LG4, _LG5, _LG6, _LG7, _LN2_HI, _LN2_LO
from oncotrial.simulation.philox import INV_2_53

config: Any = numba.config
cuda: Any = numba.cuda  # the simulator re-binds every global that names this module

SIMULATED: Final = bool(config.ENABLE_CUDASIM)
"""True under the CUDA simulator: plain Python helpers, shared-memory warp exchanges."""
WARP: Final = 32
FULL_MASK: Final = 0xFFFFFFFF

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_MASK = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_LOG_SHIFT = np.uint64((0x3FF00000 - 0x3FE6A09E) << 32)
_MANTISSA = np.uint64(0x000FFFFFFFFFFFFF)
_LOG_BASE = np.uint64(0x3FE6A09E00000000)


F = TypeVar("F", bound=Callable[..., Any])


def device(fn: F) -> F:
    """A device function on a GPU; in the simulator the plain function (a simulated device
    function re-binds its module's globals on every call, which is slow)."""
    return fn if SIMULATED else cast(F, cuda.jit(device=True)(fn))

if SIMULATED:
    def _bits_of(x: float) -> Any:
        return np.float64(x).view(np.uint64)

    def _float_of(u: Any) -> Any:
        return np.uint64(u).view(np.float64)
else:
    from numba.cuda import libdevice as _libdevice

    libdevice: Any = _libdevice

    @device
    def _bits_of(x: float) -> Any:
        return np.uint64(libdevice.double_as_longlong(x))

    @device
    def _float_of(u: Any) -> Any:
        return libdevice.longlong_as_double(np.int64(u))


@device
def philox(c0: Any, c1: Any, c2: Any, c3: Any, k0: Any, k1: Any) -> tuple[Any, Any, Any, Any]:
    """Philox4x32-10 on uint32 words (Salmon et al. 2011): ten rounds of two 32x32->64 products."""
    for _ in range(10):
        p0 = np.uint64(c0) * _M0
        p1 = np.uint64(c2) * _M1
        c0, c1, c2, c3 = (np.uint32(np.uint32(p1 >> _S32) ^ c1 ^ k0), np.uint32(p1 & _MASK),
                          np.uint32(np.uint32(p0 >> _S32) ^ c3 ^ k1), np.uint32(p0 & _MASK))
        k0 = np.uint32((np.uint64(k0) + _W0) & _MASK)
        k1 = np.uint32((np.uint64(k1) + _W1) & _MASK)
    return c0, c1, c2, c3


@device
def uniform53(a: Any, b: Any) -> float:
    """``((a >> 5) 2^26 + (b >> 6) + 0.5) / 2^53``, as :func:`.philox.uniform53`."""
    bits = (np.uint64(a >> np.uint32(5)) << np.uint64(26)) | np.uint64(b >> np.uint32(6))
    return (np.float64(bits) + 0.5) * INV_2_53


@device
def pair_uniforms(j: int, t_lo: Any, t_hi: Any, stream: int, k0: Any, k1: Any) -> tuple[float, float]:
    """Uniforms of patients ``2j`` and ``2j + 1`` in ``stream`` (counter ``(j, trial, stream)``)."""
    w0, w1, w2, w3 = philox(np.uint32(j), t_lo, t_hi, np.uint32(stream), k0, k1)
    return uniform53(w0, w1), uniform53(w2, w3)


@device
def vlog(x: float) -> float:
    """fdlibm's natural logarithm of a positive normal double, as :func:`.logarithm.vlog`."""
    ix = _bits_of(x) + _LOG_SHIFT
    k = np.float64(np.int64(ix >> np.uint64(52))) - 1023.0
    f = _float_of((ix & _MANTISSA) + _LOG_BASE) - 1.0
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    r = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    return float(s * (hfsq + r) + k * _LN2_LO - hfsq + f + k * _LN2_HI)


if SIMULATED:
    import threading

    _PARTNER = [np.arange(WARP) ^ s for s in (16, 8, 4, 2, 1)]

    def _barrier() -> None:
        # The simulator runs each CUDA thread as a ``BlockThread``; its ``syncthreads`` is the block
        # barrier that ``cuda.syncthreads()`` calls inside a simulated kernel (a simulated device
        # function would re-bind ``cuda`` in this module's globals on every call, racily).
        threading.current_thread().syncthreads()  # type: ignore[attr-defined]

    def wsync() -> None:
        """Barrier of the warp (the simulator launches one warp per block)."""
        _barrier()

    def warp_isum(x: int, lane: int, xi: Any) -> int:
        """Sum of an integer over the 32 lanes, in every lane."""
        xi[lane] = x
        _barrier()
        total = int(xi[:WARP].sum())
        _barrier()
        return total

    def warp_iscan(x: int, lane: int, xi: Any) -> tuple[int, int]:
        """(sum over lanes below ``lane``, sum over all lanes) of an integer."""
        xi[lane] = x
        _barrier()
        below = int(xi[:lane].sum())
        total = int(xi[:WARP].sum())
        _barrier()
        return below, total

    def warp_fsum2(a: float, b: float, lane: int, xf: Any) -> tuple[float, float]:
        """Butterfly sums of two doubles over the lanes (the shuffle order, see the module doc)."""
        xf[0, lane] = a
        xf[1, lane] = b
        _barrier()
        va = xf[0, :WARP].copy()
        vb = xf[1, :WARP].copy()
        for partner in _PARTNER:
            va = va + va[partner]
            vb = vb + vb[partner]
        _barrier()
        return float(va[lane]), float(vb[lane])

    def warp_fmax(a: float, lane: int, xf: Any) -> float:
        """Largest double over the lanes (exact in any order)."""
        xf[0, lane] = a
        _barrier()
        top = float(xf[0, :WARP].max())
        _barrier()
        return top
else:
    @device
    def wsync() -> None:
        """Barrier of the warp (orders its shared-memory writes before the reads after it)."""
        cuda.syncwarp(FULL_MASK)

    @device
    def warp_isum(x: int, lane: int, xi: Any) -> int:
        """Sum of an integer over the 32 lanes, in every lane (xor butterfly)."""
        s = 16
        while s > 0:
            x += cuda.shfl_xor_sync(FULL_MASK, x, s)
            s >>= 1
        return x

    @device
    def warp_iscan(x: int, lane: int, xi: Any) -> tuple[int, int]:
        """(sum over lanes below ``lane``, sum over all lanes): Hillis–Steele scan with ``shfl_up``."""
        y = x
        d = 1
        while d < WARP:
            t = cuda.shfl_up_sync(FULL_MASK, y, d)
            if lane >= d:
                y += t
            d <<= 1
        return y - x, cuda.shfl_sync(FULL_MASK, y, WARP - 1)

    @device
    def warp_fsum2(a: float, b: float, lane: int, xf: Any) -> tuple[float, float]:
        """Butterfly sums of two doubles over the lanes; every lane ends with the same bits."""
        s = 16
        while s > 0:
            a += cuda.shfl_xor_sync(FULL_MASK, a, s)
            b += cuda.shfl_xor_sync(FULL_MASK, b, s)
            s >>= 1
        return a, b

    @device
    def warp_fmax(a: float, lane: int, xf: Any) -> float:
        """Largest double over the lanes (exact in any order)."""
        s = 16
        while s > 0:
            a = max(a, cuda.shfl_xor_sync(FULL_MASK, a, s))
            s >>= 1
        return a
