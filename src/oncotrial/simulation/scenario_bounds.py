"""Stopping bounds of a scenario: given as z-values, or computed by :mod:`oncotrial.design`.

``bounds.design`` takes rpact's ``getDesignGroupSequential`` arguments (``type_of_design``,
``alpha``, ``information_rates`` ...). For event-driven looks the information rates default to
``looks / looks[-1]``; calendar looks need them given. The design layer computes the bounds by
numerical integration (no simulation), so simulated and planned operating characteristics can
be compared directly. When the primary test is MaxCombo, the bounds spend alpha over the joint
law of the four FH statistics at every look (:mod:`.maxcombo_design`), and ``alpha`` is two-sided
when the MaxCombo test is (``analysis.maxcombo.sided: 2``); its ``futility_bounds`` may be binding
(:mod:`.maxcombo_binding`), and ``beta_spending`` (one-sided) spends beta under the FH statistics'
means of the scenario's experimental arm, scaled so that the power is 1 - beta (:mod:`.maxcombo_beta`).
"""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache
from typing import TYPE_CHECKING

from scipy.special import ndtri

from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.reader import Reader
from oncotrial.design.specification import NO_FUTILITY
from oncotrial.design.spending import SpendingFunction
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.maxcombo_beta import BetaSpendingBounds, maxcombo_beta_bounds
from oncotrial.simulation.maxcombo_binding import binding_maxcombo_bounds
from oncotrial.simulation.maxcombo_design import MaxComboBounds, Planning, maxcombo_bounds
from oncotrial.simulation.maxcombo_drift import drift
from oncotrial.simulation.scenario import Analysis, Bounds, CutKind, StatTest

if TYPE_CHECKING:
    from oncotrial.design.specification import DesignSpec

_DESIGN_KEYS = {"type_of_design", "alpha", "beta", "information_rates", "gamma_a", "delta_wt",
                "futility_bounds", "beta_spending", "gamma_b", "binding_futility"}


def read_bounds(r: Reader, analysis: Analysis, planning: Planning | None = None) -> Bounds:
    r.reject_unknown({"efficacy", "futility", "design"})
    k = analysis.k_max
    if r.has("design"):
        if r.has("efficacy") or r.has("futility"):
            raise ScenarioError(r.path + ".design", "design",
                                "either 'design' or explicit 'efficacy'/'futility'")
        return _design_bounds(r.child("design"), analysis, planning)
    efficacy = _z_values(r, "efficacy")
    if len(efficacy) != k:
        raise ScenarioError(r.path + ".efficacy", list(efficacy), f"{k} z-values (one per look)")
    futility: tuple[float, ...] = ()
    if r.has("futility"):
        futility = _z_values(r, "futility")
        if len(futility) != k - 1:
            raise ScenarioError(r.path + ".futility", list(futility),
                                f"{k - 1} z-values (one per interim look)")
    return Bounds(efficacy, tuple(-math.inf if f <= -6 else f for f in futility))


def _z_values(r: Reader, key: str) -> tuple[float, ...]:
    out = []
    for x in r.items(key):
        v = x.value
        if isinstance(v, bool) or not isinstance(v, int | float) or math.isnan(v):
            raise ScenarioError(x.path, v, "a z-value (number)")
        out.append(float(v))
    return tuple(out)


def _design_bounds(r: Reader, analysis: Analysis, planning: Planning | None) -> Bounds:
    r.reject_unknown(_DESIGN_KEYS)
    alpha = r.number("alpha", minimum=1e-6, maximum=0.5)
    k = analysis.k_max
    maxcombo = analysis.primary is StatTest.MAXCOMBO
    sided = analysis.maxcombo_sided if maxcombo else 1
    if k == 1:
        return Bounds((float(-ndtri(alpha / sided)),), (),
                      f"fixed design, {('one', 'two')[sided - 1]}-sided alpha {alpha:g}")
    from oncotrial.design.group_sequential import design_group_sequential  # lazy: scipy integration
    from oncotrial.design.specification import BetaSpendingType, DesignSpec, DesignType

    if r.has("information_rates"):
        rates = _z_values(r, "information_rates")
    elif analysis.cut is CutKind.EVENTS:
        rates = tuple(x / analysis.looks[-1] for x in analysis.looks)
    else:
        raise ScenarioError(r.path + ".information_rates", None,
                            "information rates for calendar looks (they cannot be derived from times)")
    if maxcombo:
        _check_maxcombo_design(r, sided)
    try:
        spec = DesignSpec(
            k_max=k, alpha=alpha, sided=sided,
            beta=r.number("beta", minimum=1e-4, maximum=0.99) if r.has("beta") else 0.2,
            information_rates=rates,
            type_of_design=DesignType(r.choice("type_of_design", [t.value for t in DesignType],
                                               default="asOF")),
            gamma_a=r.number("gamma_a") if r.has("gamma_a") else None,
            delta_wt=r.number("delta_wt") if r.has("delta_wt") else None,
            futility_bounds=_z_values(r, "futility_bounds") if r.has("futility_bounds") else None,
            beta_spending=BetaSpendingType(r.choice("beta_spending", [t.value for t in BetaSpendingType],
                                                    default="none")),
            gamma_b=r.number("gamma_b") if r.has("gamma_b") else None,
            binding_futility=r.boolean("binding_futility", default=False))
        if maxcombo and planning is not None:
            return _maxcombo_bounds(spec, planning)
        design = design_group_sequential(spec)
    except ScenarioError:
        raise
    except DomainError as exc:
        raise ScenarioError(f"{r.path}.{exc.field}", exc.value, exc.expected, exc.suggestion) from None
    futility = tuple(-math.inf if f <= -6 else float(f) for f in design.futility_bounds)
    return Bounds(tuple(float(c) for c in design.critical_values), futility,
                  f"oncotrial.design {spec.type_of_design.value}, alpha {alpha:g}, "
                  f"information rates {', '.join(f'{t:.4g}' for t in rates)}")


def _check_maxcombo_design(r: Reader, sided: int) -> None:
    if sided == 2 and r.has("futility_bounds"):
        raise ScenarioError(r.path + ".futility_bounds", r.raw("futility_bounds"),
                            "no futility bounds with a two-sided MaxCombo test (analysis.maxcombo.sided: 2)")
    if r.has("type_of_design") and not r.string("type_of_design").startswith("as"):
        raise ScenarioError(r.path + ".type_of_design", r.raw("type_of_design"),
                            "an alpha-spending design (asOF, asP, asKD, asHSD) for a MaxCombo primary test")
    if sided == 2 and r.has("beta_spending") and r.raw("beta_spending") != "none":
        raise ScenarioError(r.path + ".beta_spending", r.raw("beta_spending"),
                            "none with a two-sided MaxCombo test (analysis.maxcombo.sided: 2)")


def _maxcombo_bounds(spec: DesignSpec, planning: Planning) -> Bounds:
    """Group sequential MaxCombo bounds on the reported z scale (nominal p-values, see the module)."""
    beta_spending = spec.futility_spending()
    if beta_spending is not None:
        return _maxcombo_beta_bounds(spec, planning, beta_spending)
    h0 = dataclasses.replace(planning, experimental=None)  # the bounds do not depend on it: one cache entry
    binding = spec.binding_futility and any(f > NO_FUTILITY for f in spec.user_futility)
    mb = planned_maxcombo_bounds(h0, spec.rates, spec.alpha_spending(), spec.alpha, spec.sided,
                                 spec.user_futility if binding else ())
    futility = tuple(-math.inf if f <= -6 else float(f) for f in spec.user_futility)
    binding_text = ""
    if binding:
        binding_text = ("; binding futility bounds on max Z "
                        f"{', '.join(f'{g:.4f}' for g in mb.futility_statistic)}")
    return Bounds(mb.z, futility,
                  f"MaxCombo group sequential design ({spec.type_of_design.value}, "
                  f"{('one', 'two')[spec.sided - 1]}-sided alpha {spec.alpha:g}, information rates "
                  f"{', '.join(f'{t:.4g}' for t in spec.rates)}; bounds on max "
                  f"{'|Z|' if spec.sided == 2 else 'Z'} {', '.join(f'{b:.4f}' for b in mb.statistic)}"
                  f"{binding_text}, planned type I error {mb.achieved:.5f})", mb.statistic)


def _maxcombo_beta_bounds(spec: DesignSpec, planning: Planning, beta_spending: SpendingFunction) -> Bounds:
    """Beta-spending futility bounds (:mod:`.maxcombo_beta`) on the reported z scale."""
    mb = planned_maxcombo_beta_bounds(planning, spec.rates, spec.alpha_spending(), spec.alpha, beta_spending,
                                      spec.beta, spec.binding_futility)
    b = mb.bounds
    futility = tuple(-math.inf if f <= NO_FUTILITY else f for f in mb.futility_z)
    return Bounds(b.z, futility,
                  f"MaxCombo group sequential design ({spec.type_of_design.value}, one-sided alpha "
                  f"{spec.alpha:g}, information rates {', '.join(f'{t:.4g}' for t in spec.rates)}; bounds on "
                  f"max Z {', '.join(f'{x:.4f}' for x in b.statistic)}; "
                  f"{'binding' if spec.binding_futility else 'non-binding'} beta-spending futility bounds "
                  f"({spec.beta_spending.value}, beta {spec.beta:g}) on max Z "
                  f"{', '.join(f'{g:.4f}' for g in b.futility_statistic)}, computed at theta = "
                  f"{mb.scale:.4f} times the FH statistics' means under the scenario's experimental arm "
                  f"(theta solved for power {mb.power:.4f} = 1 - beta, rpact's drift semantics), cumulative "
                  f"beta {', '.join(f'{x:.4f}' for x in mb.beta_spent)}; planned type I error "
                  f"{b.achieved:.5f})", b.statistic)


@lru_cache(maxsize=32)
def planned_maxcombo_beta_bounds(planning: Planning, rates: tuple[float, ...],
                                 alpha_spending: SpendingFunction, alpha: float,
                                 beta_spending: SpendingFunction, beta: float, binding: bool
                                 ) -> BetaSpendingBounds:
    """:func:`~.maxcombo_beta.maxcombo_beta_bounds` for the planning trial and its experimental arm
    (cached); the efficacy bounds without futility come from :func:`planned_maxcombo_bounds`."""
    h0 = planned_maxcombo_bounds(dataclasses.replace(planning, experimental=None), rates, alpha_spending,
                                 alpha, 1)
    mean = drift(planning).mean
    return maxcombo_beta_bounds(h0, mean, rates, alpha_spending, alpha, beta_spending, beta, binding)


@lru_cache(maxsize=32)
def planned_maxcombo_bounds(planning: Planning, rates: tuple[float, ...], spending: SpendingFunction,
                            alpha: float, sided: int, binding_futility: tuple[float, ...] = ()
                            ) -> MaxComboBounds:
    """:func:`~.maxcombo_design.maxcombo_bounds` on the planning trial's covariance (cached); with
    ``binding_futility`` (reported z scale, one per interim look, one-sided only)
    :func:`~.maxcombo_binding.binding_maxcombo_bounds`."""
    times = planning.look_times("analysis.looks")
    cov = planning.covariance(times)
    if binding_futility:
        return binding_maxcombo_bounds(cov, rates, spending, alpha, binding_futility, times)
    return maxcombo_bounds(cov, rates, spending, alpha, sided, times)
