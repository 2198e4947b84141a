"""Deaths without progression: a share of PFS events are deaths, OS = PFS for them, OS >= PFS always.

The simulated patients are checked against the scenario's targets within 4 binomial standard
errors, the OS formula against its closed form for exponential PFS and PPS, and the numba kernel
against the NumPy generator patient by patient (the engines' trial-level agreement is in
``test_sim_engines_agree``).
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.distributions import DistributionKind, EventDistribution
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.numba_generation import generate_overall_survival
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.outcome_calibration import os_survival, response_multipliers
from oncotrial.simulation.scenario import Stratum
from oncotrial.simulation.scenario_loading import load_scenario
from oncotrial.simulation.scenario_reader import parse_scenario

SCENARIO: dict[str, Any] = {
    "name": "dwp", "patients": 120, "seed": 4242,
    "accrual": {"duration": 22, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "strata": [{"name": "a", "prevalence": 0.55, "hazard_multiplier": 1.0},
               {"name": "b", "prevalence": 0.45, "hazard_multiplier": 1.6}],
    "control": {"distribution": "exponential", "survival": {"at": 6, "probability": 0.665}},
    "experimental": {"distribution": "exponential", "survival": {"at": 6, "probability": 0.78}},
    "dropout": {"probability": 0.05, "by": 12},
    "response": {"orr": {"control": 0.45, "experimental": 0.60}},
    "overall_survival": {"median_os": {"control": 17},
                         "death_without_progression": {"control": 0.08, "experimental": 0.15}},
    "analysis": {"cut": "calendar", "looks": [28], "tests": ["logrank", "os_logrank"]},
    "bounds": {"efficacy": [1.645]},
}
SHARES = (0.08, 0.15)


def _within(successes: float, n: int, p: float) -> bool:
    return abs(successes / n - p) <= 4 * math.sqrt(p * (1 - p) / n)


@pytest.fixture(scope="module")
def patients():
    s = parse_scenario(copy.deepcopy(SCENARIO))
    m = compile_scenario(s)
    return s, m, generate_patients(m, np.arange(500, dtype=np.int64))


def test_os_equals_pfs_for_a_death_and_exceeds_it_after_a_progression(patients) -> None:
    _, _, p = patients
    assert p.os_time is not None and p.death_first is not None
    dies = p.death_first > 0
    assert np.array_equal(p.os_time[dies], p.event_time[dies])
    assert np.all(p.os_time[~dies] > p.event_time[~dies])


def test_the_share_of_pfs_events_that_are_deaths_is_the_stated_one_per_arm(patients) -> None:
    _, _, p = patients
    assert p.death_first is not None
    for a, share in enumerate(SHARES):
        arm = p.arm == a
        assert _within(float(p.death_first[arm].sum()), int(arm.sum()), share)


def test_one_pps_hazard_serves_both_arms_and_the_control_median_os_is_the_target(patients) -> None:
    s, _, p = patients
    os_ = s.overall_survival
    assert os_ is not None and os_.common_pps and os_.pps_rates[0] == os_.pps_rates[1]
    assert p.os_time is not None and s.response is not None
    arm = p.arm == 0
    assert _within(float((p.os_time[arm] > 17.0).sum()), int(arm.sum()), 0.5)
    # the experimental arm's implied median: half its simulated patients live longer
    assert os_.target_median is not None and os_.target_median[1] > 17.0
    exp = p.arm == 1
    assert _within(float((p.os_time[exp] > os_.target_median[1]).sum()), int(exp.sum()), 0.5)
    mult = response_multipliers(s.response, (s.control, s.experimental), s.strata, 6.0)
    at30 = os_survival(30.0, os_.pps_rates[1], s.experimental, s.strata, s.response.orr[1], mult[1],
                       SHARES[1])
    assert _within(float((p.os_time[exp] > 30).sum()), int(exp.sum()), at30)


@pytest.mark.parametrize(("t", "share"), [(6.0, 0.0), (14.0, 0.1), (30.0, 0.5)])
def test_os_survival_equals_its_closed_form_for_exponential_pfs_and_pps(t: float, share: float) -> None:
    lam, mu = math.log(2) / 9.0, math.log(2) / 5.0
    pfs = EventDistribution(DistributionKind.EXPONENTIAL, (0.0,), (lam,))
    # S_OS(t) = exp(-lam t) + (1 - share) lam (exp(-mu t) - exp(-lam t)) / (lam - mu)
    closed = math.exp(-lam * t) + (1 - share) * lam * (math.exp(-mu * t) - math.exp(-lam * t)) / (lam - mu)
    ours = os_survival(t, mu, pfs, (Stratum("all", 1.0, 1.0),), 0.0, (1.0, 1.0), share)
    assert ours == pytest.approx(closed, abs=2e-8)


def test_the_numba_kernel_draws_the_same_os_as_the_numpy_generator(patients) -> None:
    _, m, p = patients
    assert p.os_time is not None and p.os_calendar is not None
    for r in (0, 3, 77, 499):
        ostime, oscal = np.empty(m.n), np.empty(m.n)
        generate_overall_survival(r, m.n, np.uint64(m.key[0]), np.uint64(m.key[1]), m.inv_pps, m.has_dwp,
                                  m.dwp, p.entry[r].copy(), p.arm[r].copy(), p.event_time[r].copy(),
                                  p.dropout_time[r].copy(), np.empty(m.n + 2), ostime, oscal)
        assert np.allclose(ostime, p.os_time[r], rtol=1e-14, atol=0)
        assert np.array_equal(np.isfinite(oscal), np.isfinite(p.os_calendar[r]))


def test_the_null_twin_gives_the_experimental_arm_the_control_share_and_pps() -> None:
    s = parse_scenario(copy.deepcopy(SCENARIO)).under_null()
    assert s.overall_survival is not None
    assert s.overall_survival.death_share == (DeathShare.constant(0.08),) * 2
    assert s.overall_survival.pps_rates[0] == s.overall_survival.pps_rates[1]


def test_the_builtin_scenario_gives_both_arms_the_same_post_progression_survival() -> None:
    s = load_scenario(builtin="nct07304388")
    os_ = s.overall_survival
    assert os_ is not None and os_.common_pps and os_.pps_rates[0] == os_.pps_rates[1]
    assert os_.death_share == (DeathShare.constant(0.08),) * 2
    # clinical-content.md §2.4: median OS 15-22 months (control) and 17-24 months (experimental)
    assert os_.target_median is not None
    assert 15 <= os_.target_median[0] <= 22 and 17 <= os_.target_median[1] <= 24


@pytest.mark.parametrize(("change", "field"), [
    ({"death_without_progression": 1.5}, "overall_survival.death_without_progression"),
    ({"death_without_progression": "often"}, "overall_survival.death_without_progression"),
    ({"death_without_progression": {"control": -0.1}}, "overall_survival.death_without_progression.control"),
    ({"death_without_progression": {"placebo": 0.1}}, "overall_survival.death_without_progression.placebo"),
    ({"median_os": {"experimental": 20}}, "overall_survival.median_os.control"),
    # 90 % of PFS events being deaths: too few patients progress for OS to reach a median of 40 months
    ({"median_os": {"control": 40}, "death_without_progression": 0.9}, "overall_survival.median_os.control"),
])
def test_bad_death_without_progression_fields_are_named(change: dict[str, Any], field: str) -> None:
    data = copy.deepcopy(SCENARIO)
    data["overall_survival"] = {**data["overall_survival"], **change}
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == field
    assert err.value.expected
