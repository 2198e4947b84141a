"""Bounds and characteristics of ~80 group sequential designs equal rpact's to 1e-6.

rpact 3.3 (``getDesignGroupSequential`` and ``getDesignCharacteristics``) runs once, in one R
batch, on the grid of :func:`design_grid`: every ``typeOfDesign`` (asOF, asP, asKD, asHSD, OF, P, WT),
K = 2..5, one- and two-sided, equal and unequal information rates, user futility bounds and
beta-spending futility (bsOF, bsP, bsKD, bsHSD), binding and non-binding. Nothing is hard-coded:
the expected values are rpact's output in this run. Observed differences are about 5e-8 (rpact
solves to its tolerance 1e-8); bounds at or above 7.5 are infinite in rpact and compared as 7.5.
"""

from __future__ import annotations

import math
from itertools import product

import pytest

from oncotrial.design.characteristics import design_characteristics
from oncotrial.design.group_sequential import design_group_sequential
from oncotrial.design.specification import BetaSpendingType, DesignSpec, DesignType
from support.rscript import RScript

UNEQUAL = {2: (0.4, 1.0), 3: (0.25, 0.6, 1.0), 4: (0.2, 0.45, 0.7, 1.0), 5: (0.15, 0.35, 0.55, 0.8, 1.0)}
TYPES: tuple[tuple[DesignType, float | None], ...] = (
    (DesignType.AS_OF, None), (DesignType.AS_P, None), (DesignType.AS_KD, 1.0), (DesignType.AS_KD, 3.0),
    (DesignType.AS_HSD, -4.0), (DesignType.AS_HSD, 1.0), (DesignType.OF, None), (DesignType.P, None),
    (DesignType.WT, 0.25))
BETA_SPENDING: tuple[tuple[BetaSpendingType, float | None], ...] = (
    (BetaSpendingType.BS_OF, None), (BetaSpendingType.BS_P, None), (BetaSpendingType.BS_KD, 2.0),
    (BetaSpendingType.BS_HSD, -2.0))


def design_grid() -> list[DesignSpec]:
    """About 80 designs: every type × K = 2..5, both sides, equal and unequal looks, futility variants."""
    specs: list[DesignSpec] = []
    for i, (k, (kind, parameter)) in enumerate(product((2, 3, 4, 5), TYPES)):
        sided = 1 + i % 2
        alpha = (0.025, 0.05, 0.05, 0.1)[i % 4]
        specs.append(DesignSpec(
            k_max=k, alpha=alpha, beta=(0.2, 0.1)[i // 2 % 2], sided=sided,
            information_rates=UNEQUAL[k] if i % 3 else None, type_of_design=kind,
            gamma_a=parameter if kind in (DesignType.AS_KD, DesignType.AS_HSD) else None,
            delta_wt=parameter if kind is DesignType.WT else None))
    spending = [t for t in TYPES if t[0].is_spending]
    for i, (k, (kind, parameter), (beta_kind, gamma_b), binding) in enumerate(
            product((2, 3, 4, 5), spending[::2], BETA_SPENDING, (False, True))):
        if i % 3:
            continue
        specs.append(DesignSpec(
            k_max=k, alpha=(0.025, 0.05)[i % 2], beta=(0.2, 0.1, 0.15)[i % 3 == 0], sided=1,
            information_rates=UNEQUAL[k] if i % 2 else None, type_of_design=kind, gamma_a=parameter,
            beta_spending=beta_kind, gamma_b=gamma_b, binding_futility=binding))
    futility = {2: (0.0,), 3: (-0.5, 0.3), 4: (-1.0, 0.0, 0.5), 5: (-1.0, -0.5, 0.0, 0.5)}
    kinds = (DesignType.AS_OF, DesignType.AS_HSD, DesignType.OF, DesignType.P)
    for i, (k, kind, binding) in enumerate(product((2, 3, 4, 5), kinds, (False, True))):
        if i % 2:
            continue
        specs.append(DesignSpec(
            k_max=k, alpha=0.025, beta=0.2, sided=1, information_rates=UNEQUAL[k] if i % 4 else None,
            type_of_design=kind, gamma_a=-2.0 if kind is DesignType.AS_HSD else None,
            futility_bounds=futility[k], binding_futility=binding or kind is DesignType.OF))
    return specs


def _vector(values: tuple[float, ...]) -> str:
    return "c(" + ", ".join(repr(float(v)) for v in values) + ")"


def rpact_call(spec: DesignSpec) -> str:
    """``getDesignGroupSequential(...)`` with the arguments of ``spec``."""
    args = [f"kMax = {spec.k_max}L", f"alpha = {spec.alpha!r}", f"beta = {spec.beta!r}",
            f"sided = {spec.sided}",
            f"informationRates = {_vector(spec.rates)}", f'typeOfDesign = "{spec.type_of_design.value}"',
            f"bindingFutility = {'TRUE' if spec.binding_futility else 'FALSE'}"]
    if spec.gamma_a is not None:
        args.append(f"gammaA = {spec.gamma_a!r}")
    if spec.delta_wt is not None:
        args.append(f"deltaWT = {spec.delta_wt!r}")
    if spec.futility_bounds is not None:
        args.append(f"futilityBounds = {_vector(spec.futility_bounds)}")
    if spec.beta_spending is not BetaSpendingType.NONE:
        args.append(f'typeBetaSpending = "{spec.beta_spending.value}"')
        if spec.gamma_b is not None:
            args.append(f"gammaB = {spec.gamma_b!r}")
    return "getDesignGroupSequential(" + ", ".join(args) + ")"


def rpact_script(specs: list[DesignSpec]) -> str:
    """One R script that emits bounds and characteristics of every design, named by index."""
    lines = []
    for i, spec in enumerate(specs):
        lines.append(f"""d <- suppressWarnings({rpact_call(spec)})
emit("cv{i}", d$criticalValues); emit("fb{i}", d$futilityBounds); emit("as{i}", d$alphaSpent)
ch <- suppressWarnings(getDesignCharacteristics(d))
emit("ch{i}", c(ch$shift, ch$inflationFactor, ch$averageSampleNumber1, ch$averageSampleNumber01,
                ch$averageSampleNumber0))
emit("rp{i}", ch$rejectionProbabilities); emit("fp{i}", ch$futilityProbabilities)""")
    return "\n".join(lines) + "\n"


TOL = 1e-6
SPECS = design_grid()


@pytest.fixture(scope="module")
def reference(rpact: RScript) -> dict[str, list[float]]:
    return rpact.run(rpact_script(SPECS))


def _capped(values: tuple[float, ...] | list[float]) -> list[float]:
    return [7.5 if not math.isfinite(v) or v > 7.5 else v for v in values]


def _close(ours: list[float] | tuple[float, ...], theirs: list[float], tol: float = TOL) -> bool:
    pairs = [(a, b) for a, b in zip(ours, theirs, strict=True) if not math.isnan(b)]
    return all(abs(a - b) <= tol * max(1.0, abs(b)) for a, b in pairs)


def test_the_grid_covers_every_design_type_both_sides_and_all_futility_kinds():
    kinds = {s.type_of_design.value for s in SPECS}
    assert kinds == {"asOF", "asP", "asKD", "asHSD", "OF", "P", "WT"}
    assert {s.k_max for s in SPECS} == {2, 3, 4, 5}
    assert {s.sided for s in SPECS} == {1, 2}
    assert {s.beta_spending.value for s in SPECS} == {"none", "bsOF", "bsP", "bsKD", "bsHSD"}
    assert any(s.futility_bounds and s.binding_futility for s in SPECS)
    assert any(s.futility_bounds and not s.binding_futility for s in SPECS)
    assert any(s.information_rates is None for s in SPECS) and any(s.information_rates for s in SPECS)


@pytest.mark.parametrize("index", range(len(SPECS)), ids=lambda i: f"design{i}")
def test_bounds_alpha_spent_and_characteristics_equal_rpact(reference, index):
    spec = SPECS[index]
    design = design_group_sequential(spec)
    assert _close(_capped(design.critical_values), _capped(reference[f"cv{index}"])), (
        spec, design.critical_values, reference[f"cv{index}"])
    if spec.k_max > 1 and (spec.futility_bounds is not None or spec.beta_spending.value != "none"):
        assert _close(design.futility_bounds, reference[f"fb{index}"]), (
            spec, design.futility_bounds, reference[f"fb{index}"])
    assert _close(design.alpha_spent, reference[f"as{index}"], tol=2e-8)
    chars = design_characteristics(design)
    ours = [chars.shift, chars.inflation_factor, chars.average_sample_number_h1,
            chars.average_sample_number_h01, chars.average_sample_number_h0]
    assert _close(ours, reference[f"ch{index}"]), (spec, ours, reference[f"ch{index}"])
    assert _close(chars.rejection_probabilities, reference[f"rp{index}"])
    if spec.sided == 1:
        assert _close(chars.futility_probabilities, reference[f"fp{index}"])
