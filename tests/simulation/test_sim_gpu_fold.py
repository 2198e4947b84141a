"""The device fold gives the CPU fold's operating characteristics, without trials leaving the GPU.

No GPU is needed: the subprocess (this file run as a script, ``NUMBA_ENABLE_CUDASIM=1``, which
must be set before numba is imported) runs the runner's ``gpu`` path under numba's CUDA
simulator: the trial kernel writes device arrays and :mod:`.gpu_fold` sums them on the device.
There, the host fold (:meth:`Accumulator.add`) and the per-trial copy (``simulate_block_gpu``)
are replaced by functions that raise, so the sums can only come from the device. This process
folds the same trials from the numba engine on the CPU (:func:`.accumulator._fold`, the
independent path) and compares every field: integers exactly, float sums to 1e-9 relative (the
device adds in another order). Each design runs in two blocks, so the device arrays of the first
are reused by the second. The simulator is slow (Python threads): 32 trials per design.
"""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.accumulator import LOG_HR_BINS, TIME_BINS, Accumulator, _bin
from oncotrial.simulation.gpu_engine_run import GPU_BLOCK, GPU_BLOCK_BYTES, gpu_block, trial_bytes
from oncotrial.simulation.gpu_fold import slot
from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.runner import simulate, simulate_block
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.scenario_reader import parse_scenario
from oncotrial.simulation.trial_block import TrialBlock

FIRST = 777
COUNT = 32
BLOCK = 20  # two blocks: 20 trials, then 12 into the same device arrays
REPLICATIONS = 24
BASE: dict[str, Any] = {
    "name": "fold", "patients": 80, "seed": 20240917,
    "accrual": {"duration": 24, "timing": "deterministic"},
    "allocation": {"method": "alternating"},
    "control": {"distribution": "exponential", "median": 6},
    "experimental": {"hazard_ratio": 0.6},
    "analysis": {"cut": "events", "looks": [20, 40, 60]},
    "bounds": {"efficacy": [2.2, 2.1, 1.993], "futility": [0.0, 0.5]},
}
DESIGNS: dict[str, dict[str, Any]] = {
    "fixed design, event-driven cut": {
        "patients": 100, "analysis": {"cut": "events", "looks": [70]}, "bounds": {"efficacy": [1.96]}},
    "3 looks with futility": {},
    "calendar cuts, simple randomisation": {
        "patients": 60, "allocation": {"method": "simple", "ratio": [2, 1]},
        "analysis": {"cut": "calendar", "looks": [18, 30]}, "bounds": {"efficacy": [2.2, 1.97]}},
    "event targets not reached (short looks)": {
        "patients": 49, "control": {"distribution": "exponential", "median": 6, "cure_fraction": 0.3},
        "analysis": {"cut": "events", "looks": [25, 40]}, "bounds": {"efficacy": [2.8, 1.97]}},
}
OC_DESIGN = "3 looks with futility"
INT_FIELDS = ("reject", "futility", "short", "reached", "test_reject_final", "test_reject_look",
              "log_hr_hist", "time_hist")
FLOAT_FIELDS = ("look_time", "look_events", "stop_sums", "log_hr_sums")


def _scenario(variant: dict[str, Any]) -> Scenario:
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(variant))
    return parse_scenario(data)


def _model(variant: dict[str, Any]) -> TrialModel:
    return compile_scenario(_scenario(variant))


def _cpu_fold(m: TrialModel, first: int, count: int) -> tuple[Accumulator, TrialBlock]:
    block = simulate_block(m, first, count, "numba")
    acc = Accumulator.for_model(m)
    acc.add(block, m)
    return acc, block


def _simulator_imports() -> bool:
    probe = "import numba.cuda.simulator, oncotrial.simulation.gpu_kernel"
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, timeout=120,
                          check=False)
    return done.returncode == 0


@pytest.fixture(scope="module")
def device(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The designs through the runner's device fold, once, in one simulator subprocess."""
    if not _simulator_imports():
        pytest.skip("numba's CUDA simulator cannot be imported")
    out = tmp_path_factory.mktemp("fold") / "sums.npz"
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    done = subprocess.run([sys.executable, __file__, str(out)], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    data = dict(np.load(out))
    data["meta"] = json.loads(str(data["meta"]))
    return data


def _assert_same_sums(dev: dict[str, Any], prefix: str, cpu: Accumulator) -> None:
    assert int(dev[f"{prefix}trials"]) == cpu.trials
    for name in INT_FIELDS:
        assert np.array_equal(dev[prefix + name], getattr(cpu, name)), name
    for name in FLOAT_FIELDS:
        assert np.allclose(dev[prefix + name], getattr(cpu, name), rtol=1e-9, atol=0.0), name


@pytest.mark.parametrize("design", list(DESIGNS))
def test_the_device_fold_equals_the_cpu_fold_of_the_same_trials(device: dict[str, Any], design: str) -> None:
    m = _model(DESIGNS[design])
    cpu, block = _cpu_fold(m, FIRST, COUNT)
    _assert_same_sums(device, f"{list(DESIGNS).index(design)}_", cpu)
    # the designs exercise what they are named for (read off the CPU engine's trials)
    assert cpu.time_hist.sum() == COUNT and cpu.log_hr_hist.sum() > 0
    if design == "3 looks with futility":
        assert np.count_nonzero(cpu.reject) >= 2 and cpu.futility.sum() > 0
    if design.startswith("event targets"):
        assert cpu.short.sum() > 0
    if design.startswith("calendar"):
        assert np.unique(block.events[:, 0]).size > 1


def test_the_device_path_ran_without_a_host_fold_and_reused_its_arrays(device: dict[str, Any]) -> None:
    meta = device["meta"]
    assert meta["engine"] == "gpu" and meta["notes"] == []
    assert meta["allocations"] == [1] * len(DESIGNS)  # one set of device arrays per design, two blocks


def test_simulate_on_the_gpu_gives_the_numba_engines_operating_characteristics(
        device: dict[str, Any]) -> None:
    numba_report = simulate(_scenario(DESIGNS[OC_DESIGN]), replications=REPLICATIONS, engine="numba")
    _assert_close(device["meta"]["oc"], json.loads(json.dumps(numba_report.main.to_dict(), default=str)))
    _assert_same_sums(device, "oc_", numba_report.main.acc)


def test_a_gpu_grid_runs_in_this_process_after_one_notice(device: dict[str, Any]) -> None:
    from oncotrial.simulation.grid import GPU_NOTICE

    meta = device["meta"]
    assert meta["grid_notes"] == [GPU_NOTICE] and "\n" not in GPU_NOTICE
    numba_report = simulate(_scenario(DESIGNS[OC_DESIGN]), replications=REPLICATIONS, engine="numba")
    _assert_same_sums(device, "grid_", numba_report.main.acc)


def _assert_close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        keys = set(a) - {"engine", "seconds", "trials_per_second"}
        assert keys == set(b) - {"engine", "seconds", "trials_per_second"}, path
        for key in keys:
            _assert_close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    else:
        assert a == b, path


def test_the_device_histogram_slot_is_the_cpu_slot() -> None:
    rng = np.random.default_rng(7)
    for edges in (LOG_HR_BINS, TIME_BINS):
        lo, width = float(edges[0]), float(edges[1] - edges[0])
        xs = np.concatenate([edges, edges + 1e-12, edges - 1e-12, [lo - 2 * width, lo - width, 1e6, -1e6],
                             rng.uniform(edges[0] - 1, edges[-1] + 1, 2000)])
        for x in xs:
            assert slot(float(x), lo, width, edges.size) == _bin(float(x), lo, width, edges.size)
        # and the slot is the histogram's bin: edges[i - 1] < x <= edges[i] (away from rounding at edges)
        mid = rng.uniform(edges[0], edges[-1], 500)
        mid = mid[np.abs((mid - lo) / width - np.round((mid - lo) / width)) > 1e-6]
        assert all(slot(float(x), lo, width, edges.size) == np.searchsorted(edges, x) for x in mid)


def test_the_gpu_block_keeps_its_device_arrays_within_one_gibibyte() -> None:
    for looks in (1, 3, 10):  # a scenario has at most 10 looks
        events = [5 * (k + 1) for k in range(looks)]
        block = TrialBlock.empty(_model({"analysis": {"cut": "events", "looks": events},
                                         "bounds": {"efficacy": [2.0] * looks}}), 0, 1)
        per_trial = sum(getattr(block, f).nbytes for f in ("stop", "decision", "z", "estimate", "time",
                                                             "events", "enrolled", "short"))
        assert trial_bytes(looks) == per_trial
        assert gpu_block(looks) * per_trial <= GPU_BLOCK_BYTES and gpu_block(looks) <= GPU_BLOCK
    assert gpu_block(3) == 2**22 and gpu_block(10) > 3_000_000


def _fold_designs(path: Path) -> None:
    """Subprocess side: every design through the runner's ``gpu`` path, under the simulator."""
    sys.setswitchinterval(5e-5)  # the simulator's barrier polls: switch threads often
    from oncotrial.simulation import gpu_engine_run
    from oncotrial.simulation.engine_gpu import resolve_engine
    from oncotrial.simulation.grid import simulate_grid
    from oncotrial.simulation.runner import accumulate

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("per-trial results reached the host")

    Accumulator.add = refuse  # type: ignore[method-assign]
    gpu_engine_run.simulate_block_gpu = refuse  # type: ignore[assignment]
    made: list[int] = []
    real_init = gpu_engine_run.DeviceTrials.__init__

    def counted(self: Any, looks: int, capacity: int) -> None:
        made.append(capacity)
        real_init(self, looks, capacity)

    gpu_engine_run.DeviceTrials.__init__ = counted  # type: ignore[method-assign]
    notes: list[str] = []
    engine = resolve_engine("gpu", notes.append)
    arrays: dict[str, Any] = {}
    allocations = []
    for i, variant in enumerate(DESIGNS.values()):
        made.clear()
        acc = accumulate(_model(variant), FIRST, COUNT, engine, block=BLOCK)
        allocations.append(len(made))
        arrays.update(_fields(f"{i}_", acc))
    report = simulate(_scenario(DESIGNS[OC_DESIGN]), replications=REPLICATIONS, engine="gpu",
                      notice=notes.append)
    arrays.update(_fields("oc_", report.main.acc))
    grid_notes: list[str] = []
    grid = simulate_grid([_scenario(DESIGNS[OC_DESIGN])], replications=REPLICATIONS, engine="gpu",
                         notice=grid_notes.append)
    arrays.update(_fields("grid_", grid[0].main.acc))
    meta = {"engine": engine, "notes": notes, "allocations": allocations, "grid_notes": grid_notes,
            "oc": report.main.to_dict()}
    arrays["meta"] = json.dumps(meta, default=str)
    np.savez(path, **arrays)


def _fields(prefix: str, acc: Accumulator) -> dict[str, Any]:
    out = {f"{prefix}{name}": getattr(acc, name) for name in INT_FIELDS + FLOAT_FIELDS}
    out[f"{prefix}trials"] = np.int64(acc.trials)
    return out


if __name__ == "__main__":
    _fold_designs(Path(sys.argv[1]))
