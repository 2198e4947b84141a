"""A scenario grid on Dask streams accumulators back and equals the single-process run."""

from __future__ import annotations

import numpy as np

from oncotrial.simulation.runner import simulate
from oncotrial.simulation.scenario_loading import load_scenarios


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
