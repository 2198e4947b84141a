"""Whole-trial simulation throughput, all measured in the same run (trials per second).

Fixed design (log-rank at 90 events) and 3-look group sequential design (30/60/90 events,
Lan-DeMets O'Brien-Fleming), n = 120, HR 0.6, control median 6 months, 24 months of accrual,
rpact's conventions (built-in scenarios ``benchmark-fixed`` and ``benchmark-gs3``). Rows:

* numba engine (all cores) - the kernel alone (trials simulated, analysed and decided, per-trial
  results written) and end to end (plus the operating-characteristics accumulation);
* NumPy engine (all cores, chunks of 1,024 trials);
* GPU engine (only where numba.cuda finds a real CUDA device): the fused kernel, one trial per warp,
  counts kept on the device (``count_block_gpu``), 10**8 trials in batches of 10**7 after a warm-up
  call that compiles the kernel (not timed), for each register cap in ``--gpu-registers``; end to end
  on the device (``runner.accumulate`` with ``gpu``: the kernel writes per-trial results to device
  arrays and ``gpu_fold`` sums them into the full ``Accumulator`` there, blocks of
  ``gpu_engine_run.gpu_block`` trials), on the same trials, after a check that its sums equal the
  numba engine's; and the per-trial path (``simulate_block_gpu``, results copied back) on 10**6 trials;
* a lifelines loop and a SciPy loop (per-trial ``logrank_test`` / ``scipy.stats.logrank`` on the
  same simulated patients; small N, extrapolated);
* rpact ``getSimulationSurvival`` through Rscript (time measured inside R around the call).

The same two designs with MaxCombo (max of FH(0,0), FH(0,1), FH(1,0), FH(1,1), p-value from their
joint normal law) as the test: numba and NumPy engines only (rpact has no MaxCombo; its log-rank
figure above is the peer).

Prints figures; asserts nothing. Run: ``.venv/bin/python benchmarks/simulate.py`` (about 2-4 min);
``--memory`` also simulates 10**7 trials and reports the peak resident memory; ``--numba-only`` prints
only the numba kernel rows of the log-rank designs (to check a kernel change quickly; run it with
``PYTHONPATH`` pointing at an older source tree to compare both under the same load); ``--gpu-only``
prints only the GPU rows (``--gpu-trials``, ``--gpu-batch`` and ``--gpu-registers`` set their sizes).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import time
from collections.abc import Callable

import numba
import numpy as np

from oncotrial.simulation.accumulator import Accumulator
from oncotrial.simulation.engine_gpu import cuda_available, detect_gpu
from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.numpy_analysis import look_cut
from oncotrial.simulation.numpy_generation import Patients, generate_patients
from oncotrial.simulation.rpact_reference import rscript_with_rpact, run_rpact
from oncotrial.simulation.runner import accumulate, characteristics, simulate_block
from oncotrial.simulation.scenario import Scenario, StatTest
from oncotrial.simulation.scenario_loading import load_scenario
from oncotrial.simulation.trial_block import TrialBlock

DESIGNS = ("benchmark-fixed", "benchmark-gs3")


def _best(fn: Callable[[], object], repeats: int = 3) -> float:
    """Fastest of ``repeats`` wall-clock runs, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _loop(model: TrialModel, trials: int, statistic: Callable[[np.ndarray, np.ndarray, np.ndarray], float]
          ) -> float:
    """Per-trial Python loop: simulate (vectorised, not timed separately) then one test per look."""
    start = time.perf_counter()
    p = generate_patients(model, np.arange(trials, dtype=np.int64))
    cuts = [look_cut(model, p, k)[0] for k in range(model.k_max)]
    for t in range(trials):
        for k in range(model.k_max):
            z = _look_statistic(p, t, float(cuts[k][t]), statistic)
            if z >= model.efficacy[k]:
                break
    return time.perf_counter() - start


def _look_statistic(p: Patients, t: int, cut: float,
                    statistic: Callable[[np.ndarray, np.ndarray, np.ndarray], float]) -> float:
    inc = p.entry[t] <= cut
    x = np.minimum(p.event_time[t], cut - p.entry[t])[inc]
    return statistic(x, (p.calendar[t] <= cut)[inc], p.arm[t][inc])


def _lifelines(x: np.ndarray, e: np.ndarray, g: np.ndarray) -> float:
    from lifelines.statistics import logrank_test

    r = logrank_test(x[g == 1], x[g == 0], e[g == 1], e[g == 0])
    return float(np.sqrt(r.test_statistic))


def _scipy(x: np.ndarray, e: np.ndarray, g: np.ndarray) -> float:
    from scipy.stats import CensoredData, logrank

    a = CensoredData(uncensored=x[(g == 1) & e], right=x[(g == 1) & ~e])
    b = CensoredData(uncensored=x[(g == 0) & e], right=x[(g == 0) & ~e])
    return float(-logrank(a, b, alternative="two-sided").statistic)


def _row(label: str, rate: float, rpact: float | None) -> None:
    ratio = f"{rate / rpact:8.1f}x rpact" if rpact else ""
    print(f"  {label:<46} {rate:>14,.0f} trials/s  {ratio}")


def bench_numba(name: str, repeats: int) -> None:
    scenario: Scenario = load_scenario(builtin=name)
    model = compile_scenario(scenario)
    simulate_block(model, 0, 2048, "numba")  # compile / load the cache
    big = 2_000_000
    kernel = big / _best(lambda: simulate_block(model, 0, big, "numba"), repeats)
    _row(f"{name}: numba kernel ({numba.get_num_threads()} threads, {big:,} trials)", kernel, None)


def bench(name: str, rpact_iterations: int) -> None:
    scenario: Scenario = load_scenario(builtin=name)
    model = compile_scenario(scenario)
    print(f"\n{scenario.title}")
    rpact_rate = None
    rscript = rscript_with_rpact()
    if rscript is not None:
        r = run_rpact(scenario, rpact_iterations, seed=1, rscript=rscript)
        rpact_rate = rpact_iterations / r.seconds
    simulate_block(model, 0, 2048, "numba")  # compile / load the cache
    big = 2_000_000
    kernel = big / _best(lambda: simulate_block(model, 0, big, "numba"))
    _row(f"numba kernel ({numba.get_num_threads()} threads, {big:,} trials)", kernel, rpact_rate)
    e2e = big / _best(lambda: characteristics(scenario.with_replications(big)), 2)
    _row("numba end to end (with OC accumulation)", e2e, rpact_rate)
    mid = 200_000
    np_rate = mid / _best(lambda: simulate_block(model, 0, mid, "numpy", threads=os.cpu_count()), 2)
    _row(f"NumPy engine ({os.cpu_count()} threads, {mid:,} trials)", np_rate, rpact_rate)
    np1 = mid / _best(lambda: simulate_block(model, 0, mid, "numpy", threads=1), 1)
    _row("NumPy engine (1 thread)", np1, rpact_rate)
    bench_gpu(model, dataclasses.replace(GPU_DEFAULTS, registers=GPU_DEFAULTS.registers[:1]))
    _row("SciPy loop (scipy.stats.logrank, 3,000 trials)", 3000 / _loop(model, 3000, _scipy), rpact_rate)
    _row("lifelines loop (logrank_test, 300 trials)", 300 / _loop(model, 300, _lifelines), rpact_rate)
    if rpact_rate is not None:
        _row(f"rpact getSimulationSurvival ({rpact_iterations:,} iterations)", rpact_rate, rpact_rate)
    else:
        print(f"  {'rpact':<46} {'not run':>14}  (Rscript with rpact not found)")


@dataclasses.dataclass(frozen=True)
class GpuSizes:
    trials: int = 100_000_000
    batch: int = 10_000_000
    registers: tuple[int, ...] = (128, 0, 96)


GPU_DEFAULTS = GpuSizes()


def _real_cuda() -> bool:
    return cuda_available() and os.environ.get("NUMBA_ENABLE_CUDASIM") != "1"


def bench_gpu(model: TrialModel, sizes: GpuSizes) -> None:
    """GPU rows: device-side counts on ``sizes.trials`` trials per register cap, then per-trial results."""
    if not _real_cuda():
        found = detect_gpu()
        why = f"{found} sees a GPU but numba.cuda does not" if found else "no CUDA device"
        print(f"  {'GPU engine':<46} {'not run':>14}  ({why})")
        return
    from numba import cuda

    from oncotrial.simulation.gpu_engine_run import count_block_gpu, simulate_block_gpu

    name = cuda.get_current_device().name
    device = name.decode() if isinstance(name, bytes) else str(name)
    check = 100_000  # the rates below mean nothing unless the kernel gives the numba engine's trials
    gpu_block = simulate_block_gpu(model, 0, check)
    cpu_block = simulate_block(model, 0, check, "numba")
    agree = int(np.sum(gpu_block.decision == cpu_block.decision))
    print(f"  {'GPU check on ' + f'{check:,} trials':<46} {agree:>14,} decisions equal to numba's "
          f"(max |dz| {np.nanmax(np.abs(gpu_block.z - cpu_block.z)):.1e})")
    for cap in sizes.registers:
        count_block_gpu(model, 0, 4096, max_registers=cap)  # warm-up: compiles the kernel, not timed

        def run(cap: int = cap) -> None:
            for first in range(0, sizes.trials, sizes.batch):
                count_block_gpu(model, first, min(sizes.batch, sizes.trials - first), max_registers=cap)

        rate = sizes.trials / _best(run, 2)
        label = f"GPU kernel, counts only (registers {cap or 'auto'}, {sizes.trials:,})"
        _row(label, rate, None)
    bench_gpu_fold(model, sizes, cpu_block)
    simulate_block_gpu(model, 0, 4096)
    per_trial = 1_000_000
    rate = per_trial / _best(lambda: simulate_block_gpu(model, 0, per_trial), 2)
    _row(f"GPU kernel, per-trial results copied ({per_trial:,})", rate, None)
    print(f"  {'':<46} device: {device}")


def bench_gpu_fold(model: TrialModel, sizes: GpuSizes, cpu_block: TrialBlock) -> None:
    """GPU end to end: kernel + device fold into the full Accumulator (what ``--engine gpu`` runs)."""
    from oncotrial.simulation.gpu_engine_run import gpu_block

    check = cpu_block.count
    device = accumulate(model, 0, check, "gpu")  # also the warm-up: compiles the fold kernel
    cpu = Accumulator.for_model(model)
    cpu.add(cpu_block, model)
    label = f"GPU device fold check on {check:,} trials"
    print(f"  {label:<46} rejections {int(device.reject.sum()):,} "
          f"(numba {int(cpu.reject.sum()):,}), mean stop time {device.stop_sums[0, 1] / check:.6f} "
          f"(numba {cpu.stop_sums[0, 1] / check:.6f})")
    rate = sizes.trials / _best(lambda: accumulate(model, 0, sizes.trials, "gpu"), 2)
    _row(f"GPU end to end, device fold ({sizes.trials:,}, blocks {gpu_block(model.k_max):,})", rate, None)


def bench_maxcombo(name: str) -> None:
    base = load_scenario(builtin=name)
    analysis = dataclasses.replace(base.analysis, tests=(StatTest.MAXCOMBO,))
    scenario = dataclasses.replace(base, analysis=analysis)
    model = compile_scenario(scenario)
    print(f"\n{scenario.title} - MaxCombo instead of log-rank")
    simulate_block(model, 0, 512, "numba")  # compile / load the cache
    big = 100_000
    rate = big / _best(lambda: simulate_block(model, 0, big, "numba"), 2)
    _row(f"numba kernel ({numba.get_num_threads()} threads, {big:,} trials)", rate, None)
    mid = 4_000
    np_rate = mid / _best(lambda: simulate_block(model, 0, mid, "numpy", threads=os.cpu_count()), 1)
    _row(f"NumPy engine ({os.cpu_count()} threads, {mid:,} trials)", np_rate, None)


def memory(trials: int) -> None:
    scenario = load_scenario(builtin="benchmark-gs3").with_replications(trials)
    start = time.perf_counter()
    oc = characteristics(scenario)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{trials:,} trials of benchmark-gs3 end to end in {seconds:.1f} s "
          f"({trials / seconds:,.0f} trials/s); P(reject) {oc.rejection['estimate']:.4f}; "
          f"peak resident memory of the whole process {peak:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rpact-iterations", type=int, default=50_000)
    parser.add_argument("--memory", action="store_true", help="also run 10**7 trials and report peak memory")
    parser.add_argument("--numba-only", action="store_true", help="only the numba kernel rows (log-rank)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs (--numba-only)")
    parser.add_argument("--gpu-only", action="store_true", help="only the GPU rows (log-rank designs)")
    parser.add_argument("--gpu-trials", type=int, default=GPU_DEFAULTS.trials)
    parser.add_argument("--gpu-batch", type=int, default=GPU_DEFAULTS.batch)
    parser.add_argument("--gpu-registers", default=",".join(str(r) for r in GPU_DEFAULTS.registers),
                        help="register caps to time, comma-separated (0: the compiler's choice)")
    args = parser.parse_args()
    print(f"CPU cores: {os.cpu_count()}; numba threads: {numba.get_num_threads()}; numpy {np.__version__}; "
          f"load average {os.getloadavg()[0]:.2f}")
    if args.gpu_only:
        caps = tuple(int(r) for r in args.gpu_registers.split(","))
        sizes = GpuSizes(args.gpu_trials, args.gpu_batch, caps)
        for name in DESIGNS:
            print(f"\n{name}")
            bench_gpu(compile_scenario(load_scenario(builtin=name)), sizes)
        return
    if args.numba_only:
        for name in DESIGNS:
            bench_numba(name, args.repeats)
        print(f"load average {os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[1]:.2f} (5 min)")
        return
    for name in DESIGNS:
        bench(name, args.rpact_iterations)
    for name in DESIGNS:
        bench_maxcombo(name)
    if args.memory:
        memory(10_000_000)


if __name__ == "__main__":
    main()
