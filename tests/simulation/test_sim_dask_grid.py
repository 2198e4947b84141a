"""A scenario grid on Dask streams accumulators back and equals the single-process run; with the GPU
engine the grid runs in the calling process instead."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from oncotrial.simulation.accumulator import Accumulator
from oncotrial.simulation.model import TrialModel
from oncotrial.simulation.runner import accumulate, simulate
from oncotrial.simulation.scenario_loading import load_scenario, load_scenarios


def test_grid_on_an_in_process_cluster_matches_the_local_run() -> None:
    scenarios = load_scenarios(builtin="nct07304388", grid=True)[:2]
    seen: list[int] = []
    from oncotrial.simulation.grid import simulate_grid

    reports = simulate_grid(scenarios, replications=3000, workers=1, processes=False, block=1000,
                            progress=lambda done, total: seen.append(done))
    assert len(reports) == 2 and sum(seen) == 2 * 2 * 3000  # each scenario and its H0 twin
    for scenario, report in zip(scenarios, reports, strict=True):
        local = simulate(scenario, replications=3000)
        assert report.main.trials == 3000 and report.null is not None
        # same trials (blocks are independent of where they run), so identical counts
        assert np.array_equal(report.main.acc.reject, local.main.acc.reject)
        assert np.array_equal(report.main.acc.test_reject_final, local.main.acc.test_reject_final)
        assert local.null is not None
        assert np.array_equal(report.null.acc.reject, local.null.acc.reject)


def test_a_gpu_grid_runs_in_the_calling_process_not_on_dask(monkeypatch: pytest.MonkeyPatch) -> None:
    """One process keeps the GPU busy; Dask workers would each open a CUDA context on it."""
    import dask.distributed

    from oncotrial.simulation import grid

    def no_dask(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a Dask cluster was started for the gpu engine")

    asked: list[str] = []

    def on_numba(model: TrialModel, first: int, count: int, engine: str = "numba",
                 **kwargs: Any) -> Accumulator:
        asked.append(engine)  # the GPU's run, simulated by numba (same trials) where there is no GPU
        return accumulate(model, first, count, "numba", **kwargs)

    monkeypatch.setattr(dask.distributed, "LocalCluster", no_dask)
    monkeypatch.setattr(dask.distributed, "Client", no_dask)
    monkeypatch.setattr(grid, "resolve_engine", lambda name, notice=None: "gpu")
    monkeypatch.setattr(grid, "accumulate", on_numba)
    scenarios = [load_scenario(builtin="benchmark-gs3"), load_scenario(builtin="benchmark-fixed")]
    notes: list[str] = []
    seen: list[int] = []
    reports = grid.simulate_grid(scenarios, replications=2000, engine="gpu", notice=notes.append,
                                 progress=lambda done, total: seen.append(done))
    assert notes == [grid.GPU_NOTICE] and "\n" not in grid.GPU_NOTICE
    runs = sum(2 if s.check_null else 1 for s in scenarios)  # each scenario and its H0 twin
    assert asked == ["gpu"] * runs and sum(seen) == runs * 2000
    for scenario, report in zip(scenarios, reports, strict=True):
        local = simulate(scenario, replications=2000)
        assert report.main.trials == 2000
        assert np.array_equal(report.main.acc.reject, local.main.acc.reject)
        assert np.array_equal(report.main.acc.time_hist, local.main.acc.time_hist)
        assert (report.null is None) == (local.null is None)
        if report.null is not None and local.null is not None:
            assert np.array_equal(report.null.acc.reject, local.null.acc.reject)
