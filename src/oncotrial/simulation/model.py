"""A scenario compiled to the arrays the engines read (both engines read the same numbers).

:func:`compile_scenario` turns a :class:`~.scenario.Scenario` into a :class:`TrialModel`: fixed
entry times (rpact's deterministic accrual) or the accrual distribution's inverse table, the
allocation pattern, stratum thresholds, event-time inversion tables per arm, dropout hazards,
looks, tests and bounds. Nothing here is random.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oncotrial.core.randomization.minimization import ImbalanceMethod
from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.distributions import inverse_table
from oncotrial.simulation.outcome_calibration import response_multipliers
from oncotrial.simulation.philox import seed_key
from oncotrial.simulation.scenario import (
    Accrual,
    AccrualTiming,
    AllocationMethod,
    CutKind,
    Scenario,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

ALLOC_FIXED = 0
ALLOC_SIMPLE = 1
ALLOC_BLOCKS = 2
ALLOC_MINIMIZATION = 3


@dataclass(frozen=True)
class TrialModel:
    """Numbers of one scenario for the kernels (arm 0 = control, arm 1 = experimental)."""

    n: int
    key: tuple[int, int]
    accrual_random: bool
    entry_fixed: FloatArray      # (n,) rpact's deterministic entry times (unused when random)
    accrual_p: FloatArray        # (P+1,) cumulative share of patients at the piece boundaries
    accrual_t: FloatArray        # (P+1,) the boundary times
    accrual_slope: FloatArray    # (P,) months per unit of share in each piece
    alloc: int
    arm_fixed: IntArray          # (n,) alternating pattern, 1 = experimental
    p_experimental: float
    ratio: IntArray              # (2,) experimental, control
    block_sizes: IntArray
    strata_cum: FloatArray       # (S-1,) cumulative prevalences
    strata_inv_mult: FloatArray  # (S,) 1 / hazard multiplier
    dist_kind: IntArray          # (2,)
    starts: FloatArray           # (2, pieces)
    cumhaz: FloatArray           # (2, pieces)
    inv_rates: FloatArray        # (2, pieces)
    inv_shape: FloatArray        # (2,)
    scale: FloatArray            # (2,)
    cure: FloatArray             # (2,)
    inv_dropout: FloatArray      # (2,) 1 / dropout hazard (inf = none)
    has_dropout: bool
    cut_events: bool
    looks: FloatArray            # (K,) events or months
    tests: IntArray              # (T,) StatTest codes; tests[0] is primary
    landmark: float
    fh_rho: float
    fh_gamma: float
    rmst_tau: float
    efficacy: FloatArray         # (K,)
    futility: FloatArray         # (K,) -inf where none (always at the last look)
    horizon: float               # rough calendar time of the last look (bucket scale only)
    has_response: bool = False
    orr: FloatArray = dataclasses.field(default_factory=lambda: np.zeros(2))        # (2,) per arm
    inv_resp: FloatArray = dataclasses.field(default_factory=lambda: np.ones((2, 2)))  # [arm, responder]
    evaluable_after: float = 0.0
    has_os: bool = False
    inv_pps: FloatArray = dataclasses.field(default_factory=lambda: np.full(2, np.inf))  # 1 / PPS hazard
    has_dwp: bool = False
    dwp: FloatArray = dataclasses.field(default_factory=lambda: np.zeros((3, 1)))
    """(3, P) deaths / PFS events by time since entry: row 0 the piece starts (both arms' starts merged,
    0 first), row ``1 + arm`` that arm's share in each piece (one packed array, so the kernels' signature
    keeps one argument for it)."""
    mc_sided: int = 1  # MaxCombo: 1 one-sided (max Z), 2 two-sided (max |Z|)
    min_levels: IntArray = dataclasses.field(default_factory=lambda: np.zeros((1, 1), np.int64))
    """(S, F) minimization: row of the (factor, level) counter of stratum s for factor f."""
    min_weights: FloatArray = dataclasses.field(default_factory=lambda: np.ones(1))  # (F,)
    min_p: float = 1.0
    min_variance: bool = False

    @property
    def n_strata(self) -> int:
        return int(self.strata_inv_mult.size)

    @property
    def k_max(self) -> int:
        return int(self.looks.size)


def deterministic_entries(accrual: Accrual, n: int) -> FloatArray:
    """rpact's ``getSimulationSurvival`` entry times (``accrualTimeValue`` in its R code).

    Piece ``j`` of length :math:`\\ell_j` and intensity :math:`a_j` has density
    :math:`d_j = a_j / \\sum a \\ell` and ``round(d_j l_j n)`` patients spaced :math:`1/(d_j n)` apart,
    cumulated over the pieces; missing trailing entries are set to the accrual end.
    """
    ends = np.asarray(accrual.ends)
    starts = np.concatenate([[0.0], ends[:-1]])
    length = ends - starts
    rates = np.asarray(accrual.rates)
    density = rates / float(np.sum(length * rates))
    reps = np.round(density * length * n).astype(int)  # R's round: half to even, like NumPy
    if np.all(reps > 0):
        times = np.cumsum(np.repeat(1.0 / (density * n), reps))
    else:
        parts = [np.cumsum(np.repeat(1.0 / (density[0] * n), reps[0]))]
        for j in range(1, len(rates)):
            if reps[j] > 0:
                parts.append(starts[j] + np.cumsum(np.repeat(1.0 / (density[j] * n), reps[j])))
        times = np.concatenate(parts)
    out = np.full(n, ends[-1])
    out[: min(n, times.size)] = times[:n]
    return out


def _accrual_table(accrual: Accrual) -> tuple[FloatArray, FloatArray, FloatArray]:
    ends = np.asarray(accrual.ends)
    t = np.concatenate([[0.0], ends])
    mass = np.asarray(accrual.rates) * np.diff(t)
    p = np.concatenate([[0.0], np.cumsum(mass) / mass.sum()])
    p[-1] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(np.diff(p) > 0, np.diff(t) / np.diff(p), 0.0)
    return p, t, slope


def allocation_pattern(ratio: tuple[int, int], n: int) -> IntArray:
    """rpact's ``treatmentGroup``: ``ratio[0]`` experimental then ``ratio[1]`` control, repeated."""
    block = [1] * ratio[0] + [0] * ratio[1]
    return np.array([block[i % len(block)] for i in range(n)], dtype=np.int64)


def compile_scenario(s: Scenario) -> TrialModel:
    """Compile ``s`` for the engines."""
    pieces = max(len(s.control.starts), len(s.experimental.starts))
    tables = [inverse_table(d, pieces) for d in (s.control, s.experimental)]
    p, t, slope = _accrual_table(s.accrual)
    cum = np.cumsum([st.prevalence for st in s.strata])[:-1]
    a = s.analysis
    alloc = {AllocationMethod.ALTERNATING: ALLOC_FIXED, AllocationMethod.SIMPLE: ALLOC_SIMPLE,
             AllocationMethod.PERMUTED_BLOCKS: ALLOC_BLOCKS,
             AllocationMethod.MINIMIZATION: ALLOC_MINIMIZATION}[s.allocation.method]
    futility = np.array([s.bounds.futility_at(k) for k in range(a.k_max)])
    futility[-1] = -math.inf
    return _with_outcomes(s, TrialModel(
        n=s.patients, key=seed_key(s.seed), accrual_random=s.accrual.timing is AccrualTiming.RANDOM,
        entry_fixed=deterministic_entries(s.accrual, s.patients), accrual_p=p, accrual_t=t,
        accrual_slope=slope,
        alloc=alloc, arm_fixed=allocation_pattern(s.allocation.ratio, s.patients),
        p_experimental=s.allocation.experimental_fraction,
        ratio=np.array(s.allocation.ratio, dtype=np.int64),
        block_sizes=np.array(s.allocation.block_sizes, dtype=np.int64),
        strata_cum=np.asarray(cum, dtype=np.float64),
        strata_inv_mult=np.array([1.0 / st.hazard_multiplier for st in s.strata]),
        dist_kind=np.array([tb.kind for tb in tables], dtype=np.int64),
        starts=np.stack([tb.starts for tb in tables]), cumhaz=np.stack([tb.cumhaz for tb in tables]),
        inv_rates=np.stack([tb.inv_rates for tb in tables]),
        inv_shape=np.array([tb.inv_shape for tb in tables]), scale=np.array([tb.scale for tb in tables]),
        cure=np.array([tb.cure for tb in tables]),
        inv_dropout=np.array([1.0 / d if d > 0 else math.inf for d in s.dropout]),
        has_dropout=any(d > 0 for d in s.dropout), cut_events=a.cut is CutKind.EVENTS,
        looks=np.array(a.looks, dtype=np.float64), tests=np.array([x.code for x in a.tests], dtype=np.int64),
        landmark=a.landmark, fh_rho=a.fh_rho, fh_gamma=a.fh_gamma, rmst_tau=a.rmst_tau,
        mc_sided=a.maxcombo_sided,
        efficacy=np.array(s.bounds.efficacy, dtype=np.float64), futility=futility,
        horizon=_horizon(s)))


def _with_outcomes(s: Scenario, m: TrialModel) -> TrialModel:
    """Add the minimization, response and OS numbers (see :mod:`.outcome_calibration`)."""
    d = s.allocation.minimization
    if d is not None:
        offsets = np.cumsum([0] + [len(levels) for _, levels in d.factors])
        names = [st.name for st in s.strata]
        rows = [[int(offsets[f]) + (levels.index(dict(st.levels)[code]) if st.levels
                                    else names.index(st.name))
                 for f, (code, levels) in enumerate(d.factors)] for st in s.strata]
        m = dataclasses.replace(m, min_levels=np.array(rows, dtype=np.int64),
                                min_weights=np.array(d.weights, dtype=np.float64), min_p=d.p,
                                min_variance=d.method is ImbalanceMethod.VARIANCE)
    if s.response is not None:
        mult = response_multipliers(s.response, (s.control, s.experimental), s.strata, s.analysis.landmark)
        m = dataclasses.replace(m, has_response=True, orr=np.array(s.response.orr, dtype=np.float64),
                                inv_resp=1.0 / np.array(mult, dtype=np.float64),
                                evaluable_after=s.response.evaluable_after)
    os_ = s.overall_survival
    if os_ is not None:
        m = dataclasses.replace(m, has_os=True, inv_pps=1.0 / np.array(os_.pps_rates, dtype=np.float64),
                                has_dwp=any(x > 0 for d in os_.death_share for x in d.shares),
                                dwp=death_share_table(os_.death_share))
    return m


def death_share_table(shares: tuple[DeathShare, DeathShare]) -> FloatArray:
    """``TrialModel.dwp``: the union of both arms' piece starts, then each arm's share on those pieces."""
    starts = sorted(set(shares[0].starts) | set(shares[1].starts))
    return np.array([starts, *[[d.at(b) for b in starts] for d in shares]], dtype=np.float64)


def _horizon(s: Scenario) -> float:
    """A rough calendar time of the last look, from the expected number of events (bucket scale only)."""
    a = s.analysis
    if a.cut is CutKind.CALENDAR:
        return a.looks[-1]
    target = a.looks[-1] / s.patients
    lo, hi = 0.0, s.accrual.duration + 1.0
    for _ in range(60):
        if _expected_event_share(s, hi) >= target or hi > 1e5:
            break
        hi *= 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _expected_event_share(s, mid) < target else (lo, mid)
    return max(hi, 1e-3)


def _expected_event_share(s: Scenario, c: float) -> float:
    grid = (np.arange(64) + 0.5) / 64.0 * min(c, s.accrual.duration)
    share = 0.0
    for d in (s.control, s.experimental):
        share += float(np.mean([1.0 - d.survival(max(c - e, 0.0)) for e in grid]))
    return 0.5 * share * min(1.0, c / s.accrual.duration)
