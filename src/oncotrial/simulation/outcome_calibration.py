"""Calibrate tumour response and overall survival so the scenario's stated rates hold.

**Response.** A patient of arm :math:`a` in stratum :math:`s` responds with probability
:math:`\\pi_a` (the target ORR). Responders have PFS hazard multiplier :math:`k_a h` and
non-responders :math:`k_a` (:math:`h` = ``pfs_hazard_multiplier``), so with the arm's survival
:math:`S_a` and stratum multipliers :math:`m_s` (prevalence :math:`p_s`) the marginal PFS is
:math:`\\sum_s p_s [\\pi_a S_a(t)^{m_s k_a h} + (1 - \\pi_a) S_a(t)^{m_s k_a}]`. The factor
:math:`k_a` solves this equal to :math:`\\sum_s p_s S_a(\\tau)^{m_s}` at the landmark :math:`\\tau`:
adding response leaves each arm's S(landmark) (e.g. the 6-month PFS rate) as it was.

**Overall survival**: a PFS event at time :math:`u` since entry is a death without progression with
probability :math:`\\pi_a(u)` (piecewise constant; then OS = PFS), else a progression followed by
post-progression survival :math:`P \\sim \\mathrm{Exp}(\\lambda_a)` independent of PFS given the arm
(OS = PFS + P): :math:`P(OS > t) = S_{PFS}(t) + \\int_0^t (1 - \\pi_a(u)) f_{PFS}(u) e^{-\\lambda_a (t-u)} du`
(the cumulative incidence of progression, Beyersmann et al., Stat Med 2009;28:956-971, convolved with
the PPS survival). Given a target median OS :math:`M_a`, :math:`\\lambda_a` solves
:math:`P(OS > M_a) = 1/2` (Brent's method; the integral by the midpoint rule on 20,000 steps plus the
share's piece starts, so :math:`\\pi_a` is constant on each step); it exists when
:math:`S_{PFS}(M_a) < 1/2 < S_{PFS}(M_a) + \\int_0^{M_a} (1 - \\pi_a(u)) f_{PFS}(u) du`. With one PPS
hazard for both arms (calibrated to the control arm), the experimental arm's implied median OS solves
:math:`P(OS > t) = 1/2` in :math:`t`. A patient with a cure-fraction PFS of infinity has OS infinity.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.distributions import EventDistribution
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.scenario import Response, Stratum

STEPS = 20_000
FloatArray = NDArray[np.float64]


def response_multipliers(response: Response, arms: tuple[EventDistribution, EventDistribution],
                         strata: tuple[Stratum, ...], landmark: float) -> tuple[tuple[float, float], ...]:
    """PFS hazard multipliers ``[arm][responder]`` (arm 0 control, 1 experimental)."""
    out = []
    for a, dist in enumerate(arms):
        s = dist.survival(landmark)
        pi = response.orr[a]
        h = response.pfs_hazard_multiplier
        if not 0.0 < s < 1.0 or h == 1.0:
            out.append((1.0, h))
            continue
        target = sum(st.prevalence * s ** st.hazard_multiplier for st in strata)

        def gap(k: float, s: float = s, pi: float = pi, target: float = target, h: float = h) -> float:
            return float(sum(st.prevalence * (pi * s ** (st.hazard_multiplier * k * h)
                                              + (1.0 - pi) * s ** (st.hazard_multiplier * k))
                             for st in strata) - target)

        k = float(brentq(gap, 1e-6, 1e6, xtol=1e-15, rtol=1e-15))
        out.append((k, k * h))
    return tuple(out)


def marginal_pfs(t: np.ndarray, dist: EventDistribution, strata: tuple[Stratum, ...], orr: float,
                 multipliers: tuple[float, float]) -> np.ndarray:
    """Marginal PFS survival of one arm at times ``t`` (mixture over strata and response)."""
    s = dist.survival_array(np.asarray(t, dtype=np.float64))
    out = np.zeros_like(s)
    for st in strata:
        out += st.prevalence * (orr * s ** (st.hazard_multiplier * multipliers[1])
                                + (1.0 - orr) * s ** (st.hazard_multiplier * multipliers[0]))
    return out


def _os_grid(t: float, dist: EventDistribution, strata: tuple[Stratum, ...], orr: float,
             multipliers: tuple[float, float], share: DeathShare
             ) -> tuple[FloatArray, float | FloatArray, FloatArray, float]:
    """Step midpoints, :math:`1 - \\pi` there, each step's PFS mass :math:`S(u_i) - S(u_{i+1})`, :math:`S(t)`.

    ``STEPS`` equal steps on :math:`[0, t]` plus the times inside it where the share changes, so that
    :math:`\\pi` is constant on every step; a share constant on :math:`[0, t)` gives the equal-step grid
    and one number (the arithmetic of a constant share, to the bit)."""
    grid = np.linspace(0.0, t, STEPS + 1)
    pieces = zip(share.starts[1:], share.shares[1:], share.shares[:-1], strict=True)
    inner = [b for b, now, before in pieces if now != before and 0.0 < b < t]
    if inner:
        grid = np.union1d(grid, inner)
    s = marginal_pfs(grid, dist, strata, orr, multipliers)
    mid = 0.5 * (grid[:-1] + grid[1:])
    keep: float | FloatArray = 1.0 - share.at(0.0)
    if inner:
        keep = 1.0 - np.asarray(share.shares)[np.searchsorted(share.starts, mid, side="right") - 1]
    return mid, keep, s[:-1] - s[1:], float(s[-1])


def _tail(keep: float | FloatArray, mass: FloatArray, factor: FloatArray | float) -> float:
    """:math:`\\sum_i (1 - \\pi_i) m_i w_i` (with one share, the factor outside the sum as before pieces)."""
    if isinstance(keep, float):
        return float(keep * np.sum(mass * factor))
    return float(np.sum(keep * mass * factor))


def os_survival(t: float, pps_rate: float, dist: EventDistribution, strata: tuple[Stratum, ...], orr: float,
                multipliers: tuple[float, float], death_share: float | DeathShare = 0.0) -> float:
    """:math:`P(OS > t) = S(t) + \\int_0^t (1 - \\pi(u)) f(u) e^{-\\lambda (t-u)} du`: OS = PFS for a death
    without progression (share ``death_share``, a number or piecewise in time since entry), else PFS + PPS."""
    mid, keep, mass, s_t = _os_grid(t, dist, strata, orr, multipliers, _as_share(death_share))
    return s_t + _tail(keep, mass, np.exp(-pps_rate * (t - mid)))


def pps_rate_for_median(median_os: float, dist: EventDistribution, strata: tuple[Stratum, ...], orr: float,
                        multipliers: tuple[float, float], field: str, death_share: float | DeathShare = 0.0
                        ) -> float:
    """The post-progression hazard that gives the arm a marginal median OS of ``median_os``.

    :math:`P(OS > M)` falls from :math:`S(M) + \\int_0^M (1 - \\pi(u)) f(u) du` (PPS hazard to 0) to
    :math:`S(M)` (hazard to infinity); a target outside that range is refused naming ``field``."""
    share = _as_share(death_share)
    mid, keep, mass, s_m = _os_grid(median_os, dist, strata, orr, multipliers, share)
    if s_m >= 0.5:
        raise ScenarioError(field, median_os, "a median OS longer than the arm's median PFS "
                            f"(PFS survival at {median_os:g} months is {s_m:.3f})")
    ceiling = s_m + _tail(keep, mass, 1.0)
    if ceiling <= 0.5 + 1e-9:
        raise ScenarioError(field, median_os, "a median OS that patients who progress can reach: with "
                            f"{share.words()} of PFS events being deaths, P(OS > {median_os:g}) is at "
                            f"most {ceiling:.3f} (a shorter median OS, or fewer deaths without progression)")

    def gap(log_rate: float) -> float:
        return s_m + _tail(keep, mass, np.exp(-math.exp(log_rate) * (median_os - mid))) - 0.5

    return math.exp(float(brentq(gap, math.log(1e-9), math.log(1e4), xtol=1e-14, rtol=1e-14)))


def _as_share(share: float | DeathShare) -> DeathShare:
    return share if isinstance(share, DeathShare) else DeathShare.constant(share)


def implied_median_os(pps_rate: float, dist: EventDistribution, strata: tuple[Stratum, ...], orr: float,
                      multipliers: tuple[float, float], death_share: float | DeathShare = 0.0) -> float:
    """The marginal median OS of an arm with the given PPS hazard (``inf`` when OS never falls to 1/2)."""
    def gap(t: float) -> float:
        return os_survival(t, pps_rate, dist, strata, orr, multipliers, death_share) - 0.5

    hi = 1.0
    while gap(hi) > 0.0:
        hi *= 2.0
        if hi > 1e5:
            return math.inf
    return float(brentq(gap, 0.0, hi, xtol=1e-10, rtol=1e-12))
