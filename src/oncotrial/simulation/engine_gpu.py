"""GPU detection and the choice of simulation engine.

The GPU engine is a fused numba.cuda kernel (:mod:`.gpu_kernel`: one trial per warp, Philox in
registers, bitonic sorts in shared memory, warp scans for the log-rank sums) covering the common
case (:func:`.gpu_engine_run.supports_gpu`: one stratum, log-rank, fixed or group sequential
looks). :func:`resolve_engine` returns ``"gpu"`` when numba.cuda sees a CUDA device, or when
numba's CUDA simulator is switched on (``NUMBA_ENABLE_CUDASIM=1``, for tests); otherwise a
request for ``gpu`` runs on the CPU (numba) after a one-line notice, so scripts that ask for
``gpu`` keep working everywhere. :func:`engine_for` makes the same fallback, with its own
notice, for a scenario outside the kernel's subset. On the GPU the operating characteristics are
summed on the device (:mod:`.gpu_fold`), so per-trial results never reach the host.
Nothing here imports CUDA unless asked.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from oncotrial.simulation.model import TrialModel

ENGINES = ("auto", "numba", "numpy", "gpu")
_CPU = "running on the CPU (numba)"


def detect_gpu() -> str | None:
    """``"cupy"`` or ``"torch"`` when that package sees a CUDA device, else None (never raises)."""
    if importlib.util.find_spec("cupy") is not None:
        try:
            import cupy  # type: ignore[import-not-found]

            if cupy.cuda.runtime.getDeviceCount() > 0:
                return "cupy"
        except Exception:
            pass
    if importlib.util.find_spec("torch") is not None:
        try:
            import torch  # type: ignore[import-not-found]

            if torch.cuda.is_available():
                return "torch"
        except Exception:
            pass
    return None


def cuda_available() -> bool:
    """True when the GPU kernel can run: numba.cuda sees a device, or the CUDA simulator is on."""
    try:
        import numba

        config: Any = numba.config
        if config.ENABLE_CUDASIM:
            return True
        import numba.cuda

        cuda: Any = numba.cuda
        return bool(cuda.is_available())
    except Exception:
        return False


def resolve_engine(name: str, notice: Callable[[str], None] | None = None) -> str:
    """The engine that will run a request for ``name``: ``numba``, ``numpy`` or ``gpu``."""
    if name not in ENGINES:
        from oncotrial.simulation.errors import EngineUnavailableError

        raise EngineUnavailableError("engine", name, "one of " + ", ".join(ENGINES))
    if name == "gpu":
        if cuda_available():
            return "gpu"
        found = detect_gpu()
        message = (f"GPU found ({found}) but numba.cuda cannot use it: {_CPU}" if found
                   else f"no CUDA device found: {_CPU}")
        if notice is not None:
            notice(message)
        return "numba"
    return "numba" if name == "auto" else name


def engine_for(engine: str, model: TrialModel, notice: Callable[[str], None] | None = None) -> str:
    """``engine``, or ``numba`` after a one-line notice when ``engine`` is ``gpu`` and the kernel
    does not cover ``model``."""
    if engine != "gpu":
        return engine
    from oncotrial.simulation.gpu_engine_run import supports_gpu

    reason = supports_gpu(model)
    if reason is None:
        return "gpu"
    if notice is not None:
        notice(f"the GPU kernel does not cover this scenario ({reason}): {_CPU}")
    return "numba"
