"""The inputs of a group sequential design, checked once, with rpact's names in the docstrings.

A :class:`DesignSpec` corresponds to rpact's ``getDesignGroupSequential(kMax, alpha, beta, sided,
informationRates, typeOfDesign, gammaA, deltaWT, futilityBounds, typeBetaSpending, gammaB,
bindingFutility)``. ``k_max = 1`` is the fixed design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from oncotrial.core.errors import DomainError
from oncotrial.design.spending import SpendingFamily, SpendingFunction


class DesignType(StrEnum):
    """rpact ``typeOfDesign``: alpha-spending (``as*``) or classical Wang–Tsiatis bounds."""

    AS_OF = "asOF"
    AS_P = "asP"
    AS_KD = "asKD"
    AS_HSD = "asHSD"
    OF = "OF"
    P = "P"
    WT = "WT"

    @property
    def is_spending(self) -> bool:
        return self.value.startswith("as")


class BetaSpendingType(StrEnum):
    """rpact ``typeBetaSpending`` for futility bounds."""

    NONE = "none"
    BS_OF = "bsOF"
    BS_P = "bsP"
    BS_KD = "bsKD"
    BS_HSD = "bsHSD"


_FAMILY = {"OF": SpendingFamily.OBRIEN_FLEMING, "P": SpendingFamily.POCOCK,
           "KD": SpendingFamily.KIM_DEMETS, "HSD": SpendingFamily.HWANG_SHIH_DECANI}

#: rpact's C_FUTILITY_BOUNDS_DEFAULT: a futility bound at or below -6 means "no futility stop".
NO_FUTILITY = -6.0


@dataclass(frozen=True, slots=True)
class DesignSpec:
    """A group sequential design before its bounds are computed.

    Parameters
    ----------
    k_max, alpha, beta, sided:
        Number of analyses, type I error (total over both sides when two-sided), type II error.
    information_rates:
        Information fractions :math:`t_1 < \\dots < t_K = 1`; equally spaced when omitted.
    type_of_design, gamma_a, delta_wt:
        Efficacy bounds: spending function (``gamma_a`` is :math:`\\rho` for asKD and
        :math:`\\gamma` for asHSD) or Wang–Tsiatis :math:`c\\,t_k^{\\Delta - 1/2}` (OF: Δ = 0, P: Δ = 0.5).
    futility_bounds:
        User futility bounds on the z-scale for stages 1..K-1 (one-sided designs only).
    beta_spending, gamma_b:
        Futility bounds from spending :math:`\\beta` (one-sided designs only).
    binding_futility:
        Whether the efficacy bounds take the futility bounds into account.
    """

    k_max: int = 3
    alpha: float = 0.025
    beta: float = 0.2
    sided: int = 1
    information_rates: tuple[float, ...] | None = None
    type_of_design: DesignType = DesignType.AS_OF
    gamma_a: float | None = None
    delta_wt: float | None = None
    futility_bounds: tuple[float, ...] | None = None
    beta_spending: BetaSpendingType = BetaSpendingType.NONE
    gamma_b: float | None = None
    binding_futility: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.k_max <= 20:
            raise DomainError("k_max", self.k_max, "an integer from 1 to 20")
        if self.sided not in (1, 2):
            raise DomainError("sided", self.sided, "1 or 2")
        if not 1e-6 <= self.alpha <= 0.5:
            raise DomainError("alpha", self.alpha, "a number in [1e-6, 0.5]")
        if not 1e-4 <= self.beta < 1 - self.alpha / self.sided:
            raise DomainError("beta", self.beta, f"a number in [1e-4, {1 - self.alpha / self.sided:g})")
        rates = self.rates
        if len(rates) != self.k_max:
            raise DomainError("information_rates", self.information_rates, f"{self.k_max} values (k_max)")
        if any(not math.isfinite(t) for t in rates) or any(b <= a for a, b in zip((0.0, *rates), rates,
                                                                                  strict=False)):
            raise DomainError("information_rates", self.information_rates,
                              "strictly increasing fractions in (0, 1]")
        if abs(rates[-1] - 1.0) > 1e-12:
            raise DomainError("information_rates", self.information_rates, "a last value of 1")
        wt = self.type_of_design is DesignType.WT
        if wt and (self.delta_wt is None or not math.isfinite(self.delta_wt)):
            raise DomainError("delta_wt", self.delta_wt, "a number for typeOfDesign WT",
                              "Pocock is 0.5, O'Brien-Fleming is 0")
        if self.type_of_design.is_spending:
            self.alpha_spending()  # checks gamma_a
        self._check_futility()

    def _check_futility(self) -> None:
        has_user = self.futility_bounds is not None
        has_spending = self.beta_spending is not BetaSpendingType.NONE
        if (has_user or has_spending) and self.sided == 2:
            raise DomainError("sided", 2, "1 when futility bounds are given",
                              "two-sided futility (rpact's experimental feature) is not supported")
        if has_user and has_spending:
            raise DomainError("futility_bounds", self.futility_bounds, "no value when beta_spending is set")
        if has_user and self.k_max > 1:
            bounds = self.futility_bounds or ()
            if len(bounds) != self.k_max - 1 or not all(math.isfinite(f) for f in bounds):
                raise DomainError("futility_bounds", self.futility_bounds,
                                  f"{self.k_max - 1} finite z-values (one per interim)")
        if has_spending:
            if not self.type_of_design.is_spending:
                raise DomainError("beta_spending", self.beta_spending.value,
                                  "used with an alpha-spending typeOfDesign (asOF, asP, asKD, asHSD)")
            self.futility_spending()

    @property
    def rates(self) -> tuple[float, ...]:
        """The information fractions (equally spaced by default)."""
        if self.information_rates is None:
            return tuple((k + 1) / self.k_max for k in range(self.k_max))
        return tuple(float(t) for t in self.information_rates)

    def alpha_spending(self) -> SpendingFunction:
        """The alpha-spending function of an ``as*`` design."""
        return SpendingFunction(_FAMILY[self.type_of_design.value[2:]], self.gamma_a)

    def futility_spending(self) -> SpendingFunction | None:
        """The beta-spending function, or None."""
        if self.beta_spending is BetaSpendingType.NONE:
            return None
        return SpendingFunction(_FAMILY[self.beta_spending.value[2:]], self.gamma_b)

    @property
    def user_futility(self) -> tuple[float, ...]:
        """User futility bounds for stages 1..K-1 (``NO_FUTILITY`` where none)."""
        if self.futility_bounds is None:
            return (NO_FUTILITY,) * (self.k_max - 1)
        return tuple(float(f) for f in self.futility_bounds)

