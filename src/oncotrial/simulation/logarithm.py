"""A natural logarithm that LLVM can vectorise inside numba kernels.

``math.log`` in numba is a call into libm per element (about 5 ns here); this version is plain
arithmetic on the IEEE-754 bits, so a loop over patients compiles to AVX2 code (about 1 ns).
It is the algorithm of fdlibm's ``__ieee754_log`` (``e_log.c``): write ``x = 2**k (1 + f)`` with
``sqrt(2)/2 <= 1 + f < sqrt(2)``, ``s = f / (2 + f)``, and
``log(1 + f) = f - s (f - R(s**2))`` with the minimax polynomial ``R``; the error is below one
unit in the last place. The coefficients are fdlibm's:

    Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
    Developed at SunSoft, a Sun Microsystems, Inc. business.
    Permission to use, copy, modify, and distribute this software is freely granted,
    provided that this notice is preserved.

Valid for positive normal numbers, which is all the kernels need (uniforms in (0, 1)). NumPy's
``np.log`` can differ by one unit in the last place; the engines tolerate that (decisions are
compared except where ``|z - c| < 1e-9``).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.extending import intrinsic

_LN2_HI: Final = 6.93147180369123816490e-01
_LN2_LO: Final = 1.90821492927058770002e-10
_LG1: Final = 6.666666666666735130e-01
_LG2: Final = 3.999999999940941908e-01
_LG3: Final = 2.857142874366239149e-01
_LG4: Final = 2.222219843214978396e-01
_LG5: Final = 1.818357216161805012e-01
_LG6: Final = 1.531383769920937332e-01
_LG7: Final = 1.479819860511658591e-01


def _bits_of_typer(typingctx: Any, x: Any) -> Any:
    """Reinterpret a float64 as uint64 (an LLVM bitcast, free)."""
    if x != types.float64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.IntType(64))

    return types.uint64(types.float64), codegen


def _float_of_typer(typingctx: Any, x: Any) -> Any:
    """Reinterpret a uint64 as float64."""
    if x != types.uint64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.uint64), codegen


_bits_of: Any = intrinsic(_bits_of_typer)
_float_of: Any = intrinsic(_float_of_typer)


@njit(inline="always", error_model="numpy", cache=True)
def vlog(x: float) -> float:
    """Natural logarithm of a positive normal float64 (fdlibm algorithm, < 1 ulp)."""
    ix = _bits_of(x)
    # move the mantissa into [sqrt(2)/2, sqrt(2)) and count the exponent accordingly
    ix = ix + np.uint64((0x3FF00000 - 0x3FE6A09E) << 32)
    k = np.float64(np.int64(ix >> np.uint64(52))) - 1023.0
    f: float = _float_of((ix & np.uint64(0x000FFFFFFFFFFFFF)) + np.uint64(0x3FE6A09E00000000)) - 1.0
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    r = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    return s * (hfsq + r) + k * _LN2_LO - hfsq + f + k * _LN2_HI
