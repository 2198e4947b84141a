"""Baseline measurability, RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247).

Thresholds come from §3.1.1 (non-nodal LD ≥ 10 mm, ≥ 2 × slice thickness when slices
exceed 5 mm; node SA ≥ 15 mm), §3.1.2 (nodes 10 to < 15 mm: non-measurable) and §4.2
(nodes < 10 mm: not pathological). Each threshold is tested on both sides.
"""

from __future__ import annotations

import math

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.response.measurability import Measurability, baseline_measurability


@pytest.mark.parametrize(
    ("ld", "expected"),
    [(9.9, Measurability.NON_MEASURABLE), (10.0, Measurability.MEASURABLE)],
)
def test_non_nodal_lesion_is_measurable_from_10_mm(ld: float, expected: Measurability) -> None:
    assert baseline_measurability(is_lymph_node=False, longest_diameter_mm=ld) is expected


@pytest.mark.parametrize(
    ("sa", "expected"),
    [
        (9.9, Measurability.NOT_PATHOLOGICAL),
        (10.0, Measurability.NON_MEASURABLE),
        (14.9, Measurability.NON_MEASURABLE),
        (15.0, Measurability.MEASURABLE),
    ],
)
def test_node_category_follows_its_short_axis(sa: float, expected: Measurability) -> None:
    assert baseline_measurability(is_lymph_node=True, short_axis_mm=sa) is expected


@pytest.mark.parametrize(
    ("slice_mm", "ld", "expected"),
    [
        (5.0, 10.0, Measurability.MEASURABLE),  # slice ≤ 5 mm: the 10 mm minimum applies
        (6.0, 11.9, Measurability.NON_MEASURABLE),  # 2 × 6 = 12 mm minimum
        (6.0, 12.0, Measurability.MEASURABLE),
        (8.0, 15.9, Measurability.NON_MEASURABLE),
        (8.0, 16.0, Measurability.MEASURABLE),
    ],
)
def test_thick_slices_raise_the_minimum_to_twice_the_slice_thickness(
    slice_mm: float, ld: float, expected: Measurability
) -> None:
    result = baseline_measurability(is_lymph_node=False, longest_diameter_mm=ld, slice_thickness_mm=slice_mm)
    assert result is expected


def test_a_node_given_only_by_its_long_axis_is_rejected() -> None:
    with pytest.raises(DomainError, match="a node measured on the long axis") as info:
        baseline_measurability(is_lymph_node=True, longest_diameter_mm=22.0, field="lesions[3]")
    assert info.value.field == "lesions[3].longest_diameter_mm"
    assert info.value.value == 22.0


def test_a_node_with_both_axes_is_classified_on_its_short_axis() -> None:
    result = baseline_measurability(is_lymph_node=True, longest_diameter_mm=30.0, short_axis_mm=12.0)
    assert result is Measurability.NON_MEASURABLE


def test_a_non_nodal_lesion_needs_a_longest_diameter() -> None:
    with pytest.raises(DomainError) as info:
        baseline_measurability(is_lymph_node=False, short_axis_mm=20.0)
    assert info.value.field == "lesion.longest_diameter_mm"


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, "12"])
def test_invalid_diameters_are_rejected_naming_the_field(bad: object) -> None:
    with pytest.raises(DomainError) as info:
        baseline_measurability(is_lymph_node=False, longest_diameter_mm=bad, field="T1")  # type: ignore[arg-type]
    assert info.value.field == "T1.longest_diameter_mm"
    assert "≥ 0" in info.value.expected


def test_negative_slice_thickness_is_rejected() -> None:
    with pytest.raises(DomainError) as info:
        baseline_measurability(is_lymph_node=False, longest_diameter_mm=20, slice_thickness_mm=-5)
    assert info.value.field == "lesion.slice_thickness_mm"


def test_measurability_values_are_stable_strings() -> None:
    assert [m.value for m in Measurability] == ["measurable", "non_measurable", "not_pathological"]
