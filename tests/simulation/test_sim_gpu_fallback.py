"""Asking for the GPU engine without a GPU, or for a scenario the kernel does not cover, falls back
to the CPU with one notice; GPU-only tests skip."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.engine_gpu import cuda_available, detect_gpu, engine_for, resolve_engine
from oncotrial.simulation.errors import EngineUnavailableError
from oncotrial.simulation.gpu_engine_run import supports_gpu
from oncotrial.simulation.model import ALLOC_MINIMIZATION, TrialModel, compile_scenario
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario_loading import load_scenario
from oncotrial.simulation.scenario_reader import parse_scenario

STRATIFIED: dict[str, Any] = {
    "name": "strata", "patients": 60, "seed": 3,
    "accrual": {"duration": 24, "timing": "deterministic"},
    "allocation": {"method": "alternating"},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 0.6},
    "strata": [{"name": "a", "prevalence": 0.5, "hazard_multiplier": 1.0},
               {"name": "b", "prevalence": 0.5, "hazard_multiplier": 1.5}],
    "analysis": {"cut": "events", "looks": [40], "tests": ["stratified_logrank"]},
    "bounds": {"efficacy": [1.96]},
}


def _benchmark() -> TrialModel:
    return compile_scenario(load_scenario(builtin="benchmark-gs3"))


@pytest.mark.skipif(cuda_available(), reason="a CUDA device (or the simulator) is present")
def test_gpu_request_falls_back_to_numba_with_a_one_line_notice() -> None:
    notes: list[str] = []
    assert resolve_engine("gpu", notes.append) == "numba"
    assert len(notes) == 1 and "\n" not in notes[0] and "CPU" in notes[0]


@pytest.mark.skipif(not cuda_available(), reason="no CUDA device")
def test_gpu_request_runs_the_kernel_silently_where_a_device_is_found() -> None:
    notes: list[str] = []
    assert resolve_engine("gpu", notes.append) == "gpu"
    assert notes == []


def test_auto_and_named_cpu_engines_resolve_silently() -> None:
    notes: list[str] = []
    assert resolve_engine("auto", notes.append) == "numba"
    assert resolve_engine("numpy", notes.append) == "numpy"
    assert notes == []
    with pytest.raises(EngineUnavailableError):
        resolve_engine("fpga")


def test_the_kernel_covers_the_fixed_and_group_sequential_log_rank_benchmarks() -> None:
    assert supports_gpu(_benchmark()) is None
    assert supports_gpu(compile_scenario(load_scenario(builtin="benchmark-fixed"))) is None


@pytest.mark.parametrize("change", [
    {"n": 2000}, {"tests": np.array([0, 2])}, {"tests": np.array([5])}, {"alloc": ALLOC_MINIMIZATION},
    {"has_response": True}, {"looks": np.arange(1.0, 18.0)},
])
def test_the_kernel_refuses_what_it_does_not_cover_with_a_reason(change: dict[str, Any]) -> None:
    reason = supports_gpu(dataclasses.replace(_benchmark(), **change))
    assert isinstance(reason, str) and reason and "\n" not in reason


def test_a_scenario_outside_the_kernel_runs_on_numba_after_one_notice() -> None:
    model = compile_scenario(parse_scenario(copy.deepcopy(STRATIFIED)))
    notes: list[str] = []
    assert engine_for("gpu", model, notes.append) == "numba"
    assert len(notes) == 1 and "\n" not in notes[0] and "strata" in notes[0] and "CPU" in notes[0]
    assert engine_for("numpy", model, notes.append) == "numpy" and len(notes) == 1
    gpu = simulate_block(model, 0, 50, "gpu")
    cpu = simulate_block(model, 0, 50, "numba")
    assert np.array_equal(gpu.decision, cpu.decision) and np.array_equal(gpu.z, cpu.z, equal_nan=True)


@pytest.mark.skipif(detect_gpu() is None, reason="no CUDA device")
def test_gpu_detection_names_the_package_that_sees_the_device() -> None:
    assert detect_gpu() in ("cupy", "torch")
