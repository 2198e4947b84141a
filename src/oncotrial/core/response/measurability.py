"""Baseline measurability of a lesion under RECIST 1.1.

Source: Eisenhauer EA et al., Eur J Cancer 2009;45:228–247, §3.1 (measurability
of tumour at baseline):

* §3.1.1 a non-nodal lesion is measurable when its longest diameter (LD) is at
  least 10 mm on CT/MRI, the scan slice thickness being no greater than 5 mm; when
  the slice thickness is greater than 5 mm the minimum is twice the slice thickness;
* §3.1.1 a lymph node is pathological and measurable when its short axis (SA) is at
  least 15 mm (CT slice thickness recommended ≤ 5 mm);
* §3.1.2 a node with 10 ≤ SA < 15 mm is pathological but non-measurable
  (non-target);
* §4.2 a node with SA < 10 mm is not pathological and is neither recorded nor
  followed.

A node is always measured on its short axis (§3.1.1): giving only a long axis for a
node is rejected rather than guessed.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Final

from oncotrial.core.errors import DomainError

NON_NODAL_MIN_LD_MM: Final = 10.0
"""Minimum longest diameter of a measurable non-nodal lesion (§3.1.1)."""

NODE_MEASURABLE_MIN_SA_MM: Final = 15.0
"""Minimum short axis of a measurable (target-eligible) lymph node (§3.1.1)."""

NODE_PATHOLOGICAL_MIN_SA_MM: Final = 10.0
"""Minimum short axis of a pathological lymph node (§3.1.2)."""

THIN_SLICE_MAX_MM: Final = 5.0
"""Slice thickness above which the non-nodal minimum becomes 2 × slice (§3.1.1)."""


class Measurability(StrEnum):
    """Baseline category of a lesion under RECIST 1.1 §3.1."""

    MEASURABLE = "measurable"
    NON_MEASURABLE = "non_measurable"
    NOT_PATHOLOGICAL = "not_pathological"


def check_diameter(value: float | None, *, field: str) -> float | None:
    """Return ``value`` unchanged when it is a finite, non-negative number of mm.

    Raises
    ------
    DomainError
        When the value is negative, NaN, infinite or not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DomainError(field, value, "a diameter in mm (a finite number ≥ 0)")
    if not math.isfinite(value) or value < 0:
        raise DomainError(
            field,
            value,
            "a diameter in mm (a finite number ≥ 0)",
            "Enter 0 for a lesion that has disappeared; diameters are never negative.",
        )
    return float(value)


def baseline_measurability(
    *,
    is_lymph_node: bool,
    longest_diameter_mm: float | None = None,
    short_axis_mm: float | None = None,
    slice_thickness_mm: float | None = None,
    field: str = "lesion",
) -> Measurability:
    """Classify a baseline lesion as measurable, non-measurable or not pathological.

    Parameters
    ----------
    is_lymph_node:
        Whether the lesion is a lymph node (measured on its short axis).
    longest_diameter_mm:
        Longest diameter, for non-nodal lesions (RECIST 1.1 §3.1.1).
    short_axis_mm:
        Short axis, for lymph nodes (RECIST 1.1 §3.1.1).
    slice_thickness_mm:
        CT/MRI reconstruction interval; when it exceeds 5 mm a non-nodal lesion
        must measure at least twice the slice thickness. ``None`` means ≤ 5 mm.
    field:
        Dotted path used in error messages.

    Returns
    -------
    Measurability
        ``MEASURABLE`` (non-nodal LD ≥ max(10, 2 × slice when slice > 5) mm, or node
        SA ≥ 15 mm), ``NON_MEASURABLE`` (smaller non-nodal lesion, or node with
        10 ≤ SA < 15 mm) or ``NOT_PATHOLOGICAL`` (node with SA < 10 mm).

    Raises
    ------
    DomainError
        A negative or non-finite diameter, a node given only by its long axis, or a
        non-nodal lesion without a longest diameter.
    """
    ld = check_diameter(longest_diameter_mm, field=f"{field}.longest_diameter_mm")
    sa = check_diameter(short_axis_mm, field=f"{field}.short_axis_mm")
    slice_mm = check_diameter(slice_thickness_mm, field=f"{field}.slice_thickness_mm")
    if is_lymph_node:
        if sa is None and ld is not None:
            raise DomainError(
                f"{field}.longest_diameter_mm",
                ld,
                "a short axis (short_axis_mm) for a lymph node: "
                "a node measured on the long axis is not accepted (RECIST 1.1 §3.1.1)",
                "Measure the node perpendicular to its long axis and enter short_axis_mm.",
            )
        if sa is None:
            raise DomainError(
                f"{field}.short_axis_mm",
                None,
                "the short axis of the node in mm (RECIST 1.1 §3.1.1)",
            )
        if sa >= NODE_MEASURABLE_MIN_SA_MM:
            return Measurability.MEASURABLE
        if sa >= NODE_PATHOLOGICAL_MIN_SA_MM:
            return Measurability.NON_MEASURABLE
        return Measurability.NOT_PATHOLOGICAL
    if ld is None:
        raise DomainError(
            f"{field}.longest_diameter_mm",
            None,
            "the longest diameter of the non-nodal lesion in mm (RECIST 1.1 §3.1.1)",
            "short axes are used for lymph nodes only; set is_lymph_node if it is a node.",
        )
    minimum = NON_NODAL_MIN_LD_MM
    if slice_mm is not None and slice_mm > THIN_SLICE_MAX_MM:
        minimum = max(minimum, 2 * slice_mm)
    return Measurability.MEASURABLE if ld >= minimum else Measurability.NON_MEASURABLE
