"""Per-patient random streams: NumPy ``Generator(Philox)`` keyed by (seed, patient, stream).

Each patient's draws come from its own counter-based Philox stream (Salmon et al.,
"Parallel random numbers: as easy as 1, 2, 3", SC 2011), keyed by the trial seed,
the patient's index and a small stream number. Patient *k* is therefore reproducible
on its own, whatever the number of other patients, and the baseline, the latent
outcome and each arm's script use separate streams (adding an AE table does not move
the tumour draws). There is no global randomness.

For speed the uniforms are fetched from NumPy in blocks and handed out one by one as
Python floats; normal and other variates are derived by inverse transform.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import IntEnum
from statistics import NormalDist

import numpy as np

_STD_NORMAL = NormalDist()
_BLOCK = 128
_MAX_STREAMS = 64


class Stream(IntEnum):
    """Independent sub-streams of one patient."""

    BASELINE = 0
    SCREENING = 1
    LATENT = 2
    COURSE = 8  # + arm index
    LABS = 24  # + arm index
    EVENTS = 40  # + arm index


def _key(seed: int, index: int, stream: int) -> np.ndarray:
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed {seed!r}: expected an integer in [0, 2**64)")
    if index < 0:
        raise ValueError(f"patient index {index!r}: expected an integer >= 0")
    if not 0 <= stream < _MAX_STREAMS:
        raise ValueError(f"stream {stream!r}: expected an integer in [0, {_MAX_STREAMS})")
    return np.array([seed, index * _MAX_STREAMS + stream], dtype=np.uint64)


class Draws:
    """Uniform-based variates from one Philox stream (deterministic, order-dependent)."""

    __slots__ = ("_buffer", "_generator", "_position")

    def __init__(self, seed: int, index: int, stream: int) -> None:
        self._generator = np.random.Generator(np.random.Philox(key=_key(seed, index, stream)))
        self._buffer: list[float] = []
        self._position = 0

    def random(self) -> float:
        """A uniform in [0, 1)."""
        if self._position >= len(self._buffer):
            self._buffer = self._generator.random(_BLOCK).tolist()
            self._position = 0
        value = self._buffer[self._position]
        self._position += 1
        return value

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def integer(self, low: int, high: int) -> int:
        """A whole number in [low, high] (both included)."""
        return low + min(int(self.random() * (high - low + 1)), high - low)

    def bernoulli(self, p: float) -> bool:
        return self.random() < p

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        u = min(max(self.random(), 1e-12), 1.0 - 1e-12)
        return mean + sd * _STD_NORMAL.inv_cdf(u)

    def truncated_normal(self, mean: float, sd: float, low: float, high: float) -> float:
        """Normal truncated to [low, high] by inverse transform on the restricted CDF."""
        a = _STD_NORMAL.cdf((low - mean) / sd)
        b = _STD_NORMAL.cdf((high - mean) / sd)
        u = min(max(a + (b - a) * self.random(), 1e-12), 1.0 - 1e-12)
        return min(max(mean + sd * _STD_NORMAL.inv_cdf(u), low), high)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.normal(0.0, sigma))

    def weibull(self, shape: float, scale: float) -> float:
        value: float = scale * (-math.log(1.0 - self.random())) ** (1.0 / shape)
        return value

    def choice(self, weights: Sequence[float]) -> int:
        """The index of one of ``weights`` (need not sum to 1)."""
        total = sum(weights)
        u = self.random() * total
        for i, w in enumerate(weights):
            if u < w:
                return i
            u -= w
        return len(weights) - 1
