"""Group sequential designs: bounds, alpha spent and stage levels (rpact ``getDesignGroupSequential``).

:func:`design_group_sequential` turns a :class:`~oncotrial.design.specification.DesignSpec` into a
:class:`GroupSequentialDesign` whose ``critical_values`` and ``futility_bounds`` equal rpact's
``criticalValues`` and ``futilityBounds`` (checked to 1e-6 by ``tests/design``). The efficacy bounds
are in :mod:`oncotrial.design.boundaries`, the beta-spending futility bounds in
:mod:`oncotrial.design.futility`, and the operating characteristics in
:mod:`oncotrial.design.characteristics`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy.special import ndtr

from oncotrial.core.errors import DomainError
from oncotrial.design.boundaries import alpha_spent, spending_bounds, wang_tsiatis_bounds
from oncotrial.design.futility import beta_spending_design
from oncotrial.design.integration import GRID_R
from oncotrial.design.specification import NO_FUTILITY, BetaSpendingType, DesignSpec, DesignType


@dataclass(frozen=True, slots=True)
class GroupSequentialDesign:
    """Bounds of a group sequential design on the z-scale (reject :math:`H_0` when :math:`Z_k \\ge c_k`).

    ``futility_bounds`` has one value per interim (``-6`` = none, rpact's convention); ``drift``,
    ``beta_spent`` and ``power`` are set for beta-spending designs only.
    """

    spec: DesignSpec
    critical_values: tuple[float, ...]
    futility_bounds: tuple[float, ...]
    alpha_spent: tuple[float, ...]
    drift: float | None = None
    beta_spent: tuple[float, ...] | None = None
    power: tuple[float, ...] | None = None

    @property
    def information_rates(self) -> tuple[float, ...]:
        return self.spec.rates

    @property
    def stage_levels(self) -> tuple[float, ...]:
        """One-sided nominal level of each bound, :math:`1 - \\Phi(c_k)` (rpact ``stageLevels``)."""
        return tuple(float(ndtr(-c)) for c in self.critical_values)

    @property
    def has_futility(self) -> bool:
        return any(f > NO_FUTILITY for f in self.futility_bounds)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (infinite bounds as None)."""
        spec = self.spec
        return {
            "k_max": spec.k_max, "alpha": spec.alpha, "beta": spec.beta, "sided": spec.sided,
            "type_of_design": spec.type_of_design.value, "gamma_a": spec.gamma_a, "delta_wt": spec.delta_wt,
            "beta_spending": spec.beta_spending.value, "gamma_b": spec.gamma_b,
            "binding_futility": spec.binding_futility,
            "information_rates": list(self.information_rates),
            "critical_values": [_finite(c) for c in self.critical_values],
            "futility_bounds": [None if f <= NO_FUTILITY else f for f in self.futility_bounds],
            "stage_levels": list(self.stage_levels),
            "alpha_spent": list(self.alpha_spent),
            "beta_spent": None if self.beta_spent is None else list(self.beta_spent),
        }


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def design_group_sequential(spec: DesignSpec, r: int = GRID_R) -> GroupSequentialDesign:
    """Compute the bounds of ``spec`` by recursive numerical integration (no simulation).

    Examples
    --------
    >>> d = design_group_sequential(DesignSpec(k_max=3, alpha=0.025, type_of_design=DesignType.AS_OF))
    >>> [round(c, 4) for c in d.critical_values]
    [3.7103, 2.5114, 1.993]
    """
    user_futility = spec.user_futility
    binding_user = user_futility if spec.binding_futility else (NO_FUTILITY,) * (spec.k_max - 1)
    if spec.type_of_design.is_spending:
        bounds = spending_bounds(spec, binding_user, r)
    else:
        bounds = wang_tsiatis_bounds(spec, binding_user, r)
    if any(f > c - 0.01 for f, c in zip(user_futility, bounds, strict=False)):
        raise DomainError("futility_bounds", spec.futility_bounds,
                          "z-values below the efficacy bounds " + ", ".join(f"{c:.3f}" for c in bounds[:-1]),
                          "lower the futility bounds (rpact requires f_k < c_k - 0.01)")
    if spec.beta_spending is BetaSpendingType.NONE or spec.k_max == 1:
        spent = alpha_spent(spec, bounds, binding_user, r)
        return GroupSequentialDesign(spec, tuple(bounds), user_futility, tuple(spent))
    result = beta_spending_design(spec, bounds, r)
    futility = result.futility_bounds
    spent = alpha_spent(spec, result.critical_values, futility if spec.binding_futility else
                        (NO_FUTILITY,) * (spec.k_max - 1), r)
    return GroupSequentialDesign(spec, result.critical_values, futility, tuple(spent), result.drift,
                                 result.beta_spent, result.power)


__all__ = ["DesignSpec", "DesignType", "GroupSequentialDesign", "design_group_sequential"]
