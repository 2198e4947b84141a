"""Per-trial results of a block of consecutive trials, as every engine returns them.

Looks after the one where a trial stopped hold NaN (z, estimates, times) and -1 (counts).
``decision`` is 1 for efficacy (H0 rejected), -1 for a futility stop and 0 when the trial ran
to its last look without rejecting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oncotrial.simulation.model import TrialModel


@dataclass(frozen=True)
class TrialBlock:
    """Trials ``first .. first + count - 1`` of one scenario."""

    first: int
    stop: NDArray[np.int8]          # (N,) index of the last look performed
    decision: NDArray[np.int8]      # (N,)
    z: NDArray[np.float64]          # (N, K, T) tests in scenario order; [:, :, 0] is primary
    estimate: NDArray[np.float64]   # (N, K, T)
    time: NDArray[np.float64]       # (N, K) calendar time of each look
    events: NDArray[np.int32]       # (N, K)
    enrolled: NDArray[np.int32]     # (N, K)
    short: NDArray[np.int8]         # (N, K) 1 when the look's event target was never reached

    @property
    def count(self) -> int:
        return int(self.stop.size)

    @classmethod
    def empty(cls, model: TrialModel, first: int, count: int) -> TrialBlock:
        k, t = model.k_max, int(model.tests.size)
        return cls(first, np.zeros(count, np.int8), np.zeros(count, np.int8),
                   np.full((count, k, t), np.nan), np.full((count, k, t), np.nan),
                   np.full((count, k), np.nan), np.full((count, k), -1, np.int32),
                   np.full((count, k), -1, np.int32), np.zeros((count, k), np.int8))
