"""What screening knows about a candidate: demographics, labs, lesions and history facts.

Values are validated when built (see :mod:`oncotrial.core.eligibility.patient_data`).
``None`` always means *not recorded*: a rule that needs it is not evaluable, and a
missing value never counts as met.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from oncotrial.core.calculators.child_pugh import Ascites, Encephalopathy
from oncotrial.core.reference_ranges import SiteReferenceRanges
from oncotrial.core.units import Measurand, Measurement


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


@dataclass(frozen=True, slots=True)
class Fact:
    """A yes/no item of history or attestation, with the date of the event when present."""

    present: bool
    on: date | None = None


@dataclass(frozen=True, slots=True)
class ScreeningLesion:
    """A lesion seen on baseline imaging (RECIST 1.1 conventions: nodes by short axis)."""

    lesion_id: str
    organ: str
    is_lymph_node: bool
    longest_diameter_mm: float | None
    short_axis_mm: float | None
    slice_thickness_mm: float | None
    imaged_on: date


def _empty() -> Mapping[str, Fact]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person being screened for a protocol."""

    patient_id: str
    site_id: str
    birth_date: date | None = None
    sex: Sex | None = None
    ecog: int | None = None
    weight: Measurement | None = None
    height: Measurement | None = None
    labs: tuple[Measurement, ...] = ()
    reference_ranges: SiteReferenceRanges = field(
        default_factory=lambda: SiteReferenceRanges("unknown"))
    lesions: tuple[ScreeningLesion, ...] | None = None
    facts: Mapping[str, Fact] = field(default_factory=_empty)
    numbers: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    ascites: Ascites | None = None
    encephalopathy: Encephalopathy | None = None
    consent_date: date | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def latest_lab(self, measurand: Measurand, *, on: date) -> Measurement | None:
        """The most recent value of ``measurand`` collected on or before ``on``."""
        usable = [m for m in self.labs
                  if m.measurand is measurand and m.collected_on is not None and m.collected_on <= on]
        return max(usable, key=lambda m: m.collected_on or date.min, default=None)

    def age_on(self, on: date) -> int | None:
        """Age in completed years on ``on``."""
        if self.birth_date is None:
            return None
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - int(before_birthday)
