"""Baseline: target selection checks and the baseline sum, for both criteria.

RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247):

* §4.2 at most 5 target lesions in total and at most 2 per organ, all measurable;
  the baseline sum is the longest diameter of non-nodal targets plus the short axis
  of nodal targets;
* §4.2 nodes with a short axis below 10 mm are not pathological and are not
  recorded;
* EORTC RECIST clarification: all lymph nodes together are one organ.

mRECIST (Lencioni & Llovet, Semin Liver Dis 2010;30:52–60): a target must be
RECIST-measurable *and* show intratumoral arterial enhancement; the baseline sum is
the sum of the longest viable diameters. Oncotrial assumptions, documented here:
the same count limits apply; an mRECIST target must also be a RECIST 1.1 target;
lymph nodes keep their short axis under mRECIST (the viable-tumour measurement is
defined for enhancing parenchymal lesions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion, to_mm
from oncotrial.core.response.lesions import BaselineLesion
from oncotrial.core.response.measurability import (
    Measurability,
    baseline_measurability,
    check_diameter,
)

MAX_TARGETS: Final = 5
"""RECIST 1.1 §4.2: at most five target lesions in total."""

MAX_TARGETS_PER_ORGAN: Final = 2
"""RECIST 1.1 §4.2: at most two target lesions per organ."""


@dataclass(frozen=True, slots=True)
class TargetLesion:
    """A target lesion under one criterion, with its baseline value in mm."""

    lesion_id: str
    is_lymph_node: bool
    baseline_mm: Decimal


@dataclass(frozen=True, slots=True)
class CriterionBaseline:
    """Targets and non-targets as one criterion sees them."""

    criterion: Criterion
    targets: tuple[TargetLesion, ...]
    non_target_ids: tuple[str, ...]

    @property
    def baseline_sum_mm(self) -> Decimal | None:
        """Sum of the baseline target values; ``None`` when there is no target."""
        if not self.targets:
            return None
        return sum((t.baseline_mm for t in self.targets), Decimal(0))


@dataclass(frozen=True, slots=True)
class Baseline:
    """Checked baseline: the lesions and the view of each criterion."""

    lesions: tuple[BaselineLesion, ...]
    recist: CriterionBaseline
    mrecist: CriterionBaseline

    def lesion(self, lesion_id: str) -> BaselineLesion | None:
        """The baseline lesion with this identifier, if any."""
        return next((les for les in self.lesions if les.lesion_id == lesion_id), None)

    def for_criterion(self, criterion: Criterion) -> CriterionBaseline:
        """The targets and non-targets under ``criterion``."""
        return self.recist if criterion is Criterion.RECIST_1_1 else self.mrecist


def _check_identity(lesion: BaselineLesion, path: str, seen: set[str]) -> None:
    if not isinstance(lesion.lesion_id, str) or not lesion.lesion_id.strip():
        raise DomainError(f"{path}.lesion_id", lesion.lesion_id, "a non-empty text identifier")
    if lesion.lesion_id in seen:
        raise DomainError(
            f"{path}.lesion_id",
            lesion.lesion_id,
            "an identifier not used by another baseline lesion",
            "Give every lesion its own identifier.",
        )
    seen.add(lesion.lesion_id)
    if not lesion.is_lymph_node and (not isinstance(lesion.organ, str) or not lesion.organ.strip()):
        raise DomainError(f"{path}.organ", lesion.organ, "the organ or site of the lesion")


def _check_measurement(lesion: BaselineLesion, path: str) -> None:
    """Measurability and target eligibility of one lesion (RECIST 1.1 §3.1, §4.2)."""
    measured = lesion.longest_diameter_mm is not None or lesion.short_axis_mm is not None
    if not (measured or lesion.is_target):
        check_diameter(lesion.slice_thickness_mm, field=f"{path}.slice_thickness_mm")
        return
    category = baseline_measurability(
        is_lymph_node=lesion.is_lymph_node,
        longest_diameter_mm=lesion.longest_diameter_mm,
        short_axis_mm=lesion.short_axis_mm,
        slice_thickness_mm=lesion.slice_thickness_mm,
        field=path,
    )
    if category is Measurability.NOT_PATHOLOGICAL:
        raise DomainError(
            f"{path}.short_axis_mm",
            lesion.short_axis_mm,
            "a pathological node (short axis ≥ 10 mm, RECIST 1.1 §4.2)",
            "Nodes with a short axis below 10 mm are normal: do not record them.",
        )
    if lesion.is_target and category is not Measurability.MEASURABLE:
        which = "short_axis_mm" if lesion.is_lymph_node else "longest_diameter_mm"
        value = lesion.short_axis_mm if lesion.is_lymph_node else lesion.longest_diameter_mm
        raise DomainError(
            f"{path}.{which}",
            value,
            "a measurable target: node short axis ≥ 15 mm, other lesions longest "
            "diameter ≥ 10 mm and ≥ 2 × slice thickness when slices exceed 5 mm "
            "(RECIST 1.1 §3.1.1)",
            "Record this lesion as a non-target lesion.",
        )


def _check_viable(lesion: BaselineLesion, path: str) -> None:
    """mRECIST viable diameter and target eligibility (Lencioni & Llovet 2010)."""
    viable = check_diameter(lesion.viable_diameter_mm, field=f"{path}.viable_diameter_mm")
    if lesion.is_lymph_node and viable is not None:
        raise DomainError(
            f"{path}.viable_diameter_mm",
            viable,
            "no viable diameter for a lymph node (nodes keep their short axis under mRECIST)",
            "Leave viable_diameter_mm empty for nodes.",
        )
    ld = lesion.longest_diameter_mm
    if viable is not None and ld is not None and viable > ld:
        raise DomainError(
            f"{path}.viable_diameter_mm",
            viable,
            f"a viable diameter no larger than the longest diameter ({ld} mm)",
        )
    if not lesion.is_mrecist_target:
        return
    if not lesion.is_target:
        raise DomainError(
            f"{path}.mrecist_target",
            True,
            "an mRECIST target that is also a RECIST 1.1 target (is_target true)",
        )
    if not lesion.is_lymph_node and not viable:
        raise DomainError(
            f"{path}.viable_diameter_mm",
            viable,
            "an arterially enhancing target (viable diameter > 0 mm) under mRECIST (Lencioni & Llovet 2010)",
            "Set mrecist_target to false to follow this lesion as an mRECIST non-target.",
        )


def _check_counts(targets: Sequence[BaselineLesion], field: str) -> None:
    if len(targets) > MAX_TARGETS:
        raise DomainError(
            field,
            [t.lesion_id for t in targets],
            f"at most {MAX_TARGETS} target lesions (RECIST 1.1 §4.2)",
            "Keep the largest, most reproducible lesions as targets; follow the others "
            "as non-target lesions.",
        )
    per_organ = Counter(t.organ_key for t in targets)
    for organ, count in per_organ.items():
        if count > MAX_TARGETS_PER_ORGAN:
            ids = [t.lesion_id for t in targets if t.organ_key == organ]
            raise DomainError(
                field,
                ids,
                f"at most {MAX_TARGETS_PER_ORGAN} target lesions per organ; "
                f"{count} are in {organ!r} (RECIST 1.1 §4.2; all lymph nodes are one organ)",
                "Follow the extra lesions of that organ as non-target lesions.",
            )


def _value(lesion: BaselineLesion, criterion: Criterion) -> Decimal:
    if lesion.is_lymph_node:
        raw = lesion.short_axis_mm
    elif criterion is Criterion.MRECIST:
        raw = lesion.viable_diameter_mm
    else:
        raw = lesion.longest_diameter_mm
    if raw is None:  # pragma: no cover - excluded by the checks above
        raise DomainError(lesion.lesion_id, None, "a baseline measurement")
    return to_mm(raw)


def _view(lesions: Sequence[BaselineLesion], criterion: Criterion) -> CriterionBaseline:
    def is_target(les: BaselineLesion) -> bool:
        return les.is_target if criterion is Criterion.RECIST_1_1 else les.is_mrecist_target

    return CriterionBaseline(
        criterion=criterion,
        targets=tuple(
            TargetLesion(les.lesion_id, les.is_lymph_node, _value(les, criterion))
            for les in lesions
            if is_target(les)
        ),
        non_target_ids=tuple(les.lesion_id for les in lesions if not is_target(les)),
    )


def check_baseline(lesions: Sequence[BaselineLesion], *, field: str = "lesions") -> Baseline:
    """Check the baseline lesions and compute each criterion's targets and sum.

    Raises
    ------
    DomainError
        No lesion; a duplicated identifier; a negative or non-finite diameter; a node
        measured on its long axis or below 10 mm; a target that is not measurable;
        more than 5 targets or more than 2 in one organ (nodes are one organ); an
        mRECIST target that does not enhance or is not a RECIST 1.1 target.
    """
    if not lesions:
        raise DomainError(field, [], "at least one baseline lesion")
    seen: set[str] = set()
    for i, lesion in enumerate(lesions):
        path = f"{field}[{i}]"
        _check_identity(lesion, path, seen)
        _check_measurement(lesion, path)
        _check_viable(lesion, path)
    _check_counts([les for les in lesions if les.is_target], field)
    return Baseline(
        lesions=tuple(lesions),
        recist=_view(lesions, Criterion.RECIST_1_1),
        mrecist=_view(lesions, Criterion.MRECIST),
    )
