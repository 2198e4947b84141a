"""Group sequential MaxCombo bounds from the joint covariance of the FH statistics across looks.

At look :math:`k` the MaxCombo statistic is :math:`G_k = \\max_a Z_{a,k}` (two-sided:
:math:`\\max_a |Z_{a,k}|`) over FH(0,0), FH(0,1), FH(1,0), FH(1,1). Efficacy bounds :math:`b_k` spend
:math:`\\alpha^*(t_k)` (Lan–DeMets) over the joint normal law of all :math:`4K` statistics:

.. math:: P_{H_0}(G_1 < b_1, \\dots, G_k < b_k) = 1 - \\alpha^*(t_k),

the construction of gsDesign2 ``gs_design_combo``/``gs_info_combo`` (Anderson et al., *Group
sequential design*, Deming conference 2021, ch. 8 "MaxCombo test",
keaven.github.io/gsd-deming/maxcombo.html; Wang, Luo & Zheng, Pharm Stat 2021;20:879-897) for the
MaxCombo test of Lin et al. (Stat Biopharm Res 2020;12:187-198) and Karrison (Stata J 2016;16:678-690),
here written from the formulas (gsDesign2 and simtrial are GPL: nothing is ported). Under :math:`H_0`
the score processes have independent increments in calendar time (Tsiatis, JASA 1982;77:855-861),
so with the expected (planning) information

.. math:: I_{ab}(c) = n\\,r(1-r) \\int_0^{c} w_a(S(u))\\,w_b(S(u))\\,f(u)\\,G(u)\\,A(c - u)\\,du,

:math:`\\mathrm{Cov}(U_{a,j}, U_{b,k}) = I_{ab}(c_{\\min(j,k)})`. Here :math:`S, f` are the control arm's
marginal PFS survival and density (strata and response mixed in), :math:`G` its dropout survival,
:math:`A` the accrual distribution, :math:`r` the experimental share, :math:`w_a` the FH weights
:math:`S^\\rho (1 - S)^\\gamma` (the pooled Kaplan–Meier converges to :math:`S`), :math:`c_k` the look's
calendar time (event-driven looks: where the expected number of events reaches :math:`D_k`). The
integral uses the midpoint rule on 20,000 steps. Look 1 is solved with the deterministic quadrature of
:mod:`.mvn_orthant` (:mod:`.mvn_two_sided`), later looks with :mod:`.mvn_genz`.

The kernels compare each trial's *nominal* MaxCombo p-value (from its own look-:math:`k` covariance)
with :math:`\\pi_k = P(G_k \\ge b_k)` under the planning covariance, i.e. the reported z with
:math:`c_k = -\\Phi^{-1}(\\pi_k)` (two-sided :math:`-\\Phi^{-1}(\\pi_k / 2)`); under the planning law this
is the same test as :math:`G_k \\ge b_k`. Binding futility bounds: :mod:`.maxcombo_binding`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import ndtri

from oncotrial.design.spending import SpendingFunction
from oncotrial.simulation.distributions import EventDistribution
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.mvn_genz import Factor, QmcRule, factor, rectangle_probability
from oncotrial.simulation.mvn_orthant import maxcombo_pvalue_np
from oncotrial.simulation.mvn_two_sided import maxcombo_pvalue_two_sided_np
from oncotrial.simulation.outcome_calibration import marginal_pfs
from oncotrial.simulation.scenario import Accrual, CutKind, Stratum

FloatArray = NDArray[np.float64]
STEPS = 20_000
WEIGHTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
"""FH(rho, gamma) in the kernels' order."""
SOV_ORDER = (1, 2, 3, 0)
"""Variables of a look in the order given to the Cholesky factor: Z00 last (it depends on Z01, Z10)."""


@dataclass(frozen=True)
class ArmLaw:
    """One arm's PFS law for planning: distribution, ORR and response multipliers, dropout hazard."""

    pfs: EventDistribution
    orr: float
    multipliers: tuple[float, float]
    dropout: float


@dataclass(frozen=True)
class Planning:
    """The H0 trial the bounds are planned on: the control arm's PFS in both arms.

    ``experimental`` is the scenario's experimental arm (the alternative), used only for the FH
    statistics' means under the alternative (:mod:`.maxcombo_drift`, beta spending); the covariance
    and the efficacy bounds stay those of the H0 trial.
    """

    patients: int
    accrual: Accrual
    pfs: EventDistribution
    strata: tuple[Stratum, ...]
    orr: float
    multipliers: tuple[float, float]
    dropout: float
    experimental_fraction: float
    cut: CutKind
    looks: tuple[float, ...]
    experimental: ArmLaw | None = None

    @property
    def control(self) -> ArmLaw:
        """The control arm's law (both arms under H0)."""
        return ArmLaw(self.pfs, self.orr, self.multipliers, self.dropout)

    def survival(self, t: FloatArray) -> FloatArray:
        s = marginal_pfs(t, self.pfs, self.strata, self.orr, self.multipliers)
        return np.asarray(s, dtype=np.float64)

    def accrued(self, t: FloatArray) -> FloatArray:
        """Share of patients entered by calendar time ``t`` (piecewise-linear accrual distribution)."""
        ends = np.array((0.0, *self.accrual.ends))
        mass = np.concatenate([[0.0], np.cumsum(np.asarray(self.accrual.rates) * np.diff(ends))])
        return np.asarray(np.interp(t, ends, mass / mass[-1], left=0.0, right=1.0), dtype=np.float64)

    def _cells(self, c: float) -> tuple[FloatArray, FloatArray, FloatArray]:
        grid = np.linspace(0.0, c, STEPS + 1)
        s = self.survival(grid)
        mid = 0.5 * (grid[:-1] + grid[1:])
        return mid, (s[:-1] - s[1:]) * np.exp(-self.dropout * mid), self.survival(mid)

    def expected_events(self, c: float) -> float:
        mid, density, _ = self._cells(c)
        return float(self.patients * np.sum(density * self.accrued(c - mid)))

    def look_times(self, where: str) -> tuple[float, ...]:
        """Calendar times of the looks (event-driven: where the expected events reach the target)."""
        if self.cut is CutKind.CALENDAR:
            return self.looks
        times = []
        for d in self.looks:
            hi = self.accrual.duration
            while self.expected_events(hi) < d:
                hi *= 2.0
                if hi > 5000.0:
                    raise ScenarioError(where, list(self.looks),
                                        f"event looks the planning (H0) trial reaches: about "
                                        f"{self.expected_events(hi):.1f} events are expected at most")
            times.append(float(brentq(lambda c, d=d: self.expected_events(c) - d, 1e-9, hi, xtol=1e-10)))
        return tuple(times)

    def covariance(self, times: tuple[float, ...]) -> FloatArray:
        """(4K, 4K) covariance of the FH scores, index ``4k + a`` (look k, weight a of :data:`WEIGHTS`)."""
        mid, density, s = self._cells(times[-1])
        w = np.stack([s ** rho * (1.0 - s) ** gamma for rho, gamma in WEIGHTS])
        scale = self.patients * self.experimental_fraction * (1.0 - self.experimental_fraction)
        info = [scale * np.einsum("ai,bi,i->ab", w, w, density * self.accrued(c - mid)) for c in times]
        k = len(times)
        cov = np.empty((4 * k, 4 * k))
        for j in range(k):
            for m in range(k):
                cov[4 * j: 4 * j + 4, 4 * m: 4 * m + 4] = info[min(j, m)]
        return cov


@dataclass(frozen=True)
class MaxComboBounds:
    """Bounds of a group sequential MaxCombo design and what they were computed from."""

    statistic: tuple[float, ...]    # b_k on max Z (or max |Z|)
    nominal: tuple[float, ...]      # pi_k = P(G_k >= b_k): nominal p-value bound at look k
    z: tuple[float, ...]            # c_k on the kernels' reported z scale
    cumulative_alpha: tuple[float, ...]  # alpha*(t_k) targeted
    achieved: float                 # P(reject at some look) under the planning law (quasi-Monte Carlo)
    achieved_se: float
    times: tuple[float, ...]        # planning calendar times of the looks
    covariance: FloatArray
    futility_statistic: tuple[float, ...] = ()  # binding futility bounds g_k on max Z (-inf: none)


def nominal_p(b: float, cov4: FloatArray, sided: int) -> float:
    """:math:`P(G \\ge b)` for one look's (4, 4) FH covariance (deterministic quadrature)."""
    c, v = np.array([b]), cov4[None, :, :]
    p = maxcombo_pvalue_two_sided_np(c, v) if sided == 2 else maxcombo_pvalue_np(c, v)
    return float(p[0])


def nominal_bound(cov4: FloatArray, level: float, sided: int, lowest: float = 0.0) -> float:
    """The ``b`` with :math:`P(G \\ge b) = ` ``level`` at one look: two vectorised grids, then
    interpolation of :math:`\\log p` (smooth and decreasing in ``b``). The search runs over
    ``[lowest, 12]`` and returns ``lowest`` when even that is not low enough."""
    lo, hi = lowest, 12.0
    for size in (round(8 * (hi - lo)) + 1, 129):  # spacing 1/8, then about 1e-3: interpolating
        # log p is then exact to ~1e-7
        grid = np.linspace(lo, hi, size)
        v = np.broadcast_to(cov4, (grid.size, 4, 4))
        p = maxcombo_pvalue_two_sided_np(grid, v) if sided == 2 else maxcombo_pvalue_np(grid, v)
        i = int(np.searchsorted(-p, -level, side="left"))  # first grid point with p <= level
        if i == 0:
            return lo
        if i == grid.size:
            raise ValueError(f"no bound below {hi:g} reaches the level {level:g}")
        lo, hi = float(grid[i - 1]), float(grid[i])
        plo, phi = math.log(p[i - 1]), math.log(p[i])
    return lo + (hi - lo) * (plo - math.log(level)) / (plo - phi)


def sov_order(looks: int) -> list[int]:
    """Indices ``4k + a`` of the first ``looks`` looks in the order of :func:`reordered`."""
    return [4 * j + a for j in reversed(range(looks)) for a in SOV_ORDER]


def reordered(cov: FloatArray, looks: int) -> FloatArray:
    """The first ``looks`` looks' covariance, last look first and Z00 last within each look."""
    order = sov_order(looks)
    return np.asarray(cov[np.ix_(order, order)], dtype=np.float64)


def no_crossing(f: Factor, bounds: list[float], sided: int, nodes: FloatArray) -> tuple[float, float]:
    """:math:`P(G_j < b_j,\\ j = 1..k)` (estimate, standard error) for the factor of :func:`reordered`."""
    upper = np.repeat(bounds[::-1], 4)
    lower = -upper if sided == 2 else np.full(upper.size, -np.inf)
    return rectangle_probability(f, lower, upper, nodes)


def maxcombo_bounds(cov: FloatArray, rates: tuple[float, ...], spending: SpendingFunction, alpha: float,
                    sided: int, times: tuple[float, ...] = (), rule: QmcRule | None = None
                    ) -> MaxComboBounds:
    """Efficacy bounds of the max statistic spending ``alpha`` at information ``rates`` (see module)."""
    rule = rule or QmcRule()
    k_max = len(rates)
    spent = tuple(spending.cumulative(alpha, t, sided) for t in rates)
    nodes = rule.nodes(3 * k_max)
    b: list[float] = []
    for k in range(k_max):
        block = cov[4 * k: 4 * k + 4, 4 * k: 4 * k + 4]
        if k == 0:
            b.append(nominal_bound(block, spent[0], sided))
            continue
        f = factor(reordered(cov, k + 1))
        target = 1.0 - spent[k]

        def gap(x: float, f: Factor = f, target: float = target) -> float:
            return no_crossing(f, [*b, x], sided, nodes)[0] - target

        # P(G_k >= b) - alpha*(t_{k-1}) <= P(no crossing before, G_k >= b) <= P(G_k >= b) brackets b_k
        # between the nominal bounds for alpha*(t_k) and for the increment alpha*(t_k) - alpha*(t_{k-1})
        low = nominal_bound(block, spent[k], sided)
        increment = spent[k] - spent[k - 1]
        high = nominal_bound(block, increment, sided) if increment > 1e-14 else 40.0
        if gap(high) <= 0.0:  # only by integration error, for an (almost) empty increment
            b.append(high)
        elif gap(low) >= 0.0:
            b.append(low)
        else:
            b.append(float(brentq(gap, low, high, xtol=1e-7)))
    p_none, se = no_crossing(factor(reordered(cov, k_max)), b, sided, nodes)
    nominal = tuple(nominal_p(x, cov[4 * k: 4 * k + 4, 4 * k: 4 * k + 4], sided) for k, x in enumerate(b))
    z = tuple(float(-ndtri(p / sided)) for p in nominal)
    return MaxComboBounds(tuple(b), nominal, z, spent, 1.0 - p_none, se, times, cov)
