"""Simulated operating characteristics agree with rpact ``getSimulationSurvival`` within 4 MC SEs.

rpact runs with its own conventions (deterministic accrual, alternating arms, bisection for the
cut); our scenario reproduces them. Each quantity must lie within 4 combined Monte Carlo standard
errors. Without R/rpact these tests skip locally and fail on CI (``CI=true``).
"""

from __future__ import annotations

import copy
import math
import os
from typing import Any

import pytest

from oncotrial.simulation.characteristics import OperatingCharacteristics
from oncotrial.simulation.rpact_reference import RpactResult, rscript_with_rpact, run_rpact
from oncotrial.simulation.runner import characteristics
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.scenario_reader import load_builtin, parse_scenario

RPACT_ITERATIONS = 20_000
OURS = 200_000


def _rscript() -> str:
    path = rscript_with_rpact()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("R with rpact is required on CI (make test installs r-cran-rpact)")
        pytest.skip("R with rpact is not installed")
    return path


def _scenarios() -> dict[str, Scenario]:
    gs3 = load_builtin("benchmark-gs3")
    fut: dict[str, Any] = copy.deepcopy(gs3)
    fut.update({"name": "gs3 futility dropout", "experimental": {"hazard_ratio": 0.7},
                "dropout": {"control": {"probability": 0.05, "by": 12},
                            "experimental": {"probability": 0.1, "by": 12}},
                "analysis": {"cut": "events", "looks": [40, 70, 95]},
                "bounds": {"efficacy": [3.2, 2.4, 2.0], "futility": [0.0, 0.6]}})
    return {"gs3 H1": parse_scenario(gs3), "gs3 futility and dropout": parse_scenario(fut)}


def _within(name: str, ours: float, theirs: float, se: float) -> None:
    assert abs(ours - theirs) <= 4 * se + 1e-12, \
        f"{name}: ours {ours:.5f} rpact {theirs:.5f} (4 SE = {4 * se:.5f})"


def _prop_se(p: float) -> float:
    return math.sqrt(max(p * (1 - p), 1e-12) * (1 / OURS + 1 / RPACT_ITERATIONS))


def _compare(oc: OperatingCharacteristics, r: RpactResult) -> None:
    d = oc.to_dict()
    _within("overall reject", d["reject_h0"]["estimate"], r.reject, _prop_se(r.reject))
    for k, look in enumerate(d["looks"]):
        _within(f"reject at look {k + 1}", look["reject"]["estimate"], r.reject_by_look[k],
                _prop_se(r.reject_by_look[k]))
        if k < len(d["looks"]) - 1:
            theirs = 0.0 if math.isnan(r.futility_by_look[k]) else r.futility_by_look[k]
            _within(f"futility at look {k + 1}", look["futility_stop"]["estimate"], theirs, _prop_se(theirs))
        sd = look["mean_time"]["mc_se"] * math.sqrt(oc.acc.reached[k])
        reach = oc.acc.reached[k] / oc.trials
        _within(f"analysis time at look {k + 1}", look["mean_time"]["estimate"], r.analysis_time[k],
                sd * math.sqrt(1 / oc.acc.reached[k] + 1 / max(reach * RPACT_ITERATIONS, 1)))
    for key, theirs in (("events", r.expected_events), ("duration_months", r.study_duration),
                        ("sample_size", r.expected_subjects)):
        e = d["expected"][key]
        sd = e["mc_se"] * math.sqrt(OURS)
        se = max(sd, 1e-9) * math.sqrt(1 / OURS + 1 / RPACT_ITERATIONS)
        _within(f"expected {key}", e["estimate"], theirs, se)


@pytest.mark.parametrize("name", list(_scenarios()))
def test_operating_characteristics_match_rpact(name: str) -> None:
    rscript = _rscript()
    scenario = _scenarios()[name].with_replications(OURS, 2024)
    ours = characteristics(scenario)
    theirs = run_rpact(scenario, RPACT_ITERATIONS, seed=11, rscript=rscript)
    _compare(ours, theirs)


def test_type_i_error_of_the_3_look_design_matches_rpact() -> None:
    rscript = _rscript()
    scenario = _scenarios()["gs3 H1"].under_null().with_replications(OURS, 2025)
    _compare(characteristics(scenario), run_rpact(scenario, RPACT_ITERATIONS, seed=12, rscript=rscript))
