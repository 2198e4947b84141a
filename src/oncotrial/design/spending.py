"""Error-spending functions of the Lan–DeMets family, with rpact's conventions.

Cumulative error :math:`\\alpha^*(t)` spent by information fraction :math:`t \\in [0, 1]`
(Lan & DeMets, Biometrika 1983; Jennison & Turnbull 2000, §7.2):

* O'Brien–Fleming type (``asOF``): :math:`\\alpha^*(t) = 2s\\,(1 - \\Phi(z_{1-\\alpha/(2s)}/\\sqrt t))`,
  with :math:`s` = 1 for a one-sided and 2 for a two-sided test, as rpact
  (``getSpendingValueCpp`` in ``src/f_design_group_sequential.cpp``); the beta-spending version
  ``bsOF`` always uses :math:`s = 1`;
* Pocock type (``asP``): :math:`\\alpha\\log(1 + (e - 1)t)` (Lan & DeMets 1983);
* Kim–DeMets power family (``asKD``, parameter :math:`\\rho > 0`): :math:`\\alpha t^{\\rho}`
  (Kim & DeMets, Biometrika 1987);
* Hwang–Shih–DeCani (``asHSD``, parameter :math:`\\gamma \\ne 0`):
  :math:`\\alpha(1 - e^{-\\gamma t})/(1 - e^{-\\gamma})`, and :math:`\\alpha t` for :math:`\\gamma = 0`
  (Hwang, Shih & DeCani, Stat Med 1990).

The same functions spend :math:`\\beta` for futility bounds (rpact ``typeBetaSpending`` ``bsOF``,
``bsP``, ``bsKD``, ``bsHSD``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from scipy.special import ndtr, ndtri

from oncotrial.core.errors import DomainError


class SpendingFamily(StrEnum):
    """The four spending families, named by rpact's alpha-spending codes."""

    OBRIEN_FLEMING = "asOF"
    POCOCK = "asP"
    KIM_DEMETS = "asKD"
    HWANG_SHIH_DECANI = "asHSD"


@dataclass(frozen=True, slots=True)
class SpendingFunction:
    """One member of a spending family; ``parameter`` is :math:`\\rho` (asKD) or :math:`\\gamma` (asHSD)."""

    family: SpendingFamily
    parameter: float | None = None

    def __post_init__(self) -> None:
        needs = self.family in (SpendingFamily.KIM_DEMETS, SpendingFamily.HWANG_SHIH_DECANI)
        if needs and (self.parameter is None or not math.isfinite(self.parameter)):
            raise DomainError(f"spending[{self.family.value}].parameter", self.parameter,
                              "a finite number (rho for asKD, gamma for asHSD)",
                              "for example rho = 3 (asKD) or gamma = -4 (asHSD)")
        if self.family is SpendingFamily.KIM_DEMETS and self.parameter is not None and self.parameter <= 0:
            raise DomainError("spending[asKD].parameter", self.parameter, "rho > 0")

    def cumulative(self, total: float, t: float, sided: int = 1) -> float:
        """:math:`\\alpha^*(t)`: error spent by information fraction ``t`` out of ``total``.

        ``sided`` only changes the O'Brien–Fleming type, as in rpact: a two-sided asOF spends
        :math:`4(1 - \\Phi(z_{1-\\alpha/4}/\\sqrt t))`.
        """
        if t <= 0.0:
            return 0.0
        t = min(t, 1.0)
        if self.family is SpendingFamily.OBRIEN_FLEMING:
            q = float(ndtri(1.0 - total / (2.0 * sided)))
            tail: float = 2.0 * sided * float(ndtr(-q / math.sqrt(t)))
            return tail
        if self.family is SpendingFamily.POCOCK:
            return total * math.log(1.0 + (math.e - 1.0) * t)
        assert self.parameter is not None
        if self.family is SpendingFamily.KIM_DEMETS:
            return total * float(t**self.parameter)
        gamma = self.parameter
        if gamma == 0.0:
            return total * t
        return total * (1.0 - math.exp(-gamma * t)) / (1.0 - math.exp(-gamma))

    @property
    def label(self) -> str:
        """Readable name, e.g. ``asHSD(gamma=-4)``."""
        if self.family is SpendingFamily.KIM_DEMETS:
            return f"asKD(rho={self.parameter:g})"
        if self.family is SpendingFamily.HWANG_SHIH_DECANI:
            return f"asHSD(gamma={self.parameter:g})"
        return self.family.value
