"""Scenario files: built-ins load, bad fields are named by their full path, conventions hold."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.distributions import DistributionKind
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.model import allocation_pattern, compile_scenario, deterministic_entries
from oncotrial.simulation.scenario import Accrual, AccrualTiming, CutKind, StatTest
from oncotrial.simulation.scenario_loading import load_scenario, load_scenarios
from oncotrial.simulation.scenario_reader import builtin_names, expand_grid, load_builtin, parse_scenario

BASE: dict[str, Any] = {
    "name": "t", "patients": 120, "seed": 3,
    "accrual": {"duration": 24, "timing": "deterministic"},
    "allocation": {"method": "alternating"},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 0.6},
    "analysis": {"cut": "events", "looks": [30, 60, 90]},
    "bounds": {"efficacy": [3.71, 2.51, 1.99], "futility": [0.0, -7]},
}


def _with(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    d.update(changes)
    return d


def test_builtin_nct07304388_is_calibrated_to_the_clinical_ranges() -> None:
    s = load_scenario(builtin="nct07304388")
    assert s.patients == 120 and s.accrual.duration == 22 and s.simulated
    assert s.control.survival(6) == pytest.approx(0.665)
    assert s.experimental.survival(6) == pytest.approx(0.78)
    # strata multipliers are rescaled so that the marginal control 6-month PFS stays 0.665
    marginal = sum(st.prevalence * s.control.survival(6) ** st.hazard_multiplier for st in s.strata)
    assert marginal == pytest.approx(0.665, abs=1e-12)
    assert s.analysis.primary is StatTest.LANDMARK_KM and s.check_null
    assert s.bounds.efficacy[0] == pytest.approx(1.6448536269514722)


def test_every_builtin_parses_and_the_grid_expands() -> None:
    assert {"nct07304388", "benchmark-fixed", "benchmark-gs3"} <= set(builtin_names())
    grid = load_scenarios(builtin="nct07304388", grid=True)
    assert len(grid) == 9
    assert {round(g.control.survival(6), 3) for g in grid} == {0.62, 0.665, 0.7}
    assert len(expand_grid(load_builtin("benchmark-fixed"))) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"control": {"distribution": "exponential", "survival": {"at": 6, "probability": 1.5}}},
     "control.survival.probability"),
    ({"control": {"distribution": "gamma", "median": 6}}, "control.distribution"),
    ({"analysis": {"cut": "events", "looks": [60, 30]}}, "analysis.looks"),
    ({"analysis": {"cut": "events", "looks": [30, 60, 121]}}, "analysis.looks"),
    ({"analysis": {"cut": "events", "looks": [90], "tests": ["logrank", "wilcoxon"]}}, "analysis.tests[1]"),
    ({"bounds": {"efficacy": [3.7, 2.5]}}, "bounds.efficacy"),
    ({"accrual": {"duration": 24, "timing": "sometimes"}}, "accrual.timing"),
    ({"allocation": {"method": "permuted_blocks", "block_sizes": [3]}}, "allocation.block_sizes"),
    ({"strata": [{"name": "a", "prevalence": 0.5}, {"name": "b", "prevalence": 0.4}]}, "strata"),
    ({"dropout": {"probability": 0.1}}, "dropout.by"),
    ({"experimental": {"distribution": "piecewise_exponential", "starts": [0, 3], "hazard_ratios": [1]}},
     "experimental.hazard_ratios"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_fields_are_reported_with_their_full_path(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(_with(**change))
    assert err.value.field == field


def test_a_bad_grid_path_is_named() -> None:
    data = _with(grid={"control.nothing.here": [1, 2]})
    with pytest.raises(ScenarioError) as err:
        expand_grid(data)
    assert err.value.field == "grid.control.nothing.here"


def test_design_bounds_come_from_the_design_layer() -> None:
    s = parse_scenario(_with(bounds={"design": {"type_of_design": "asOF", "alpha": 0.025}}))
    assert s.bounds.efficacy == pytest.approx((3.7103, 2.5114, 1.9930), abs=1e-4)
    assert all(math.isinf(f) for f in s.bounds.futility)


def test_rpact_deterministic_entries_are_equally_spaced_for_uniform_accrual() -> None:
    entries = deterministic_entries(Accrual((24.0,), (1.0,), AccrualTiming.DETERMINISTIC), 120)
    assert np.allclose(entries, np.arange(1, 121) * 0.2)
    # rpact getRawData(getSimulationSurvival(accrualTime = c(0, 6, 22), accrualIntensity = c(2, 6.75), ...))
    piecewise = deterministic_entries(Accrual((6.0, 22.0), (2.0, 6.75), AccrualTiming.DETERMINISTIC), 120)
    assert piecewise[:13] == pytest.approx([*(0.5 * np.arange(1, 13)), 6.1481481481], abs=1e-9)
    assert piecewise[-1] == pytest.approx(22.0) and np.all(np.diff(piecewise) > 0)
    assert list(allocation_pattern((2, 1), 7)) == [1, 1, 0, 1, 1, 0, 1]


def test_delayed_effect_and_weibull_and_cure_distributions() -> None:
    s = parse_scenario(_with(experimental={"distribution": "piecewise_exponential", "starts": [0, 3],
                                           "hazard_ratios": [1.0, 0.5]}))
    assert s.experimental.kind is DistributionKind.PIECEWISE_EXPONENTIAL
    assert s.experimental.rates == pytest.approx((math.log(2) / 6, math.log(2) / 12))
    w = parse_scenario(_with(control={"distribution": "weibull", "shape": 2.07, "scale": 11.2,
                                      "cure_fraction": 0.2}))
    assert w.control.survival(11.2) == pytest.approx(0.2 + 0.8 * math.exp(-1))
    assert w.experimental.survival(11.2) == pytest.approx(0.2 + 0.8 * math.exp(-0.6))


def test_null_twin_copies_the_control_arm() -> None:
    s = parse_scenario(_with(dropout={"control": {"rate": 0.01}, "experimental": {"rate": 0.03}}))
    h0 = s.under_null()
    assert h0.experimental == s.control and h0.dropout == (0.01, 0.01)
    model = compile_scenario(h0)
    assert np.array_equal(model.inv_rates[0], model.inv_rates[1])


def test_scenario_files_are_read_from_disk(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(_with(analysis={"cut": "calendar", "looks": [30],
                                                   "tests": ["landmark_km", "logrank"]},
                                         bounds={"efficacy": [1.96]})))
    s = load_scenario(path)
    assert s.analysis.cut is CutKind.CALENDAR and s.analysis.primary is StatTest.LANDMARK_KM
    with pytest.raises(ScenarioError):
        load_scenario(tmp_path / "missing.yaml")
