"""Asking for the GPU engine without a GPU falls back to the CPU with one notice; GPU tests skip."""

from __future__ import annotations

import pytest

from oncotrial.simulation.engine_gpu import detect_gpu, resolve_engine
from oncotrial.simulation.errors import EngineUnavailableError


def test_gpu_request_falls_back_to_numba_with_a_one_line_notice() -> None:
    notes: list[str] = []
    assert resolve_engine("gpu", notes.append) == "numba"
    assert len(notes) == 1 and "\n" not in notes[0] and "CPU" in notes[0]


def test_auto_and_named_cpu_engines_resolve_silently() -> None:
    notes: list[str] = []
    assert resolve_engine("auto", notes.append) == "numba"
    assert resolve_engine("numpy", notes.append) == "numpy"
    assert notes == []
    with pytest.raises(EngineUnavailableError):
        resolve_engine("fpga")


@pytest.mark.skipif(detect_gpu() is None, reason="no CUDA device")
def test_gpu_detection_names_the_package_that_sees_the_device() -> None:
    assert detect_gpu() in ("cupy", "torch")
