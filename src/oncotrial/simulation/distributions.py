"""Event-time distributions: cumulative hazards and their inverses, the same in every engine.

A distribution is a cumulative hazard :math:`H(t)` (Klein & Moeschberger, *Survival Analysis*,
2nd ed., §2.3), optionally mixed with a cure fraction :math:`\\pi`:

* piecewise exponential with piece starts :math:`0 = s_0 < s_1 < \\dots` and hazards
  :math:`\\lambda_j`: :math:`H(t) = H_j + \\lambda_j (t - s_j)` on :math:`[s_j, s_{j+1})`;
  the exponential is the one-piece case;
* Weibull: :math:`H(t) = (t / \\text{scale})^{\\text{shape}}`;
* cure fraction: :math:`S(t) = \\pi + (1 - \\pi) e^{-H(t)}`.

Event times are drawn by inversion. A patient with prognostic hazard multiplier :math:`m` has
:math:`S_m(t) = S(t)^m`; with a uniform :math:`U`, :math:`E = -\\log U / m` and
:math:`T = S^{-1}(e^{-E})` (:math:`T = \\infty` when :math:`e^{-E} \\le \\pi`). Both engines apply
:func:`inverse_np` (or its numba twin in :mod:`.numba_generation`) with the same operations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


class DistributionKind(StrEnum):
    EXPONENTIAL = "exponential"
    PIECEWISE_EXPONENTIAL = "piecewise_exponential"
    WEIBULL = "weibull"


@dataclass(frozen=True, slots=True)
class EventDistribution:
    """Time to event (months) in one arm.

    ``starts``/``rates`` describe the piecewise exponential (one piece for the exponential);
    ``shape``/``scale`` the Weibull. ``cure_fraction`` is :math:`\\pi` (0 for none).
    """

    kind: DistributionKind
    starts: tuple[float, ...] = (0.0,)
    rates: tuple[float, ...] = (1.0,)
    shape: float = 1.0
    scale: float = 1.0
    cure_fraction: float = 0.0

    # -- the latent (non-cured) part ---------------------------------------------------------
    def latent_cumulative_hazard(self, t: float) -> float:
        if self.kind is DistributionKind.WEIBULL:
            return float((t / self.scale) ** self.shape)
        h = 0.0
        for j, (s, r) in enumerate(zip(self.starts, self.rates, strict=True)):
            end = self.starts[j + 1] if j + 1 < len(self.starts) else math.inf
            if t <= s:
                break
            h += r * (min(t, end) - s)
        return h

    def survival(self, t: float) -> float:
        """:math:`S(t)` including the cure fraction."""
        s0 = math.exp(-self.latent_cumulative_hazard(t))
        return self.cure_fraction + (1.0 - self.cure_fraction) * s0

    def survival_array(self, t: FloatArray) -> FloatArray:
        """Vectorised :meth:`survival` (same formulas)."""
        t = np.asarray(t, dtype=np.float64)
        if self.kind is DistributionKind.WEIBULL:
            h = (t / self.scale) ** self.shape
        else:
            h = np.zeros_like(t)
            for j, (s, r) in enumerate(zip(self.starts, self.rates, strict=True)):
                end = self.starts[j + 1] if j + 1 < len(self.starts) else math.inf
                h = h + r * np.clip(np.minimum(t, end) - s, 0.0, None)
        return np.asarray(self.cure_fraction + (1.0 - self.cure_fraction) * np.exp(-h), dtype=np.float64)

    def hazard_at(self, t: float) -> float:
        """Latent hazard at ``t`` (piecewise kinds: the rate of the piece holding ``t``)."""
        if self.kind is DistributionKind.WEIBULL:
            return float(self.shape / self.scale * (t / self.scale) ** (self.shape - 1.0))
        j = max(i for i, s in enumerate(self.starts) if s <= t)
        return self.rates[j]

    def with_hazard_ratio(self, hr: float) -> EventDistribution:
        """Proportional hazards on the latent part: :math:`H \\to \\text{hr} \\cdot H`."""
        if self.kind is DistributionKind.WEIBULL:
            scale = self.scale * hr ** (-1.0 / self.shape)
            return EventDistribution(self.kind, shape=self.shape, scale=scale,
                                     cure_fraction=self.cure_fraction)
        return EventDistribution(self.kind, self.starts, tuple(r * hr for r in self.rates),
                                 cure_fraction=self.cure_fraction)

    def median(self) -> float:
        """Median event time (``inf`` when the cure fraction is at least one half)."""
        return float(self.quantile_survival(0.5))

    def quantile_survival(self, s: float) -> float:
        """The time at which :math:`S(t) = s`."""
        if s <= self.cure_fraction:
            return math.inf
        e0 = -math.log((s - self.cure_fraction) / (1.0 - self.cure_fraction))
        return float(latent_inverse(self, np.array([e0]))[0])

    def describe(self) -> str:
        cure = f", cure fraction {self.cure_fraction:g}" if self.cure_fraction else ""
        if self.kind is DistributionKind.WEIBULL:
            return f"Weibull(shape {self.shape:g}, scale {self.scale:g}){cure}"
        if self.kind is DistributionKind.EXPONENTIAL:
            rate = self.rates[0]
            return f"exponential(rate {rate:.5g}/month, median {math.log(2) / rate:.3g}){cure}"
        pieces = ", ".join(f"from {s:g}: {r:.4g}" for s, r in zip(self.starts, self.rates, strict=True))
        return f"piecewise exponential({pieces}){cure}"


@dataclass(frozen=True, slots=True)
class InverseTable:
    """Numbers of :func:`inverse_np`, padded to a common piece count for the kernels."""

    kind: int           # 0 piecewise exponential, 1 Weibull
    starts: FloatArray  # s_j
    cumhaz: FloatArray  # H(s_j)
    inv_rates: FloatArray  # 1 / lambda_j (inf when lambda_j = 0)
    inv_shape: float
    scale: float
    cure: float


def inverse_table(d: EventDistribution, pieces: int) -> InverseTable:
    """Tabulate ``d`` for inversion, padding to ``pieces`` pieces (padding is never reached)."""
    if d.kind is DistributionKind.WEIBULL:
        zeros = np.zeros(pieces)
        return InverseTable(1, zeros, np.full(pieces, np.inf), zeros + 1.0, 1.0 / d.shape, d.scale,
                            d.cure_fraction)
    starts = np.full(pieces, np.inf)
    cum = np.full(pieces, np.inf)
    inv = np.ones(pieces)
    starts[: len(d.starts)] = d.starts
    h = 0.0
    for j, r in enumerate(d.rates):
        cum[j] = h
        inv[j] = 1.0 / r if r > 0 else np.inf
        if j + 1 < len(d.starts):
            h += r * (d.starts[j + 1] - d.starts[j])
    return InverseTable(0, starts, cum, inv, 1.0, 1.0, d.cure_fraction)


def latent_inverse(d: EventDistribution, e: FloatArray) -> FloatArray:
    """:math:`H^{-1}(e)` of the latent distribution (no cure fraction)."""
    t = inverse_table(d, len(d.starts))
    return _latent_inverse_table(t, e)


def _latent_inverse_table(t: InverseTable, e: FloatArray) -> FloatArray:
    if t.kind == 1:
        return np.asarray(t.scale * np.power(e, t.inv_shape), dtype=np.float64)
    j = np.searchsorted(t.cumhaz, e, side="right") - 1
    j = np.clip(j, 0, t.cumhaz.size - 1)
    with np.errstate(invalid="ignore"):
        out = t.starts[j] + (e - t.cumhaz[j]) * t.inv_rates[j]
    return np.where(np.isnan(out), np.inf, out)


def inverse_np(t: InverseTable, e: FloatArray) -> FloatArray:
    """Event times from :math:`E = -\\log U / m` (vectorised), cure fraction included.

    With a cure fraction :math:`\\pi`: :math:`S = e^{-E}`; :math:`T = \\infty` if
    :math:`S \\le \\pi`, else :math:`T = H^{-1}(-\\log((S - \\pi)/(1 - \\pi)))`.
    """
    if t.cure > 0.0:
        s = np.exp(-e)
        cured = s <= t.cure
        with np.errstate(divide="ignore", invalid="ignore"):
            e = -np.log((s - t.cure) / (1.0 - t.cure))
        e = np.where(cured, np.inf, e)
    return _latent_inverse_table(t, e)


def rate_from_survival(probability: float, at: float) -> float:
    """Exponential hazard with :math:`S(\\text{at}) = \\text{probability}`."""
    return -math.log(probability) / at


def weibull_scale_from_survival(probability: float, at: float, shape: float) -> float:
    """Weibull scale with :math:`S(\\text{at}) = \\text{probability}` for the given shape."""
    return float(at / (-math.log(probability)) ** (1.0 / shape))
