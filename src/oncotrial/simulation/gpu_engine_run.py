"""Host side of the GPU engine: the scenarios it covers, the launch, and what comes back.

:func:`supports_gpu` says whether the fused kernel (:mod:`.gpu_kernel`) covers a compiled
scenario; :func:`accumulate_block_gpu` (what ``simulate --engine gpu`` runs) writes the per-trial
results to device arrays, reused from block to block (:class:`DeviceTrials`), and folds them into
an :class:`~.accumulator.Accumulator` on the device (:mod:`.gpu_fold`), so that only the sums
cross to the host; :func:`simulate_block_gpu` returns the same :class:`~.trial_block.TrialBlock`
as the CPU engines (per-trial results copied back); :func:`count_block_gpu` returns only a few
counts accumulated inside the trial kernel (no per-trial arrays at all).

``numba.cuda`` is imported by the runners only, so importing this module (and deciding
whether a scenario is covered) never needs CUDA.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oncotrial.simulation.accumulator import Accumulator
from oncotrial.simulation.model import ALLOC_BLOCKS, ALLOC_FIXED, ALLOC_SIMPLE, TrialModel
from oncotrial.simulation.trial_block import TrialBlock

MAX_PATIENTS = 1024
"""Patients per trial that one warp's shared-memory rows hold."""
MAX_LOOKS = 16
WARPS_PER_BLOCK = 4
"""Warps (trials in flight) per thread block on a GPU, fewer when the rows would not fit."""
SHARED_BYTES = 46 * 1024
"""Static shared memory a block may use (the limit is 48 KiB)."""
BLOCKS_PER_SM = 32
MAX_REGISTERS = 128
"""Register cap per thread of the launched kernel (see :func:`.gpu_kernel.trial_kernel`; not yet
measured on a GPU)."""
SIMULATOR_BLOCKS = 4
"""Blocks of a simulated launch: each warp then runs several trials (the grid-stride loop)."""
GPU_BLOCK = 1 << 22
"""Trials per block of the device fold (:func:`accumulate_block_gpu`)."""
GPU_BLOCK_BYTES = 1 << 30
"""Most device memory the per-trial arrays of one block may take (1 GiB: 2**22 trials up to seven
looks, 3.2 million at ten, the most a scenario has)."""


def supports_gpu(model: TrialModel) -> str | None:
    """None when the fused kernel covers ``model``, else the reason in a few words."""
    if model.n > MAX_PATIENTS:
        return f"{model.n} patients per trial (the kernel holds at most {MAX_PATIENTS})"
    if model.n_strata != 1:
        return "strata (the kernel covers a single stratum)"
    if [int(t) for t in model.tests] != [0]:
        return "tests other than the log-rank alone"
    if model.alloc not in (ALLOC_FIXED, ALLOC_SIMPLE, ALLOC_BLOCKS):
        return "minimization"
    if model.has_response:
        return "response-dependent hazards"
    if model.k_max > MAX_LOOKS:
        return f"{model.k_max} looks (at most {MAX_LOOKS})"
    if any(int(k) not in (0, 1) for k in model.dist_kind):
        return "an outcome distribution the kernel does not know"
    if model.cut_events and float(np.min(model.looks)) < 1.0:
        return "an event target below one"
    return None


@dataclass(frozen=True)
class GpuCounts:
    """Operating-characteristic counts of a block, summed on the device (index = look)."""

    trials: int
    reject: NDArray[np.int64]
    futility: NDArray[np.int64]
    short: NDArray[np.int64]
    reached: NDArray[np.int64]
    events_at_stop: int
    enrolled_at_stop: int
    time_at_stop: float


def simulate_block_gpu(model: TrialModel, first: int, count: int, max_registers: int = MAX_REGISTERS
                       ) -> TrialBlock:
    """Trials ``first .. first + count - 1`` of ``model`` on the GPU (same trials as the CPU engines)."""
    _require(model)
    out = TrialBlock.empty(model, first, count)
    if count == 0:
        return out
    host = _launch(model, first, count, True, max_registers)[1]
    out.stop[:] = host["stop"]
    out.decision[:] = host["decision"]
    out.z[:, :, 0] = host["z"]
    out.estimate[:, :, 0] = host["est"]
    out.time[:] = host["time"]
    out.events[:] = host["events"]
    out.enrolled[:] = host["enrolled"]
    out.short[:] = host["short"]
    return out


def count_block_gpu(model: TrialModel, first: int, count: int, max_registers: int = MAX_REGISTERS
                    ) -> GpuCounts:
    """Only the counts of trials ``first .. first + count - 1``: nothing per trial leaves the GPU."""
    _require(model)
    return _launch(model, first, count, False, max_registers)[0]


def _require(model: TrialModel) -> None:
    reason = supports_gpu(model)
    if reason is not None:
        from oncotrial.simulation.errors import EngineUnavailableError

        raise EngineUnavailableError("engine", "gpu", f"a scenario the GPU kernel covers, not {reason}")


def launch_shape(n: int, simulated: bool, multiprocessors: int) -> tuple[int, int, int]:
    """(patients per warp row ``P``, warps per block, most blocks) for trials of ``n`` patients."""
    rows = 1 << max(0, math.ceil(math.log2(max(n, 1))))
    if simulated:
        return rows, 1, SIMULATOR_BLOCKS
    per_warp = 40 * rows + 8 * (2 * 32 + 32 + 1) + 4 * 33
    warps = max(1, min(WARPS_PER_BLOCK, SHARED_BYTES // per_warp))
    return rows, warps, BLOCKS_PER_SM * multiprocessors


def gpu_block(looks: int) -> int:
    """Trials per block of the device fold: :data:`GPU_BLOCK`, fewer where the per-trial device
    arrays (:func:`trial_bytes` each) would pass :data:`GPU_BLOCK_BYTES`."""
    return max(1, min(GPU_BLOCK, GPU_BLOCK_BYTES // trial_bytes(looks)))


def trial_bytes(looks: int) -> int:
    """Device bytes of one trial's results: stop and decision, then per look z, estimate, time
    (8 bytes each), events and enrolled (4) and short (1)."""
    return 2 + looks * (3 * 8 + 2 * 4 + 1)


class DeviceTrials:
    """Per-trial result arrays on the device for up to ``capacity`` trials, reused block after block."""

    def __init__(self, looks: int, capacity: int) -> None:
        import numba.cuda

        cuda: Any = numba.cuda
        self.looks = looks
        self.capacity = capacity
        self.arrays: dict[str, Any] = {name: cuda.device_array(shape, dtype) for name, shape, dtype in (
            ("stop", (capacity,), np.int8), ("decision", (capacity,), np.int8),
            ("z", (capacity, looks), np.float64), ("est", (capacity, looks), np.float64),
            ("time", (capacity, looks), np.float64), ("events", (capacity, looks), np.int32),
            ("enrolled", (capacity, looks), np.int32), ("short", (capacity, looks), np.int8))}

    def fits(self, looks: int, count: int) -> bool:
        return self.looks == looks and self.capacity >= count


def accumulate_block_gpu(model: TrialModel, first: int, count: int, acc: Accumulator,
                         trials: DeviceTrials | None = None, max_registers: int = MAX_REGISTERS
                         ) -> DeviceTrials:
    """Add trials ``first .. first + count - 1`` into ``acc``: the trial kernel writes their results
    to device arrays and :func:`.gpu_fold.fold_block` sums them there; only the sums come back.

    ``trials`` (device arrays from an earlier block) is reused when it fits; the arrays used are
    returned, to pass to the next block.
    """
    from oncotrial.simulation.gpu_fold import fold_block

    _require(model)
    if trials is None or not trials.fits(model.k_max, count):
        trials = DeviceTrials(model.k_max, max(count, 1))
    if count == 0:
        return trials
    _run_kernel(model, first, count, True, max_registers, trials.arrays)
    fold_block(trials.arrays, count, model.efficacy, acc)
    return trials


def _launch(model: TrialModel, first: int, count: int, write: bool, max_registers: int
            ) -> tuple[GpuCounts, dict[str, NDArray[Any]]]:
    from oncotrial.simulation.gpu_kernel import COUNTERS

    dev = DeviceTrials(model.k_max, count if write else 1).arrays
    counts, time_sum = _run_kernel(model, first, count, write, max_registers, dev)
    k = model.k_max
    c = counts.copy_to_host()
    per_look = [c[r * MAX_LOOKS: r * MAX_LOOKS + k].copy() for r in range(COUNTERS)]
    tail = COUNTERS * MAX_LOOKS
    result = GpuCounts(count, per_look[0], per_look[1], per_look[2], per_look[3], int(c[tail]),
                       int(c[tail + 1]), float(time_sum.copy_to_host()[0]))
    host = {name: a.copy_to_host() for name, a in dev.items()} if write else {}
    return result, host


def _run_kernel(model: TrialModel, first: int, count: int, write: bool, max_registers: int,
                dev: dict[str, Any]) -> tuple[Any, Any]:
    """Launch the trial kernel into the device arrays ``dev``; returns its device counters."""
    import numba.cuda

    from oncotrial.simulation.gpu_kernel import COUNTERS, trial_kernel
    from oncotrial.simulation.gpu_primitives import SIMULATED, WARP

    cuda: Any = numba.cuda
    m = model
    sms = 1 if SIMULATED else int(cuda.get_current_device().MULTIPROCESSOR_COUNT)
    rows, warps, most = launch_shape(m.n, SIMULATED, sms)
    kernel = trial_kernel(rows, warps, MAX_LOOKS, max_registers)
    blocks = max(1, min(most, -(-count // warps)))
    counts = cuda.to_device(np.zeros(COUNTERS * MAX_LOOKS + 2, np.int64))
    time_sum = cuda.to_device(np.zeros(1))

    def put(a: NDArray[Any], dtype: Any) -> Any:
        return cuda.to_device(np.ascontiguousarray(a, dtype=dtype))

    kernel[blocks, warps * WARP](
        np.int64(first), np.int64(count), np.int64(m.n), np.uint32(m.key[0]), np.uint32(m.key[1]),
        bool(m.accrual_random), put(m.entry_fixed, np.float64), put(m.accrual_p, np.float64),
        put(m.accrual_t, np.float64), put(m.accrual_slope, np.float64), np.int64(m.accrual_slope.size),
        np.int64(m.alloc), put(m.arm_fixed, np.int64), np.float64(m.p_experimental), put(m.ratio, np.int64),
        put(m.block_sizes, np.int64), np.int64(m.block_sizes.size), np.float64(m.strata_inv_mult[0]),
        bool(_simple(m)), put(m.dist_kind, np.int64), put(m.starts, np.float64), put(m.cumhaz, np.float64),
        put(m.inv_rates, np.float64), put(m.inv_shape, np.float64), put(m.scale, np.float64),
        put(m.cure, np.float64), np.int64(m.starts.shape[1]), bool(m.has_dropout),
        put(m.inv_dropout, np.float64), bool(m.cut_events), np.float64(WARP / (1.5 * m.horizon)),
        put(m.looks, np.float64), np.int64(m.k_max),
        put(m.efficacy, np.float64), put(m.futility, np.float64), bool(write), dev["stop"], dev["decision"],
        dev["z"], dev["est"], dev["time"], dev["events"], dev["enrolled"], dev["short"], counts, time_sum)
    cuda.synchronize()
    return counts, time_sum


def _simple(m: TrialModel) -> bool:
    """Exponential outcomes in both arms without cure: the kernel's fast path (as the CPU's)."""
    return bool(m.starts.shape[1] == 1 and m.dist_kind[0] == 0 and m.dist_kind[1] == 0
                and m.cure[0] == 0.0 and m.cure[1] == 0.0)
