"""Summaries of simulated distributions: mean, percentiles, maximum; guessing rates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

COLUMNS: Final = ("mean", "p50", "p90", "p95", "p99", "max")


@dataclass(frozen=True, slots=True)
class DistributionSummary:
    """Mean, percentiles (linear interpolation, Hyndman–Fan type 7) and maximum."""

    mean: float
    p50: float
    p90: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> DistributionSummary:
        ordered = sorted(values)
        p50, p90, p95, p99 = (_quantile(ordered, q) for q in (0.50, 0.90, 0.95, 0.99))
        return cls(math.fsum(ordered) / len(ordered), p50, p90, p95, p99, ordered[-1])

    def to_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "p50": self.p50, "p90": self.p90, "p95": self.p95,
                "p99": self.p99, "max": self.max}


@dataclass(frozen=True, slots=True)
class MarginalImbalance:
    """Distribution of the final imbalance among the patients at one factor level."""

    factor: str
    level: str
    summary: DistributionSummary


@dataclass(frozen=True, slots=True)
class GuessingSummary:
    """Expected proportion of correct convergence-strategy guesses and its MC standard error."""

    expected_correct: float
    mc_se: float

    def to_dict(self) -> dict[str, object]:
        return {"strategy": "convergence (Blackwell & Hodges 1957)",
                "expected_correct": self.expected_correct, "mc_se": self.mc_se}


def _quantile(ordered: Sequence[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])
