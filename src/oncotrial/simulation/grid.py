"""Scenario grids on Dask distributed: scenarios × blocks of replications, streamed back.

Each task simulates one block of one scenario and returns its :class:`Accumulator` (a few
hundred kilobytes whatever the block size); the client merges accumulators as tasks finish
(``as_completed``) and keeps at most ``2 × workers`` tasks in flight, so memory stays bounded on
both sides. The default cluster is a :class:`dask.distributed.LocalCluster`; ``scheduler`` is the
address of an existing cluster (``tcp://host:8786``).

With the ``gpu`` engine the grid does not go to Dask: every worker process would open its own
CUDA context on the one device (each taking device memory and time-slicing the kernels), while
one process already keeps the GPU busy with blocks of 2**22 trials. The grid points then run one
after another in the calling process (:func:`.runner.accumulate`, the device fold), after a
one-line notice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from oncotrial.simulation.accumulator import Accumulator
from oncotrial.simulation.characteristics import OperatingCharacteristics
from oncotrial.simulation.engine_gpu import engine_for, resolve_engine
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.report import SimulationReport
from oncotrial.simulation.runner import accumulate
from oncotrial.simulation.scenario import Scenario

GRID_BLOCK = 100_000
GPU_NOTICE = ("engine gpu: the grid points run one after another in this process on the GPU "
              "(not on Dask workers, which would each open a CUDA context on it)")


def _task(scenario: Scenario, first: int, count: int, engine: str) -> Accumulator:
    """Runs on a worker: one block, one thread (the worker's slot)."""
    model = compile_scenario(scenario)
    return accumulate(model, first, count, engine, threads=1, block=min(count, 65_536))


def _jobs(runs: Sequence[Scenario], block: int) -> Iterator[tuple[int, int, int]]:
    for i, s in enumerate(runs):
        for first in range(0, s.replications, block):
            yield i, first, min(block, s.replications - first)


def simulate_grid(scenarios: Sequence[Scenario], *, replications: int | None = None, seed: int | None = None,
                  engine: str = "auto", scheduler: str | None = None, workers: int | None = None,
                  processes: bool = True, block: int = GRID_BLOCK,
                  progress: Callable[[int, int], None] | None = None,
                  notice: Callable[[str], None] | None = None) -> list[SimulationReport]:
    """Simulate every scenario (and its H0 twin when ``check_null``) on a Dask cluster (on the GPU
    in this process, after a one-line notice, when the engine resolves to ``gpu``)."""
    cpu = resolve_engine(engine, notice)
    base = [s.with_replications(replications, seed) for s in scenarios]
    if cpu == "gpu":  # blocks of a scenario the kernel does not cover run on numba: say so once
        for s in base:
            engine_for(cpu, compile_scenario(s), notice)
    runs: list[Scenario] = []
    owner: list[tuple[int, bool]] = []
    for i, s in enumerate(base):
        runs.append(s)
        owner.append((i, False))
        if s.check_null:
            runs.append(s.under_null())
            owner.append((i, True))
    start = time.perf_counter()
    if cpu == "gpu":
        if notice is not None:
            notice(GPU_NOTICE)
        accs = _run_here(runs, progress)
        label = "gpu (one process)"
    else:
        accs = _run_on_dask(runs, block, scheduler, workers, processes, cpu, progress)
        label = f"{cpu} on dask"
    seconds = time.perf_counter() - start
    reports: list[SimulationReport] = []
    for i, s in enumerate(base):
        main = OperatingCharacteristics(s, accs[owner.index((i, False))], label, seconds)
        null = None
        if (i, True) in owner:
            j = owner.index((i, True))
            null = OperatingCharacteristics(runs[j], accs[j], label, seconds)
        reports.append(SimulationReport(main, null))
    return reports


def _run_here(runs: Sequence[Scenario], progress: Callable[[int, int], None] | None) -> list[Accumulator]:
    """Every run in this process, one after another, on the GPU (numba where the kernel does not cover it)."""
    def advance(done: int, total: int) -> None:
        if progress is not None:
            progress(done, 0)

    return [accumulate(compile_scenario(s), 0, s.replications, "gpu", progress=advance) for s in runs]


def _run_on_dask(runs: Sequence[Scenario], block: int, scheduler: str | None, workers: int | None,
                 processes: bool, cpu: str, progress: Callable[[int, int], None] | None) -> list[Accumulator]:
    import dask.distributed

    dd: Any = dask.distributed  # untyped API
    accs = [Accumulator.for_model(compile_scenario(s)) for s in runs]
    cluster: Any = None
    if scheduler is None:
        cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                  dashboard_address=None)
        client: Any = dd.Client(cluster)
    else:
        client = dd.Client(scheduler)
    try:
        slots = 2 * max(1, len(client.scheduler_info().get("workers", {})) or 1)
        jobs = _jobs(runs, block)
        pending: Any = dd.as_completed()
        futures: dict[Any, tuple[int, int]] = {}

        def submit() -> bool:
            job = next(jobs, None)
            if job is None:
                return False
            i, first, count = job
            fut = client.submit(_task, runs[i], first, count, cpu, pure=False)
            futures[fut] = (i, count)
            pending.add(fut)
            return True

        for _ in range(slots):
            if not submit():
                break
        for fut in pending:
            i, count = futures.pop(fut)
            accs[i].merge(fut.result())
            fut.release()
            if progress is not None:
                progress(count, 0)
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return accs
