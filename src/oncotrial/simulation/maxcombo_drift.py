"""Means of the FH statistics of a MaxCombo design under the alternative (asymptotic drift).

For the weighted log-rank score of weight :math:`w_a` at calendar time :math:`c`,
:math:`U_a(c) = \\sum_{\\text{events}} w_a(\\hat S(t-))\\,(E_1 - O_1)` (positive favours the experimental
arm, as the reported z of the kernels: :math:`Z = -\\sum w (O_1 - E_1)/\\sqrt{\\sum w^2 V}`), the
compensator of :math:`O_1 - E_1` gives

.. math:: E\\,U_a(c) \\approx n \\int_0^c w_a(\\bar S(u))
          \\frac{y_1(u)\\,y_0(u)}{y_1(u) + y_0(u)}\\,\\big(h_0(u) - h_1(u)\\big)\\,du,

with the at-risk proportions (per randomised patient) :math:`y_1 = r S_1 G_1 A(c - u)`,
:math:`y_0 = (1 - r) S_0 G_0 A(c - u)`, :math:`S_j, h_j` the arms' marginal PFS survival and hazard
(strata and response mixed in), :math:`G_j` their dropout survival, :math:`A` the accrual distribution,
:math:`r` the experimental share (Schoenfeld, Biometrika 1981;68:316-319; Lakatos, Biometrics
1988;44:229-241; for FH weights Yung & Liu, Biometrics 2020;76:939-950 and gsDesign2 ``gs_info_wlr``
with npsurvSS arms, written from the formulas). With :math:`y_j h_j = r_j A G_j f_j` this is

.. math:: E\\,U_a(c) \\approx n\\,r(1-r) \\int_0^c w_a(\\bar S)\\,A(c - u)\\,G_0 G_1
          \\frac{S_1 f_0 - S_0 f_1}{r S_1 G_1 + (1-r) S_0 G_0}\\,du.

The pooled Kaplan–Meier converges to :math:`\\bar S(u) = \\exp(-\\int_0^u \\frac{y_1 h_1 + y_0 h_0}
{y_1 + y_0})` (accrual cancels; :math:`r S_1 + (1 - r) S_0` when the dropout hazards are equal). The
statistic's variance estimate :math:`\\sum w^2 \\frac{Y_1 Y_0}{Y^2}` over events converges to

.. math:: V_a(c) = n \\int_0^c w_a^2\\,\\frac{y_1 y_0}{(y_1 + y_0)^2}\\,(y_1 h_1 + y_0 h_0)\\,du,

so the mean of :math:`Z_{a,k}` is :math:`\\mu_{a,k} = E\\,U_a(c_k) / \\sqrt{V_a(c_k)}`, where
:math:`c_k` is the alternative's look time (event-driven looks: where the expected number of events
of both arms, :math:`n\\int (r G_1 f_1 + (1 - r) G_0 f_0) A(c - u) du`, reaches :math:`D_k`). Under
:math:`H_0` (:math:`S_1 = S_0`) :math:`V_a` is the planning information :math:`I_{aa}` of
:mod:`.maxcombo_design`. The integrals use the midpoint rule on 20,000 steps, as the planning ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.maxcombo_design import STEPS, WEIGHTS, ArmLaw, FloatArray, Planning
from oncotrial.simulation.outcome_calibration import marginal_pfs
from oncotrial.simulation.scenario import CutKind


@dataclass(frozen=True)
class Drift:
    """The FH statistics' means under the alternative, index ``4k + a`` (look k, weight a)."""

    times: tuple[float, ...]   # the alternative's calendar times of the looks
    mean: FloatArray           # (4K,) E[Z_{a,k}]
    score: FloatArray          # (4K,) E[U_a(c_k)]
    variance: FloatArray       # (4K,) V_a(c_k)


def _survival(planning: Planning, arm: ArmLaw, t: FloatArray) -> FloatArray:
    return np.asarray(marginal_pfs(t, arm.pfs, planning.strata, arm.orr, arm.multipliers), dtype=np.float64)


@dataclass(frozen=True)
class _Cells:
    """Midpoint cells of :math:`[0, c]`: event mass, survival and dropout survival of both arms."""

    mid: FloatArray
    mass: tuple[FloatArray, FloatArray]      # S_j(u_i) - S_j(u_{i+1}), (control, experimental)
    surv: tuple[FloatArray, FloatArray]      # S_j at the midpoints
    kept: tuple[FloatArray, FloatArray]      # G_j at the midpoints


def _cells(planning: Planning, c: float) -> _Cells:
    if planning.experimental is None:
        raise ValueError("the planning trial has no experimental arm (alternative)")
    grid = np.linspace(0.0, c, STEPS + 1)
    mid = 0.5 * (grid[:-1] + grid[1:])
    arms = (planning.control, planning.experimental)
    edges = [_survival(planning, a, grid) for a in arms]
    mass = (edges[0][:-1] - edges[0][1:], edges[1][:-1] - edges[1][1:])
    surv = (_survival(planning, arms[0], mid), _survival(planning, arms[1], mid))
    kept = (np.exp(-arms[0].dropout * mid), np.exp(-arms[1].dropout * mid))
    return _Cells(mid, mass, surv, kept)


def expected_events(planning: Planning, c: float) -> float:
    """Expected number of PFS events of both arms by calendar time ``c`` under the alternative."""
    x = _cells(planning, c)
    r = planning.experimental_fraction
    density = r * x.kept[1] * x.mass[1] + (1.0 - r) * x.kept[0] * x.mass[0]
    return float(planning.patients * np.sum(density * planning.accrued(c - x.mid)))


def alternative_times(planning: Planning, where: str) -> tuple[float, ...]:
    """Calendar times of the looks under the alternative (event-driven: expected events reach D_k)."""
    if planning.cut is CutKind.CALENDAR:
        return planning.looks
    times = []
    for d in planning.looks:
        hi = planning.accrual.duration
        while expected_events(planning, hi) < d:
            hi *= 2.0
            if hi > 5000.0:
                raise ScenarioError(where, list(planning.looks),
                                    f"event looks the trial reaches under the alternative: about "
                                    f"{expected_events(planning, hi):.1f} events are expected at most")
        times.append(float(brentq(lambda c, d=d: expected_events(planning, c) - d, 1e-9, hi, xtol=1e-10)))
    return tuple(times)


def drift(planning: Planning, where: str = "analysis.looks") -> Drift:
    """Means of the 4K FH statistics under the alternative (see the module)."""
    times = alternative_times(planning, where)
    x = _cells(planning, times[-1])
    r = planning.experimental_fraction
    s0, s1 = x.surv
    g0, g1 = x.kept
    f0, f1 = x.mass
    pooled_at_risk = r * s1 * g1 + (1.0 - r) * s0 * g0
    pooled_events = r * g1 * f1 + (1.0 - r) * g0 * f0
    step = pooled_events / pooled_at_risk                    # pooled cumulative hazard of each cell
    s_bar = np.exp(-(np.cumsum(step) - 0.5 * step))          # pooled KM limit at the midpoints
    w = np.stack([s_bar ** rho * (1.0 - s_bar) ** gamma for rho, gamma in WEIGHTS])
    scale = planning.patients * r * (1.0 - r)
    score_cell = scale * g0 * g1 * (s1 * f0 - s0 * f1) / pooled_at_risk
    var_cell = scale * s1 * g1 * s0 * g0 * pooled_events / pooled_at_risk ** 2
    score, variance = [], []
    for c in times:
        a = planning.accrued(c - x.mid)
        score.append(w @ (score_cell * a))
        variance.append((w * w) @ (var_cell * a))
    u, v = np.concatenate(score), np.concatenate(variance)
    return Drift(times, u / np.sqrt(v), u, v)
