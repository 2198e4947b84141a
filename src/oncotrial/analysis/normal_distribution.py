"""Standard normal quantiles by Wichura's algorithm AS 241, the algorithm of R's ``qnorm``.

SciPy's ``ndtri`` (Cephes) differs from R's ``qnorm`` by a few units in the last place
(``qnorm(0.975)`` is ``0x1.f5c0331eeff82p+0``, ``ndtri(0.975)`` ``0x1.f5c0331eeff84p+0``).
Confidence limits multiply this constant, so using the same algorithm as R removes one
source of last-bit differences in every interval.

Reference: M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
distribution", *Applied Statistics* 37(3), 477–484 (1988), PPND16: rational
approximations of degree 7 in :math:`r = 0.180625 - q^2` for :math:`|q| = |p - 0.5| \\le 0.425`,
otherwise in :math:`r = \\sqrt{-\\log \\min(p, 1-p)}` (two ranges split at :math:`r = 5`),
accurate to about 1 part in :math:`10^{16}`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from oncotrial.core.errors import DomainError

# Coefficients of PPND16 (Wichura 1988, Table), highest degree last.
_A = (3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
      4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3)
_B = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
      2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3)
_C = (1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
      1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2,
      7.74545014278341407640e-4)
_D = (1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
      1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
      1.05075007164441684324e-9)
_E = (6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
      2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5,
      2.01033439929228813265e-7)
_F = (1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
      7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
      2.04426310338993978564e-15)


def _horner(coefficients: Sequence[float], x: float) -> float:
    """:math:`\\sum_k c_k x^k`, evaluated from the highest degree down."""
    value = 0.0
    for c in reversed(coefficients):
        value = value * x + c
    return value


def normal_ppf(p: float) -> float:
    """:math:`\\Phi^{-1}(p)` for :math:`0 < p < 1` (AS 241, PPND16); ±inf at 0 and 1.

    Examples
    --------
    >>> round(normal_ppf(0.975), 12)
    1.959963984540
    """
    if not 0.0 <= p <= 1.0 or math.isnan(p):
        raise DomainError("p", p, "a probability in [0, 1]")
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * _horner(_A, r) / _horner(_B, r)
    r = p if q < 0 else 1.0 - p
    if r == 0.0:
        return -math.inf if q < 0 else math.inf
    r = math.sqrt(-math.log(r))
    if r <= 5.0:
        r -= 1.6
        value = _horner(_C, r) / _horner(_D, r)
    else:
        r -= 5.0
        value = _horner(_E, r) / _horner(_F, r)
    return -value if q < 0 else value
