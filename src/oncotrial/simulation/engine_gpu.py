"""GPU detection for the simulation engines.

A fused GPU kernel (one trial per warp: Philox in registers, bitonic sort, warp scans) is the
planned third engine; it is **not implemented** in this version. :func:`resolve_engine` detects
CuPy or PyTorch with a CUDA device and, when the GPU engine is asked for, falls back to the CPU
engine with a one-line notice, so scripts that ask for ``gpu`` keep working everywhere.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

ENGINES = ("auto", "numba", "numpy", "gpu")


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


def resolve_engine(name: str, notice: Callable[[str], None] | None = None) -> str:
    """The CPU engine that will run a request for ``name`` (``numba`` or ``numpy``)."""
    if name not in ENGINES:
        from oncotrial.simulation.errors import EngineUnavailableError

        raise EngineUnavailableError("engine", name, "one of " + ", ".join(ENGINES))
    if name == "gpu":
        found = detect_gpu()
        cpu = "running on the CPU (numba)"
        message = (f"GPU found ({found}) but the GPU engine is not implemented yet: {cpu}" if found
                   else f"no CUDA device found: {cpu}")
        if notice is not None:
            notice(message)
        return "numba"
    return "numba" if name == "auto" else name
