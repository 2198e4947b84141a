"""The operating-characteristic sums of a block of trials, folded on the GPU.

The device twin of :func:`.accumulator._fold`: the trial kernel (:mod:`.gpu_kernel`) leaves its
per-trial results in device arrays (``stop``, ``decision``, ``z``, ``est``, ``time``, ``events``,
``enrolled``, ``short``, one row per trial, one column per look), and :func:`fold_block` adds
them into every field of an :class:`~.accumulator.Accumulator` without copying a trial back to
the host: only the sums (a few hundred numbers and the two histograms) are.

The fold is the CPU's, field for field (same look ranges, same ``>=`` against the efficacy
bound, the same NaN and infinity filters on the estimate, the same histogram slot function
:func:`slot`, a copy of :func:`.accumulator._bin`). The GPU kernel has one test, the log-rank
(test index 0), whose estimate is Peto's log hazard ratio ``U / V`` (Peto et al., *Br J Cancer*
1977; see :func:`.numba_analysis.logrank_fast`), so ``hr_test`` is 0.

Reduction (Harris, *Optimizing parallel reduction in CUDA*; CUDA C Programming Guide, "Atomic
Functions"): each thread folds its trials (a grid-stride loop) into its own local counters,
adds them into the thread block's counters in shared memory (one shared atomic per counter per
thread), and one thread per counter adds the block's total into global memory (one global
atomic per counter per block). The histograms (1,602 and 12,002 slots, too large for a small
shared footprint) take global atomics directly, one per run of equal slots in a thread's trials
(calendar cuts put every trial that stops at a look in the same time slot: one atomic per thread
instead of one per trial on one address). Shared memory: ``(5 K + 1) + (4 K + 9)``
eight-byte words for ``K`` looks (ptxas 13.0 for sm_90, no spills: 296 bytes of shared memory,
69 registers and 304 bytes of per-thread local counters at three looks; 800 bytes, 94 registers
and 800 bytes at ten, the most a scenario has).

Integer fields equal the CPU's exactly. Float fields (sums and squares of look times, event
counts, the stop-time triple and the log HR) are added in another order (per thread, then per
block, in the order the atomics land), so they agree with the CPU to round-off (relative
``~1e-15`` per addition), not bit for bit; event counts are integers below ``2**53`` and stay exact.

``numba.cuda`` is imported on the first fold, so importing this module never needs CUDA.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np

from oncotrial.simulation.accumulator import LOG_HR_BINS, TIME_BINS, Accumulator

cuda: Any = None
"""``numba.cuda``, bound by :func:`_cuda` on first use (the simulator re-binds globals naming it)."""

THREADS = 256
"""Threads per block of the fold on a GPU (one trial per thread per grid-stride step)."""
BLOCKS_PER_SM = 4
SIMULATOR_THREADS = 8
SIMULATOR_BLOCKS = 3
"""Simulated launch: 24 threads, so a few dozen trials exercise the grid-stride loop and both
reduction levels."""


def _cuda() -> Any:
    global cuda  # a module global, so that the simulator can re-bind it
    if cuda is None:
        import numba.cuda

        cuda = numba.cuda
    return cuda


def counter_sizes(looks: int) -> tuple[int, int]:
    """(integer counters, float counters) of a fold over ``looks`` looks.

    Integers: reject, futility, short, reached and test_reject_look (``K`` each), then
    test_reject_final. Floats: look time sum and squares, look events sum and squares (``K``
    each), the stop triple's sums and squares (6), the log HR count, sum and squares (3).
    """
    return 5 * looks + 1, 4 * looks + 9


def slot(x: float, lo: float, width: float, size: int) -> int:
    """Histogram slot of ``x``: 0 below ``lo``, ``size`` above the last edge, as :func:`.accumulator._bin`.

    Slot ``i`` (1 .. ``size`` - 1) holds ``edges[i - 1] < x <= edges[i]`` for edges ``lo + j width``.
    The clamp is written with comparisons: numba 0.68.1's CUDA target compiles ``max(v, 0.0)``
    here to a device call that it then rejects (seen compiling to PTX for sm_90).
    """
    if x <= lo - width:
        return 0
    v = math.ceil((x - lo) / width)  # clamped to [0, size] by comparisons (no min/max: see below)
    if v <= 0:
        return 0
    if v >= size:
        return size
    return int(v)


@cache
def fold_kernel(threads: int, looks: int) -> Any:
    """The fold for ``looks`` looks (a compile-time constant: local and shared array shapes)."""
    c = _cuda()
    from numba import float64, int64

    from oncotrial.simulation.gpu_primitives import SIMULATED

    n_int, n_float = counter_sizes(looks)
    to_slot = slot if SIMULATED else c.jit(device=True)(slot)
    k_short, k_reached, k_test, k_final = 2 * looks, 3 * looks, 4 * looks, 5 * looks
    f_events, f_stop, f_hr = 2 * looks, 4 * looks, 4 * looks + 6

    def kernel(count: int, stop: Any, decision: Any, z: Any, est: Any, time: Any, events: Any,
               enrolled: Any, short: Any, efficacy: Any, hr_test: int, ints: Any, floats: Any,
               hr_hist: Any, time_hist: Any, hr_lo: float, hr_width: float, time_lo: float,
               time_width: float) -> None:
        tid = cuda.threadIdx.x
        block_ints = cuda.shared.array(n_int, int64)
        block_floats = cuda.shared.array(n_float, float64)
        mine_i = cuda.local.array(n_int, int64)
        mine_f = cuda.local.array(n_float, float64)
        for q in range(tid, n_int, threads):
            block_ints[q] = 0
        for q in range(tid, n_float, threads):
            block_floats[q] = 0.0
        for q in range(n_int):
            mine_i[q] = 0
        for q in range(n_float):
            mine_f[q] = 0.0
        cuda.syncthreads()
        hr_top = hr_hist.size - 1
        time_top = time_hist.size - 1
        t_slot = -1  # histogram slots are added as runs: one atomic per run of equal slots
        t_run = 0
        h_slot = -1
        h_run = 0
        for i in range(cuda.blockIdx.x * threads + tid, count, cuda.gridDim.x * threads):
            s = np.int64(stop[i])
            if decision[i] == 1:
                mine_i[s] += 1
            elif decision[i] == -1:
                mine_i[looks + s] += 1
            for k in range(s + 1):
                mine_i[k_reached + k] += 1
                t = time[i, k]
                e = np.float64(events[i, k])
                mine_f[k] += t
                mine_f[looks + k] += t * t
                mine_f[f_events + k] += e
                mine_f[f_events + looks + k] += e * e
                if z[i, k] >= efficacy[k]:
                    mine_i[k_test + k] += 1
            for k in range(looks):
                mine_i[k_short + k] += short[i, k]
            a = np.float64(events[i, s])
            b = time[i, s]
            d = np.float64(enrolled[i, s])
            mine_f[f_stop] += a
            mine_f[f_stop + 1] += b
            mine_f[f_stop + 2] += d
            mine_f[f_stop + 3] += a * a
            mine_f[f_stop + 4] += b * b
            mine_f[f_stop + 5] += d * d
            if z[i, s] >= efficacy[s]:
                mine_i[k_final] += 1
            here = to_slot(b, time_lo, time_width, time_top)
            if here != t_slot:
                if t_run > 0:
                    cuda.atomic.add(time_hist, t_slot, t_run)
                t_slot = here
                t_run = 0
            t_run += 1
            if hr_test >= 0:
                x = est[i, s]
                if x == x:
                    here = to_slot(x, hr_lo, hr_width, hr_top)
                    if here != h_slot:
                        if h_run > 0:
                            cuda.atomic.add(hr_hist, h_slot, h_run)
                        h_slot = here
                        h_run = 0
                    h_run += 1
                    if abs(x) < math.inf:
                        mine_f[f_hr] += 1.0
                        mine_f[f_hr + 1] += x
                        mine_f[f_hr + 2] += x * x
        if t_run > 0:
            cuda.atomic.add(time_hist, t_slot, t_run)
        if h_run > 0:
            cuda.atomic.add(hr_hist, h_slot, h_run)
        for q in range(n_int):
            if mine_i[q] != 0:
                cuda.atomic.add(block_ints, q, mine_i[q])
        for q in range(n_float):
            if mine_f[q] != 0.0:
                cuda.atomic.add(block_floats, q, mine_f[q])
        cuda.syncthreads()
        for q in range(tid, n_int, threads):
            if block_ints[q] != 0:
                cuda.atomic.add(ints, q, block_ints[q])
        for q in range(tid, n_float, threads):
            if block_floats[q] != 0.0:
                cuda.atomic.add(floats, q, block_floats[q])

    return c.jit(kernel)


def launch_size(count: int, simulated: bool, multiprocessors: int) -> tuple[int, int]:
    """(blocks, threads per block) of the fold of ``count`` trials."""
    if simulated:
        return max(1, min(SIMULATOR_BLOCKS, -(-count // SIMULATOR_THREADS))), SIMULATOR_THREADS
    return max(1, min(BLOCKS_PER_SM * multiprocessors, -(-count // THREADS))), THREADS


def fold_block(trials: Mapping[str, Any], count: int, efficacy: Any, acc: Accumulator) -> None:
    """Add the first ``count`` rows of the device arrays ``trials`` into ``acc`` (sums only come back).

    ``trials`` maps ``stop, decision, z, est, time, events, enrolled, short`` to device arrays
    with at least ``count`` rows and ``acc.k_max`` columns (as the trial kernel writes them);
    ``efficacy`` holds the efficacy bounds (host or device).
    """
    c = _cuda()
    from oncotrial.simulation.gpu_primitives import SIMULATED

    if count == 0:
        return
    if acc.n_tests != 1 or acc.hr_test not in (-1, 0):
        raise ValueError(f"the device fold covers the log-rank alone, not {acc.n_tests} tests")
    k = acc.k_max
    sms = 1 if SIMULATED else int(c.get_current_device().MULTIPROCESSOR_COUNT)
    blocks, threads = launch_size(count, SIMULATED, sms)
    n_int, n_float = counter_sizes(k)
    ints = c.to_device(np.zeros(n_int, np.int64))
    floats = c.to_device(np.zeros(n_float))
    hr_hist = c.to_device(np.zeros_like(acc.log_hr_hist))
    time_hist = c.to_device(np.zeros_like(acc.time_hist))
    bounds = efficacy if hasattr(efficacy, "copy_to_host") else c.to_device(
        np.ascontiguousarray(efficacy, dtype=np.float64))
    fold_kernel(threads, k)[blocks, threads](
        np.int64(count), trials["stop"], trials["decision"], trials["z"], trials["est"], trials["time"],
        trials["events"], trials["enrolled"], trials["short"], bounds, np.int64(acc.hr_test), ints, floats,
        hr_hist, time_hist, np.float64(LOG_HR_BINS[0]), np.float64(LOG_HR_BINS[1] - LOG_HR_BINS[0]),
        np.float64(TIME_BINS[0]), np.float64(TIME_BINS[1] - TIME_BINS[0]))
    add_sums(acc, count, ints.copy_to_host(), floats.copy_to_host(), hr_hist.copy_to_host(),
             time_hist.copy_to_host())


def add_sums(acc: Accumulator, count: int, ints: Any, floats: Any, hr_hist: Any, time_hist: Any) -> None:
    """Add the fold's flat counters (layout of :func:`counter_sizes`) into ``acc``."""
    k = acc.k_max
    acc.trials += count
    acc.reject += ints[0:k]
    acc.futility += ints[k:2 * k]
    acc.short += ints[2 * k:3 * k]
    acc.reached += ints[3 * k:4 * k]
    acc.test_reject_look[:, 0] += ints[4 * k:5 * k]
    acc.test_reject_final[0] += ints[5 * k]
    acc.look_time += floats[0:2 * k].reshape(2, k)
    acc.look_events += floats[2 * k:4 * k].reshape(2, k)
    acc.stop_sums += floats[4 * k:4 * k + 6].reshape(2, 3)
    acc.log_hr_sums += floats[4 * k + 6:4 * k + 9]
    acc.log_hr_hist += hr_hist
    acc.time_hist += time_hist
