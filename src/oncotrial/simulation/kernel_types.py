"""Array aliases and the decorator shared by the numba kernels.

``inline_kernel`` compiles a helper that is inlined into its caller (``inline="always"``), cached
on disk, and uses NumPy's error model (no ``ZeroDivisionError`` checks, so loops vectorise).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
U64Array = NDArray[np.uint64]
BoolArray = NDArray[np.bool_]
Int8Array = NDArray[np.int8]
Int32Array = NDArray[np.int32]

inline_kernel = njit(cache=True, error_model="numpy", inline="always")
kernel = njit(cache=True, error_model="numpy")
