"""Mergeable running sums of simulated trials: everything the operating characteristics need.

An :class:`Accumulator` holds counts, sums, sums of squares and fixed-bin histograms, so blocks
simulated anywhere (threads, Dask workers) combine by addition and memory does not grow with
the number of trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numba import njit
from numpy.typing import NDArray

from oncotrial.simulation.kernel_types import FloatArray, Int8Array, Int32Array, IntArray
from oncotrial.simulation.model import TrialModel
from oncotrial.simulation.trial_block import TrialBlock

LOG_HR_BINS = np.linspace(-4.0, 4.0, 1601)
TIME_BINS = np.linspace(0.0, 600.0, 12001)
HR_TESTS = (5, 0, 1)  # Cox, then Peto from the (stratified) log-rank: the HR estimate reported


@dataclass
class Accumulator:
    """Sums over trials of one scenario (arrays indexed by look ``k`` and test ``j``)."""

    k_max: int
    n_tests: int
    hr_test: int  # index in the scenario's tests of the HR estimate, -1 if none
    trials: int = 0
    reject: NDArray[np.int64] = field(init=False)
    futility: NDArray[np.int64] = field(init=False)
    short: NDArray[np.int64] = field(init=False)
    reached: NDArray[np.int64] = field(init=False)
    look_time: NDArray[np.float64] = field(init=False)      # (2, K) sum, sum of squares
    look_events: NDArray[np.float64] = field(init=False)    # (2, K)
    stop_sums: NDArray[np.float64] = field(init=False)      # (2, 3) events, duration, enrolled
    test_reject_final: NDArray[np.int64] = field(init=False)  # (T,) z >= c at the last look done
    test_reject_look: NDArray[np.int64] = field(init=False)   # (K, T) z >= c_k among trials reaching k
    log_hr_hist: NDArray[np.int64] = field(init=False)
    log_hr_sums: NDArray[np.float64] = field(init=False)    # count, sum, sum of squares (finite)
    time_hist: NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        k, t = self.k_max, self.n_tests
        self.reject = np.zeros(k, np.int64)
        self.futility = np.zeros(k, np.int64)
        self.short = np.zeros(k, np.int64)
        self.reached = np.zeros(k, np.int64)
        self.look_time = np.zeros((2, k))
        self.look_events = np.zeros((2, k))
        self.stop_sums = np.zeros((2, 3))
        self.test_reject_final = np.zeros(t, np.int64)
        self.test_reject_look = np.zeros((k, t), np.int64)
        self.log_hr_hist = np.zeros(LOG_HR_BINS.size + 1, np.int64)
        self.log_hr_sums = np.zeros(3)
        self.time_hist = np.zeros(TIME_BINS.size + 1, np.int64)

    @classmethod
    def for_model(cls, m: TrialModel) -> Accumulator:
        codes = [int(c) for c in m.tests]
        hr = next((codes.index(c) for c in HR_TESTS if c in codes), -1)
        return cls(m.k_max, len(codes), hr)

    def add(self, b: TrialBlock, m: TrialModel) -> None:
        """Fold a block of trials into the sums (one compiled pass over the block)."""
        self.trials += b.count
        _fold(b.stop, b.decision, b.z, b.estimate, b.time, b.events, b.enrolled, b.short, m.efficacy,
              self.hr_test, self.reject, self.futility, self.short, self.reached, self.look_time,
              self.look_events, self.stop_sums, self.test_reject_final, self.test_reject_look,
              self.log_hr_hist, self.log_hr_sums, self.time_hist, LOG_HR_BINS[0],
              LOG_HR_BINS[1] - LOG_HR_BINS[0], TIME_BINS[0], TIME_BINS[1] - TIME_BINS[0])

    def merge(self, other: Accumulator) -> None:
        """Add another accumulator of the same scenario."""
        self.trials += other.trials
        for name in ("reject", "futility", "short", "reached", "look_time", "look_events", "stop_sums",
                     "test_reject_final", "test_reject_look", "log_hr_hist", "log_hr_sums", "time_hist"):
            getattr(self, name).__iadd__(getattr(other, name))



@njit(cache=True, error_model="numpy")
def _bin(x: float, lo: float, width: float, size: int) -> int:
    """Histogram slot of ``x``: 0 below ``lo``, ``size`` above the last edge (``size`` = number of edges)."""
    if x <= lo - width:
        return 0
    v = math.ceil((x - lo) / width)
    return int(min(max(v, 0.0), float(size)))


@njit(cache=True, error_model="numpy")
def _fold(stop: Int8Array, decision: Int8Array, z: FloatArray, est: FloatArray, time: FloatArray,
          events: Int32Array, enrolled: Int32Array, short: Int8Array, efficacy: FloatArray, hr_test: int,
          reject: IntArray, futility: IntArray, n_short: IntArray, reached: IntArray, look_time: FloatArray,
          look_events: FloatArray, stop_sums: FloatArray, test_final: IntArray, test_look: IntArray,
          hr_hist: IntArray, hr_sums: FloatArray, time_hist: IntArray, hr_lo: float, hr_width: float,
          time_lo: float, time_width: float) -> None:
    k_max = time.shape[1]
    for i in range(stop.size):
        s = stop[i]
        if decision[i] == 1:
            reject[s] += 1
        elif decision[i] == -1:
            futility[s] += 1
        for k in range(s + 1):
            reached[k] += 1
            look_time[0, k] += time[i, k]
            look_time[1, k] += time[i, k] * time[i, k]
            look_events[0, k] += events[i, k]
            look_events[1, k] += events[i, k] * events[i, k]
            for j in range(z.shape[2]):
                if z[i, k, j] >= efficacy[k]:
                    test_look[k, j] += 1
        for k in range(k_max):
            n_short[k] += short[i, k]
        final = (np.float64(events[i, s]), time[i, s], np.float64(enrolled[i, s]))
        for q in range(3):
            stop_sums[0, q] += final[q]
            stop_sums[1, q] += final[q] * final[q]
        for j in range(z.shape[2]):
            if z[i, s, j] >= efficacy[s]:
                test_final[j] += 1
        time_hist[_bin(time[i, s], time_lo, time_width, time_hist.size - 1)] += 1
        if hr_test >= 0:
            x = est[i, s, hr_test]
            if x == x:
                hr_hist[_bin(x, hr_lo, hr_width, hr_hist.size - 1)] += 1
                if abs(x) < np.inf:
                    hr_sums[0] += 1.0
                    hr_sums[1] += x
                    hr_sums[2] += x * x
