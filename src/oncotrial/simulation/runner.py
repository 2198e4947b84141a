"""Run a scenario: blocks of trials through an engine into an :class:`Accumulator`.

>>> from oncotrial.simulation.runner import simulate
>>> from oncotrial.simulation.scenario_loading import load_scenario
>>> report = simulate(load_scenario(builtin="nct07304388"), replications=20_000)  # doctest: +SKIP
>>> report.main.rejection  # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable

from oncotrial.simulation.accumulator import Accumulator
from oncotrial.simulation.characteristics import OperatingCharacteristics
from oncotrial.simulation.engine_gpu import engine_for, resolve_engine
from oncotrial.simulation.gpu_engine_run import (
    DeviceTrials,
    accumulate_block_gpu,
    gpu_block,
    simulate_block_gpu,
    supports_gpu,
)
from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.report import SimulationReport
from oncotrial.simulation.scenario import Scenario
from oncotrial.simulation.trial_block import TrialBlock

DEFAULT_BLOCK = 65_536
"""Trials per block of the CPU engines (the GPU's is :func:`.gpu_engine_run.gpu_block`)."""
Progress = Callable[[int, int], None]


def simulate_block(model: TrialModel, first: int, count: int, engine: str = "numba",
                   threads: int | None = None) -> TrialBlock:
    """Trials ``first .. first + count - 1`` with the named engine (same trials on every engine).

    ``gpu`` runs the fused kernel where :func:`.gpu_engine_run.supports_gpu` covers ``model`` and
    falls back to numba for the block otherwise (:func:`simulate` gives the notice).
    """
    if engine == "gpu" and supports_gpu(model) is None:
        return simulate_block_gpu(model, first, count)
    if engine == "numpy":
        from oncotrial.simulation.engine_numpy import simulate_block_numpy

        return simulate_block_numpy(model, first, count, threads)
    from oncotrial.simulation.engine_numba import simulate_block_numba

    return simulate_block_numba(model, first, count, threads)


def accumulate(model: TrialModel, first: int, count: int, engine: str = "numba", threads: int | None = None,
               block: int | None = None, progress: Progress | None = None) -> Accumulator:
    """Simulate ``count`` trials from ``first`` in blocks; memory stays at one block.

    ``gpu`` (where the kernel covers ``model``) folds each block on the device
    (:func:`.gpu_engine_run.accumulate_block_gpu`: only the sums come back), in blocks of
    :func:`.gpu_engine_run.gpu_block` trials by default (2**22, at most 1 GiB of device arrays,
    reused from block to block); the CPU engines fold :data:`DEFAULT_BLOCK` trials at a time.
    """
    acc = Accumulator.for_model(model)
    on_device = engine == "gpu" and supports_gpu(model) is None
    if block is None:
        block = gpu_block(model.k_max) if on_device else DEFAULT_BLOCK
    trials: DeviceTrials | None = None
    done = 0
    while done < count:
        size = min(block, count - done)
        if on_device:
            trials = accumulate_block_gpu(model, first + done, size, acc, trials)
        else:
            acc.add(simulate_block(model, first + done, size, engine, threads), model)
        done += size
        if progress is not None:
            progress(size, count)
    return acc


def characteristics(scenario: Scenario, engine: str = "numba", threads: int | None = None,
                    block: int | None = None, progress: Progress | None = None) -> OperatingCharacteristics:
    """Operating characteristics of ``scenario`` (``scenario.replications`` trials)."""
    model = compile_scenario(scenario)
    start = time.perf_counter()
    acc = accumulate(model, 0, scenario.replications, engine, threads, block, progress)
    return OperatingCharacteristics(scenario, acc, engine, time.perf_counter() - start)


def simulate(scenario: Scenario, *, replications: int | None = None, seed: int | None = None,
             engine: str = "auto", threads: int | None = None, block: int | None = None,
             progress: Progress | None = None, notice: Callable[[str], None] | None = None
             ) -> SimulationReport:
    """Simulate ``scenario`` (and, when ``scenario.check_null``, the same trial under H0).

    The null run reuses the seed, so both runs see the same uniforms (common random numbers).
    """
    s = scenario.with_replications(replications, seed)
    cpu = engine_for(resolve_engine(engine, notice), compile_scenario(s), notice)
    main = characteristics(s, cpu, threads, block, progress)
    null = characteristics(s.under_null(), cpu, threads, block, progress) if s.check_null else None
    return SimulationReport(main, null)
