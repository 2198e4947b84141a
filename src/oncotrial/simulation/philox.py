"""Philox4x32-10, the counter-based generator behind every simulated trial.

Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3" (SC 2011), and the
Random123 reference (``philox4x32_R`` with 10 rounds). A *counter* of four 32-bit words and a
*key* of two words map to four pseudo-random words; there is no state, so any number can be
recomputed from its coordinates. Known-answer tests are Random123's ``kat_vectors``.

Layout used by the simulation (identical in every engine):

* key ``(k0, k1)`` = the low and high 32 bits of the 64-bit seed;
* counter ``(j, trial mod 2**32, trial // 2**32, stream)`` where ``j`` numbers patient *pairs*:
  patient ``2j`` takes words 0-1 and patient ``2j + 1`` words 2-3, each pair of words giving one
  53-bit uniform ``((w_a >> 5) * 2**26 + (w_b >> 6) + 0.5) / 2**53`` in the open interval (0, 1);
* ``stream`` separates the uses (:data:`STREAM_EVENT`, ...), so a scenario that adds dropout does
  not change its event times.

The numba function :func:`philox_words` and the NumPy function :func:`philox_words_np` are two
spellings of the same integer arithmetic and give identical bits.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numba import njit
from numpy.typing import NDArray

U64 = NDArray[np.uint64]

STREAM_EVENT: Final = 0
STREAM_DROPOUT: Final = 1
STREAM_ACCRUAL: Final = 2
STREAM_STRATUM: Final = 3
STREAM_ALLOCATION: Final = 4
STREAM_BLOCKS: Final = 5
STREAM_RESPONSE: Final = 6
"""Responder indicator: responder when ``u < ORR`` of the patient's arm."""
STREAM_PPS: Final = 7
"""Post-progression survival (OS = PFS + PPS)."""
STREAM_MINIMIZATION: Final = 8
"""Minimization draws: patient ``i`` reads ``philox(i, trial, 8)``: ``u1`` from words 0-1, ``u2`` from 2-3."""
STREAM_DEATH: Final = 9
"""Cause of the PFS event: a death without progression when ``u <`` the arm's death share (OS = PFS)."""
"""Block randomization uses ``STREAM_BLOCKS + 16 * (stratum + 1) + call``: one stream per stratum."""

_M0: Final = 0xD2511F53
_M1: Final = 0xCD9E8D57
_W0: Final = 0x9E3779B9
_W1: Final = 0xBB67AE85
_MASK: Final = 0xFFFFFFFF
INV_2_53: Final = 1.0 / 9007199254740992.0


def seed_key(seed: int) -> tuple[int, int]:
    """Split a 64-bit seed into the Philox key words ``(low, high)``."""
    return seed & _MASK, (seed >> 32) & _MASK


@njit(inline="always", cache=True)
def philox_words(c0: np.uint64, c1: np.uint64, c2: np.uint64, c3: np.uint64,
                 k0: np.uint64, k1: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    """Philox4x32-10 on 32-bit words held in uint64 (so that LLVM vectorises the products)."""
    mask = np.uint64(_MASK)
    s32 = np.uint64(32)
    for _ in range(10):
        p0 = np.uint64(_M0) * c0
        p1 = np.uint64(_M1) * c2
        c0, c1, c2, c3 = (p1 >> s32) ^ c1 ^ k0, p1 & mask, (p0 >> s32) ^ c3 ^ k1, p0 & mask
        k0 = (k0 + np.uint64(_W0)) & mask
        k1 = (k1 + np.uint64(_W1)) & mask
    return c0, c1, c2, c3


@njit(inline="always", cache=True)
def uniform53(a: np.uint64, b: np.uint64) -> float:
    """A uniform in (0, 1) from two 32-bit words: 53 random bits plus one half."""
    bits = ((a >> np.uint64(5)) << np.uint64(26)) | (b >> np.uint64(6))
    return (np.float64(bits) + 0.5) * INV_2_53


def philox_words_np(c0: U64, c1: U64 | np.uint64 | int, c2: U64 | np.uint64 | int, c3: U64 | np.uint64 | int,
                    k0: int, k1: int
                    ) -> tuple[U64, U64, U64, U64]:
    """Vectorised Philox4x32-10 on broadcastable uint64 arrays of 32-bit words."""
    x0, x1, x2, x3 = np.broadcast_arrays(*(np.asarray(c, dtype=np.uint64) for c in (c0, c1, c2, c3)))
    x0, x1, x2, x3 = x0.copy(), x1.copy(), x2.copy(), x3.copy()
    mask, s32 = np.uint64(_MASK), np.uint64(32)
    m0, m1 = np.uint64(_M0), np.uint64(_M1)
    p0 = np.empty_like(x0)
    p1 = np.empty_like(x0)
    key0, key1 = k0 & _MASK, k1 & _MASK
    for _ in range(10):
        np.multiply(x0, m0, out=p0)
        np.multiply(x2, m1, out=p1)
        # x0 <- hi(p1) ^ x1 ^ k0 ; x2 <- hi(p0) ^ x3 ^ k1 ; x1 <- lo(p1) ; x3 <- lo(p0)
        np.right_shift(p1, s32, out=x0)
        np.bitwise_xor(x0, x1, out=x0)
        np.bitwise_xor(x0, np.uint64(key0), out=x0)
        np.right_shift(p0, s32, out=x2)
        np.bitwise_xor(x2, x3, out=x2)
        np.bitwise_xor(x2, np.uint64(key1), out=x2)
        np.bitwise_and(p1, mask, out=x1)
        np.bitwise_and(p0, mask, out=x3)
        key0 = (key0 + _W0) & _MASK
        key1 = (key1 + _W1) & _MASK
    return x0, x1, x2, x3


def uniform53_np(a: U64, b: U64) -> NDArray[np.float64]:
    """Vectorised :func:`uniform53`."""
    bits = ((a >> np.uint64(5)) << np.uint64(26)) | (b >> np.uint64(6))
    out = bits.astype(np.float64)
    out += 0.5
    out *= INV_2_53
    return out


def patient_uniforms_np(trials: NDArray[np.int64], n: int, stream: int, key: tuple[int, int]
                        ) -> NDArray[np.float64]:
    """Uniforms of patients ``0..n-1`` of each trial in ``trials`` for ``stream``: shape (trials, n)."""
    t = trials.astype(np.uint64)[:, None]
    j = np.arange((n + 1) // 2, dtype=np.uint64)[None, :]
    w0, w1, w2, w3 = philox_words_np(j, t & np.uint64(_MASK), t >> np.uint64(32), np.uint64(stream),
                                     key[0], key[1])
    out = np.empty((trials.size, 2 * j.size))
    out[:, 0::2] = uniform53_np(w0, w1)
    out[:, 1::2] = uniform53_np(w2, w3)
    return out[:, :n]


@njit(inline="always", cache=True)
def fill_patient_uniforms(out: NDArray[np.float64], n: int, trial: int, stream: int,
                          k0: np.uint64, k1: np.uint64) -> None:
    """Numba twin of :func:`patient_uniforms_np` for one trial (writes ``out[:n]``)."""
    t = np.uint64(trial)
    c1 = t & np.uint64(_MASK)
    c2 = t >> np.uint64(32)
    c3 = np.uint64(stream)
    for j in range(n // 2):
        w0, w1, w2, w3 = philox_words(np.uint64(j), c1, c2, c3, k0, k1)
        out[2 * j] = uniform53(w0, w1)
        out[2 * j + 1] = uniform53(w2, w3)
    if n % 2:
        w0, w1, w2, w3 = philox_words(np.uint64(n // 2), c1, c2, c3, k0, k1)
        out[n - 1] = uniform53(w0, w1)


def minimization_draws_np(trials: NDArray[np.int64], n: int, key: tuple[int, int]
                          ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Core's minimization draws ``(u1, u2)`` of patients ``0..n-1``: two arrays (trials, n)."""
    t = trials.astype(np.uint64)[:, None]
    j = np.arange(n, dtype=np.uint64)[None, :]
    w0, w1, w2, w3 = philox_words_np(j, t & np.uint64(_MASK), t >> np.uint64(32),
                                     np.uint64(STREAM_MINIMIZATION), key[0], key[1])
    return uniform53_np(w0, w1), uniform53_np(w2, w3)


@njit(inline="always", cache=True)
def fill_minimization_draws(u1: NDArray[np.float64], u2: NDArray[np.float64], n: int, trial: int,
                            k0: np.uint64, k1: np.uint64) -> None:
    """Numba twin of :func:`minimization_draws_np` for one trial."""
    t = np.uint64(trial)
    c1 = t & np.uint64(_MASK)
    c2 = t >> np.uint64(32)
    c3 = np.uint64(STREAM_MINIMIZATION)
    for j in range(n):
        w0, w1, w2, w3 = philox_words(np.uint64(j), c1, c2, c3, k0, k1)
        u1[j] = uniform53(w0, w1)
        u2[j] = uniform53(w2, w3)
