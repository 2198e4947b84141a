"""Group sequential MaxCombo designs with binding futility bounds (one-sided).

Reference design: n = 120, control median 6, 24 months of accrual, looks at 30/60/90 events, asOF
one-sided 0.025, futility bounds z = 0 at both interim looks (reported z scale).

* Binding futility lowers the efficacy bounds of looks 2 and 3 (look 1 has nothing to remove).
* The type I error spent by the binding bounds equals the O'Brien–Fleming spending, checked without
  the design code's integration: a Monte Carlo of the joint normal of the 12 FH statistics (paths
  simulated look by look, no inclusion–exclusion), and R ``mvtnorm::pmvnorm`` orthant probabilities.
* Simulated null trials of the binding design reject at 0.025 and stop for futility at look 1 in half
  of the trials (within 4 Monte Carlo SEs).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from scipy.special import ndtr, ndtri

from oncotrial.design.spending import SpendingFamily, SpendingFunction
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.maxcombo_design import MaxComboBounds, Planning
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.scenario_bounds import planned_maxcombo_bounds
from oncotrial.simulation.scenario_reader import parse_scenario
from support.rscript import r_or_skip

FUTILITY = (0.0, 0.0)
RATES = (1 / 3, 2 / 3, 1.0)
GS: dict[str, Any] = {
    "name": "gs-maxcombo-binding", "patients": 120, "seed": 31,
    "accrual": {"duration": 24, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 1.0},
    "analysis": {"cut": "events", "looks": [30, 60, 90], "tests": ["maxcombo"]},
    "bounds": {"design": {"alpha": 0.025, "futility_bounds": list(FUTILITY)}},
}


def _scenario(**design: Any) -> Scenario:
    d = copy.deepcopy(GS)
    d["bounds"]["design"].update(design)
    return parse_scenario(d)


def _planning(s: Scenario) -> Planning:
    return Planning(s.patients, s.accrual, s.control, s.strata, 0.0, (1.0, 1.0), s.dropout[0],
                    s.allocation.experimental_fraction, s.analysis.cut, s.analysis.looks)


def _designs() -> tuple[MaxComboBounds, MaxComboBounds]:
    """(binding, non-binding) bounds of the reference design (cached by ``planned_maxcombo_bounds``)."""
    planning = _planning(_scenario())
    of = SpendingFunction(SpendingFamily.OBRIEN_FLEMING)
    return (planned_maxcombo_bounds(planning, RATES, of, 0.025, 1, FUTILITY),
            planned_maxcombo_bounds(planning, RATES, of, 0.025, 1))


def _obrien_fleming(t: float, alpha: float = 0.025) -> float:
    """Lan–DeMets O'Brien–Fleming spending, written out: 2(1 − Φ(z_{1−α/2} / √t))."""
    return 2.0 * (1.0 - float(ndtr(float(ndtri(1.0 - alpha / 2.0)) / np.sqrt(t))))


def _correlation(mb: MaxComboBounds) -> np.ndarray:
    sd = np.sqrt(np.diag(mb.covariance))
    return np.asarray(mb.covariance / np.outer(sd, sd))


def test_binding_futility_lowers_the_later_maxcombo_efficacy_bounds() -> None:
    binding = _scenario(binding_futility=True)
    non_binding = _scenario()
    assert binding.bounds.futility == non_binding.bounds.futility == FUTILITY
    assert binding.bounds.statistic[0] == non_binding.bounds.statistic[0]
    for k in (1, 2):
        assert binding.bounds.statistic[k] < non_binding.bounds.statistic[k] - 1e-3
        assert binding.bounds.efficacy[k] < non_binding.bounds.efficacy[k] - 1e-3
    assert "binding futility bounds on max Z" in binding.bounds.source
    mb, _ = _designs()
    assert binding.bounds.statistic == mb.statistic and binding.bounds.efficacy == mb.z


def test_binding_bounds_spend_obrien_fleming_alpha_in_a_monte_carlo_of_the_joint_normal() -> None:
    # 4,000,000 draws of the 12 FH statistics; a path stops at look k when G_k >= b_k (reject) or
    # G_k < g_k (futility). No orthant probabilities and no inclusion-exclusion are involved.
    mb, nb = _designs()
    w, v = np.linalg.eigh(_correlation(mb))
    root = v * np.sqrt(np.clip(w, 0.0, None))
    rng = np.random.default_rng(20261201)
    n, chunk = 4_000_000, 400_000
    crossed = {"binding": np.zeros(3), "non-binding": np.zeros(3)}
    below = np.zeros(2)
    g = np.array(mb.futility_statistic)
    for _ in range(n // chunk):
        big = (rng.standard_normal((chunk, 12)) @ root.T).reshape(chunk, 3, 4).max(axis=2)
        below += (big[:, :2] < g).sum(axis=0)
        for name, b in (("binding", mb.statistic), ("non-binding", nb.statistic)):
            going = np.ones(chunk, dtype=bool)
            for k in range(3):
                crossed[name][k] += (going & (big[:, k] >= b[k])).sum()
                if k < 2:
                    going &= (big[:, k] < b[k]) & (big[:, k] >= g[k])
    for k, t in enumerate(RATES):
        p = crossed["binding"][: k + 1].sum() / n
        assert abs(p - _obrien_fleming(t)) <= 4 * np.sqrt(p * (1 - p) / n)
    # the reported-z futility bound 0 is the median of the nominal p-value: P(G_k < g_k) = Phi(0)
    assert below / n == pytest.approx([0.5, 0.5], abs=4 * np.sqrt(0.25 / n))
    # the check can tell: the non-binding bounds spend visibly less once futility stops are binding
    p = crossed["non-binding"].sum() / n
    assert p < 0.025 - 10 * np.sqrt(p * (1 - p) / n)


R_BINDING = r"""
R <- matrix(c(CORR), 12)
b <- c(BOUNDS)
g <- c(FUTILITY)
orthant <- function(u) {
  i <- 1:(4 * length(u))
  set.seed(length(u))
  pmvnorm(upper = rep(u, each = 4), corr = R[i, i],
          algorithm = GenzBretz(maxpts = 4e6, abseps = 2e-6, releps = 0))
}
# P(g_j <= G_j < b_j for j < k, G_k < last) by inclusion-exclusion over the futility looks
continuing <- function(k, last) {
  if (k == 1) {
    if (!is.finite(last)) return(c(1, 0))
    o <- orthant(last)
    return(c(o[1], attr(o, "error")))
  }
  p <- 0
  e <- 0
  for (s in 0:(2^(k - 1) - 1)) {
    use <- bitwAnd(s, 2^(0:(k - 2))) > 0
    u <- ifelse(use, g[1:(k - 1)], b[1:(k - 1)])
    o <- orthant(c(u, last))
    p <- p + (-1)^sum(use) * o[1]
    e <- e + attr(o, "error")
  }
  c(p, e)
}
for (k in 1:3) {
  a <- continuing(k, Inf)
  c <- continuing(k, b[k])
  emit(paste0("cross_", k), a[1] - c[1])
  emit(paste0("err_", k), a[2] + c[2])
}
"""


def test_binding_bounds_spend_obrien_fleming_alpha_under_r_pmvnorm() -> None:
    r = r_or_skip(["mvtnorm"])
    mb, _ = _designs()
    corr = _correlation(mb)
    script = R_BINDING.replace("CORR", ", ".join(repr(float(x)) for x in corr.ravel()))
    script = script.replace("BOUNDS", ", ".join(repr(float(x)) for x in mb.statistic))
    out = r.run(script.replace("FUTILITY", ", ".join(repr(float(x)) for x in mb.futility_statistic)))
    total, error = 0.0, 0.0
    for k, t in enumerate(RATES):
        total += out[f"cross_{k + 1}"][0]
        error += out[f"err_{k + 1}"][0]
        assert total == pytest.approx(_obrien_fleming(t), abs=3 * error + 3e-5)


def test_simulated_null_trials_of_the_binding_design_reject_at_alpha_and_stop_for_futility_half_the_time(
) -> None:
    n = 20_000
    s = _scenario(binding_futility=True)
    b = simulate_block(compile_scenario(s), 0, n, "numba")
    rate = float((b.decision == 1).mean())
    assert abs(rate - 0.025) <= 4 * np.sqrt(0.025 * 0.975 / n)
    futile = float(((b.decision == -1) & (b.stop == 0)).mean())
    assert abs(futile - 0.5) <= 4 * np.sqrt(0.25 / n)


@pytest.mark.parametrize(("design", "field"), [
    ({"binding_futility": True, "futility_bounds": [4.0, 0.0]}, "bounds.design.futility_bounds"),  # above
    ({"binding_futility": True, "futility_bounds": [3.0, 0.0]}, "bounds.design.futility_bounds"),  # too few
    # paths go on to spend look 2's alpha
    ({"binding_futility": True, "futility_bounds": [0.0]}, "bounds.design.futility_bounds"),
    ({"binding_futility": True, "futility_bounds": None, "beta_spending": "bsOF"},  # no alternative:
     "bounds.design.beta_spending"),  # the experimental arm equals control (test_sim_maxcombo_beta.py)
])
def test_binding_maxcombo_designs_name_the_field_they_cannot_use(design: dict[str, Any], field: str) -> None:
    d = copy.deepcopy(GS)
    d["bounds"]["design"].update({k: v for k, v in design.items() if v is not None})
    if design.get("futility_bounds", []) is None:
        del d["bounds"]["design"]["futility_bounds"]
    with pytest.raises(ScenarioError) as err:
        parse_scenario(d)
    assert err.value.field == field
