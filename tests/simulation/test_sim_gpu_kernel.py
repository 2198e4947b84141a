"""The GPU kernel simulates the same trials as the numba CPU engine.

No GPU is needed: the kernel runs under numba's CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``,
which must be set before numba is imported, hence a subprocess: this file run as a script).
The subprocess goes through the runner's ``gpu`` dispatch and saves its blocks; this process
simulates the same trials with the numba engine, the independent path, and compares: decisions,
stop looks, event and enrolment counts and look times exactly, z and estimates to 1e-9 (the
kernel sums the log-rank terms in a different order). The simulator is slow (Python threads),
so the designs are small: 32 trials each, 40-120 patients. The warp sort is also checked alone
against ``np.lexsort`` on keys with ties.

A last test runs large blocks on a real CUDA device (skipped where there is none); there look
times are compared to 1e-12 relative, since NVVM's fused multiply-adds move them by an ulp.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numba.cuda
import numpy as np
import pytest

from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario_loading import load_scenario
from oncotrial.simulation.scenario_reader import parse_scenario
from oncotrial.simulation.trial_block import TrialBlock

FIRST = 1000
COUNT = 32
BASE: dict[str, Any] = {
    "name": "gpu", "patients": 80, "seed": 20240917,
    "accrual": {"duration": 24, "timing": "deterministic"},
    "allocation": {"method": "alternating"},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 0.6},
    "analysis": {"cut": "events", "looks": [20, 40, 60]},
    "bounds": {"efficacy": [3.7103, 2.5114, 1.993], "futility": [0.0, 0.5]},
}
DESIGNS: dict[str, dict[str, Any]] = {
    "fixed design, event-driven cut, 120 patients": {
        "patients": 120, "analysis": {"cut": "events", "looks": [90]}, "bounds": {"efficacy": [1.96]}},
    "3-look group sequential design with futility": {},
    "calendar cuts, simple randomisation 2:1": {
        "patients": 60, "allocation": {"method": "simple", "ratio": [2, 1]},
        "analysis": {"cut": "calendar", "looks": [18, 30]}, "bounds": {"efficacy": [2.8, 1.97]}},
    "random accrual, permuted blocks, dropout": {
        "patients": 64,
        "accrual": {"pieces": [{"until": 6, "rate": 2}, {"until": 22, "rate": 6}], "timing": "random"},
        "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4, 6]},
        "dropout": {"probability": 0.1, "by": 12},
        "analysis": {"cut": "events", "looks": [25, 45]},
        "bounds": {"efficacy": [2.8, 1.97], "futility": [0.2]}},
    "delayed effect with cure, odd size, event targets not reached": {
        "patients": 49,
        "experimental": {"distribution": "piecewise_exponential", "starts": [0, 3],
                         "hazard_ratios": [1.0, 0.5]},
        "control": {"distribution": "exponential", "median": 6, "cure_fraction": 0.3},
        "analysis": {"cut": "events", "looks": [25, 40]}, "bounds": {"efficacy": [2.8, 1.97]}},
    "weibull with cure, random accrual, dropout, calendar cuts": {
        "patients": 41, "accrual": {"duration": 20, "timing": "random"},
        "control": {"distribution": "weibull", "shape": 1.5, "median": 9, "cure_fraction": 0.1},
        "experimental": {"distribution": "weibull", "shape": 2.07, "scale": 11.2, "cure_fraction": 0.15},
        "dropout": {"probability": 0.05, "by": 12},
        "analysis": {"cut": "calendar", "looks": [14, 26]}, "bounds": {"efficacy": [2.8, 1.97]}},
}
FIELDS = ("stop", "decision", "z", "estimate", "time", "events", "enrolled", "short")
SORT_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
cuda: Any = numba.cuda  # a module global, so that the simulator can re-bind it in the sort kernel


def _model(variant: dict[str, Any]) -> TrialModel:
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(variant))
    return compile_scenario(parse_scenario(data))


def _near_bound(b: TrialBlock, m: TrialModel) -> np.ndarray:
    near = np.zeros(b.count, bool)
    for k in range(m.k_max):
        zk = np.nan_to_num(b.z[:, k, 0], nan=99.0)
        near |= (np.abs(zk - m.efficacy[k]) < 1e-9) | (np.abs(zk - m.futility[k]) < 1e-9)
    return near


def _assert_same_trials(gpu: TrialBlock, cpu: TrialBlock, m: TrialModel, exact_times: bool = True) -> None:
    """Same trials; ``exact_times=False`` on a GPU, where fused multiply-adds move times by an ulp."""
    keep = ~_near_bound(cpu, m)
    assert np.array_equal(gpu.decision[keep], cpu.decision[keep])
    assert np.array_equal(gpu.stop[keep], cpu.stop[keep])
    assert np.array_equal(gpu.events, cpu.events) and np.array_equal(gpu.enrolled, cpu.enrolled)
    assert np.array_equal(gpu.short, cpu.short)
    if exact_times:
        assert np.array_equal(gpu.time, cpu.time, equal_nan=True)
    assert np.allclose(gpu.time, cpu.time, rtol=1e-12, atol=0.0, equal_nan=True)
    assert np.array_equal(np.isnan(gpu.z), np.isnan(cpu.z))
    assert np.allclose(gpu.z, cpu.z, rtol=0.0, atol=1e-9, equal_nan=True)
    assert np.allclose(gpu.estimate, cpu.estimate, rtol=0.0, atol=1e-9, equal_nan=True)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the designs through the simulated kernel once (one subprocess) and load its blocks."""
    out = tmp_path_factory.mktemp("gpu") / "blocks.npz"
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    done = subprocess.run([sys.executable, __file__, str(out)], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    data = dict(np.load(out))
    data["meta"] = json.loads(str(data["meta"]))
    return data


@pytest.mark.parametrize("design", list(DESIGNS))
def test_simulated_gpu_kernel_gives_the_numba_engines_trials(simulated: dict[str, Any], design: str) -> None:
    m = _model(DESIGNS[design])
    i = list(DESIGNS).index(design)
    gpu = TrialBlock(FIRST, *(simulated[f"{i}_{f}"] for f in FIELDS))
    _assert_same_trials(gpu, simulate_block(m, FIRST, COUNT, "numba"), m)


def test_the_gpu_request_resolves_to_the_kernel_under_the_simulator(simulated: dict[str, Any]) -> None:
    assert simulated["meta"]["engine"] == "gpu"
    assert simulated["meta"]["notes"] == []


def test_counts_kept_on_the_device_equal_the_counts_of_the_per_trial_results(
        simulated: dict[str, Any]) -> None:
    m = _model(DESIGNS["3-look group sequential design with futility"])
    b = simulate_block(m, FIRST, COUNT, "numba")
    rows = np.arange(COUNT)
    k = np.arange(m.k_max)
    assert np.array_equal(simulated["c_reject"], [np.sum((b.decision == 1) & (b.stop == j)) for j in k])
    assert np.array_equal(simulated["c_futility"], [np.sum((b.decision == -1) & (b.stop == j)) for j in k])
    assert np.array_equal(simulated["c_reached"], [np.sum(b.stop >= j) for j in k])
    assert np.array_equal(simulated["c_short"], b.short.sum(axis=0))
    assert int(simulated["c_events"]) == int(b.events[rows, b.stop].sum())
    assert int(simulated["c_enrolled"]) == int(b.enrolled[rows, b.stop].sum())
    assert float(simulated["c_time"]) == pytest.approx(float(b.time[rows, b.stop].sum()), rel=1e-12)


@pytest.mark.parametrize("size", SORT_SIZES)
def test_the_warp_bitonic_sort_orders_keys_then_patients_as_lexsort_does(simulated: dict[str, Any],
                                                                         size: int) -> None:
    key, val = _sort_input(size)
    order = np.lexsort((val, key))
    assert np.array_equal(simulated[f"sort_key_{size}"], key[order])
    assert np.array_equal(simulated[f"sort_val_{size}"], val[order])


def _sort_input(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys with ties and infinities, distinct patient numbers in random order."""
    rng = np.random.default_rng(size)
    key = np.round(rng.exponential(1.0, size), 1)
    key[rng.random(size) < 0.1] = np.inf
    return key, rng.permutation(size).astype(np.int32)


def _sort_on_one_warp(size: int) -> tuple[np.ndarray, np.ndarray]:
    from oncotrial.simulation.gpu_sort import bitonic_sort

    def kernel(key: Any, val: Any, n: int) -> None:
        bitonic_sort(key, val, n, cuda.threadIdx.x)

    key, val = _sort_input(size)
    cuda.jit(kernel)[1, 32](key, val, size)
    return key, val


def _real_cuda() -> bool:
    if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
        return False
    try:
        from numba import cuda

        return bool(cuda.is_available())
    except Exception:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not _real_cuda(), reason="no CUDA device")
@pytest.mark.parametrize("name", ["benchmark-fixed", "benchmark-gs3"])
def test_a_real_gpu_gives_the_numba_engines_trials_on_a_large_block(name: str) -> None:
    from oncotrial.simulation.gpu_engine_run import simulate_block_gpu

    m = compile_scenario(load_scenario(builtin=name))
    first, count = 123_456_789, 200_000
    cpu = simulate_block(m, first, count, "numba")
    _assert_same_trials(simulate_block_gpu(m, first, count), cpu, m, exact_times=False)
    for variant in DESIGNS.values():
        v = _model(variant)
        cpu = simulate_block(v, 0, 20_000, "numba")
        _assert_same_trials(simulate_block_gpu(v, 0, 20_000), cpu, v, exact_times=False)


def _simulate_designs(path: Path) -> None:
    """Subprocess side: the designs through the runner's ``gpu`` dispatch, under the simulator."""
    sys.setswitchinterval(5e-5)  # the simulator's barrier polls: switch threads often
    from oncotrial.simulation.engine_gpu import resolve_engine
    from oncotrial.simulation.gpu_engine_run import count_block_gpu

    notes: list[str] = []
    engine = resolve_engine("gpu", notes.append)
    arrays: dict[str, Any] = {"meta": json.dumps({"engine": engine, "notes": notes})}
    for i, variant in enumerate(DESIGNS.values()):
        b = simulate_block(_model(variant), FIRST, COUNT, "gpu")
        arrays.update({f"{i}_{f}": getattr(b, f) for f in FIELDS})
    c = count_block_gpu(_model(DESIGNS["3-look group sequential design with futility"]), FIRST, COUNT)
    arrays.update(c_reject=c.reject, c_futility=c.futility, c_short=c.short, c_reached=c.reached,
                  c_events=c.events_at_stop, c_enrolled=c.enrolled_at_stop, c_time=c.time_at_stop)
    for size in SORT_SIZES:
        arrays[f"sort_key_{size}"], arrays[f"sort_val_{size}"] = _sort_on_one_warp(size)
    np.savez(path, **arrays)


if __name__ == "__main__":
    _simulate_designs(Path(sys.argv[1]))
