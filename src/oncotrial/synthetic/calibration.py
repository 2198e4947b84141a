"""Solving the Weibull PFS scale so that the *observed* 6-month PFS rate hits its target.

The latent progression-or-death time T (days from randomization) is Weibull,
S(t) = exp(−(t/λ)^k). A death without progression (fraction p) is an event on day
⌊T⌋; a progression is seen only at the first scan on or after T (scans every
``interval`` days ± window, anchored to randomization, each with its own uniform
whole-day jitter). The Kaplan–Meier rate at the landmark L computed from the scan
dates is therefore

    S_obs(L) = p · S(L + 1) + (1 − p) · E[S(D)],   D = the last scan day ≤ L,

with the expectation over the scan jitters (enumerated exactly). λ is found by
Brent's method (scipy.optimize.brentq) so that S_obs(L) equals the target of
clinical-content.md §2.4 (0.66 control, 0.78 experimental, L = 183 days, protocol
assumption ``pfs_landmark_days``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from scipy.optimize import brentq

DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True, slots=True)
class ImagingSchedule:
    """Protocol imaging: every ``interval_days`` from randomization, window −minus/+plus days."""

    interval_days: int
    window_minus_days: int
    window_plus_days: int

    @property
    def jitters(self) -> range:
        return range(-self.window_minus_days, self.window_plus_days + 1)


def weibull_survival(t: float, shape: float, scale: float) -> float:
    return math.exp(-((max(t, 0.0) / scale) ** shape))


def _last_scan_distribution(schedule: ImagingSchedule, landmark: int) -> dict[int, float]:
    """P(D = d) for D, the last scan day ≤ landmark (0 if none)."""
    k_mid = landmark // schedule.interval_days
    ks = [k for k in (k_mid - 1, k_mid, k_mid + 1) if k >= 1]
    jit = list(schedule.jitters)
    weight = 1.0 / len(jit) ** len(ks)
    out: dict[int, float] = {}
    for combo in itertools.product(jit, repeat=len(ks)):
        days = [k * schedule.interval_days + j for k, j in zip(ks, combo, strict=True)]
        eligible = [d for d in days if d <= landmark]
        d = max(eligible) if eligible else 0
        out[d] = out.get(d, 0.0) + weight
    return out


def observed_rate(
    scale: float, shape: float, schedule: ImagingSchedule, landmark: int, death_fraction: float
) -> float:
    """S_obs(landmark) of the module docstring for a Weibull(shape, scale in days)."""
    scans = sum(
        p * weibull_survival(d, shape, scale) for d, p in _last_scan_distribution(schedule, landmark).items()
    )
    return death_fraction * weibull_survival(landmark + 1, shape, scale) + (1 - death_fraction) * scans


def solve_pfs_scale(
    target: float, shape: float, schedule: ImagingSchedule, landmark: int, death_fraction: float
) -> float:
    """The Weibull scale (days) whose observed landmark rate equals ``target``."""
    if not 0.0 < target < 1.0:
        raise ValueError(f"6-month PFS target {target!r}: expected in (0, 1)")
    return float(
        brentq(
            lambda s: observed_rate(s, shape, schedule, landmark, death_fraction) - target,
            1.0,
            365.0 * 50,
            xtol=1e-9,
        )
    )


def first_scan_survival(scale: float, shape: float, schedule: ImagingSchedule) -> float:
    """P(T > first scan day): the share that can show a response before any PD."""
    jit = list(schedule.jitters)
    return sum(weibull_survival(schedule.interval_days + j, shape, scale) for j in jit) / len(jit)


def weibull_scale_for_median(median: float, shape: float) -> float:
    """λ with S(median) = 1/2: λ = median / (ln 2)^(1/k)."""
    scale: float = median / math.log(2.0) ** (1.0 / shape)
    return scale
