"""Tumour response and overall survival in the simulated trials: the stated rates hold.

Each check compares simulated patients with the scenario's targets within 4 binomial standard
errors: the 6-month PFS rate per arm (unchanged by adding response), the ORR per arm, the median
OS per arm (P(OS > target median) = 1/2) and P(OS > 24 months) from the calibration formula.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.outcome_calibration import os_survival, response_multipliers
from oncotrial.simulation.scenario_reader import parse_scenario

SCENARIO: dict[str, Any] = {
    "name": "outcomes", "patients": 120, "seed": 77,
    "accrual": {"duration": 22, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "strata": [{"name": "a", "prevalence": 0.55, "hazard_multiplier": 1.0},
               {"name": "b", "prevalence": 0.45, "hazard_multiplier": 1.6}],
    "control": {"distribution": "exponential", "survival": {"at": 6, "probability": 0.665}},
    "experimental": {"distribution": "exponential", "survival": {"at": 6, "probability": 0.78}},
    "response": {"orr": {"control": 0.45, "experimental": 0.60}, "pfs_hazard_multiplier": 0.5},
    "overall_survival": {"median_os": {"control": 15, "experimental": 19}},
    "analysis": {"cut": "calendar", "looks": [28], "tests": ["logrank", "orr", "os_logrank"]},
    "bounds": {"efficacy": [1.645]},
}


def _within(successes: float, n: int, p: float) -> bool:
    return abs(successes / n - p) <= 4 * math.sqrt(p * (1 - p) / n)


@pytest.fixture(scope="module")
def patients():
    s = parse_scenario(copy.deepcopy(SCENARIO))
    p = generate_patients(compile_scenario(s), np.arange(400, dtype=np.int64))
    return s, p


def test_the_6_month_pfs_rate_per_arm_is_unchanged_by_response(patients) -> None:
    s, p = patients
    for a, dist in enumerate((s.control, s.experimental)):
        arm = p.arm == a
        target = sum(st.prevalence * dist.survival(6.0) ** st.hazard_multiplier for st in s.strata)
        assert _within(float((p.event_time[arm] > 6).sum()), int(arm.sum()), target)
    assert sum(st.prevalence * s.control.survival(6.0) ** st.hazard_multiplier
               for st in s.strata) == pytest.approx(0.665, abs=1e-12)


def test_the_response_rate_per_arm_matches_the_target_orr_and_responders_progress_later(patients) -> None:
    _, p = patients
    assert p.response is not None
    for a, orr in enumerate((0.45, 0.60)):
        arm = p.arm == a
        assert _within(float(p.response[arm].sum()), int(arm.sum()), orr)
        responders = arm & (p.response == 1)
        others = arm & (p.response == 0)
        assert (p.event_time[responders] > 6).mean() > (p.event_time[others] > 6).mean() + 0.05


def test_median_os_per_arm_matches_the_calibration_target(patients) -> None:
    s, p = patients
    assert p.os_time is not None and s.overall_survival is not None and s.response is not None
    mult = response_multipliers(s.response, (s.control, s.experimental), s.strata, 6.0)
    for a, (median, dist) in enumerate(zip((15.0, 19.0), (s.control, s.experimental), strict=True)):
        arm = p.arm == a
        n = int(arm.sum())
        assert _within(float((p.os_time[arm] > median).sum()), n, 0.5)
        at24 = os_survival(24.0, s.overall_survival.pps_rates[a], dist, s.strata, s.response.orr[a], mult[a])
        assert _within(float((p.os_time[arm] > 24).sum()), n, at24)
        assert np.all(p.os_time[arm] >= p.event_time[arm])


def test_the_null_twin_gives_the_experimental_arm_the_control_response_and_os() -> None:
    s = parse_scenario(copy.deepcopy(SCENARIO)).under_null()
    assert s.response is not None and s.response.orr == (0.45, 0.45)
    assert s.overall_survival is not None
    assert s.overall_survival.pps_rates[0] == s.overall_survival.pps_rates[1]


@pytest.mark.parametrize(("change", "field"), [
    ({"response": None, "overall_survival": None}, "analysis.tests"),
    ({"overall_survival": {"median_os": {"control": 5, "experimental": 19}}},
     "overall_survival.median_os.control"),
    ({"response": {"orr": {"control": 1.4, "experimental": 0.5}}}, "response.orr.control"),
    ({"overall_survival": {"post_progression": {"median": 8}, "median_os": {"control": 15,
                                                                            "experimental": 19}}},
     "overall_survival.post_progression"),
])
def test_bad_response_and_os_fields_are_named(change: dict[str, Any], field: str) -> None:
    data = copy.deepcopy(SCENARIO)
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == field
