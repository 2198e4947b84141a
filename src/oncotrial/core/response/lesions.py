"""Input values: baseline lesions and what each follow-up scan showed.

Every lesion carries its RECIST 1.1 measurement (longest diameter for non-nodal
lesions, short axis for lymph nodes; Eisenhauer et al., Eur J Cancer 2009;45:228–247,
§3.1.1 and §4.2) and, separately, the longest *viable* (arterially enhancing)
diameter used by mRECIST (Lencioni & Llovet, Semin Liver Dis 2010;30:52–60).

These are plain frozen values; they are checked where they are used
(:func:`oncotrial.core.response.baseline.check_baseline` and
:func:`oncotrial.core.response.validation.check_scans`), where the path of each field
is known and can be named in the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oncotrial.core.response.criteria import NewLesionStatus

LYMPH_NODE_ORGAN = "lymph node"
"""All lymph nodes together count as one organ (EORTC RECIST clarification)."""


@dataclass(frozen=True, slots=True)
class BaselineLesion:
    """A lesion recorded at baseline.

    Attributes
    ----------
    lesion_id:
        Identifier used at every follow-up scan (``"T1"``, ``"NT2"``).
    organ:
        Organ or site (``"liver"``, ``"lung"``). Ignored for counting when the
        lesion is a lymph node: all nodes are one organ.
    is_lymph_node:
        Nodes are measured on their short axis (RECIST 1.1 §3.1.1).
    is_target:
        Selected as a RECIST 1.1 target lesion (§4.2: ≤ 5 in total, ≤ 2 per organ).
    longest_diameter_mm:
        Longest diameter of a non-nodal lesion.
    short_axis_mm:
        Short axis of a lymph node.
    viable_diameter_mm:
        Longest viable (arterially enhancing) diameter for mRECIST; ``0`` for a lesion
        without enhancement. Not used for lymph nodes, which mRECIST measures on the
        short axis as RECIST 1.1 does.
    mrecist_target:
        Target under mRECIST. ``None`` means the same as ``is_target``. An mRECIST
        target must be a RECIST 1.1 target that enhances at baseline.
    slice_thickness_mm:
        CT/MRI slice thickness; above 5 mm a non-nodal lesion must measure at least
        twice the slice thickness to be measurable (§3.1.1).
    """

    lesion_id: str
    organ: str
    is_lymph_node: bool
    is_target: bool
    longest_diameter_mm: float | None = None
    short_axis_mm: float | None = None
    viable_diameter_mm: float | None = None
    mrecist_target: bool | None = None
    slice_thickness_mm: float | None = None

    @property
    def organ_key(self) -> str:
        """Organ used to count targets: all lymph nodes are one organ."""
        if self.is_lymph_node:
            return LYMPH_NODE_ORGAN
        return self.organ.strip().casefold()

    @property
    def is_mrecist_target(self) -> bool:
        """Whether the lesion is followed as a target under mRECIST."""
        return self.is_target if self.mrecist_target is None else self.mrecist_target


class LesionStatus(StrEnum):
    """State of a target lesion at a follow-up scan (RECIST 1.1 §4.3.2)."""

    PRESENT = "present"
    """Measured: ``diameter_mm`` (or ``fragments_mm`` for a lesion that split)."""
    TOO_SMALL = "too_small_to_measure"
    """Present but too small to measure: the default (5 mm) unless a value is given."""
    DISAPPEARED = "disappeared"
    """Counts as 0 mm."""
    COALESCED = "coalesced"
    """Merged into another target (``coalesced_into``), which carries the combined
    diameter; this lesion counts as 0 mm."""
    NOT_ASSESSED = "not_assessed"
    """Not evaluated at this scan."""


@dataclass(frozen=True, slots=True)
class TargetReading:
    """What a follow-up scan showed for one RECIST 1.1 target lesion.

    ``diameter_mm`` is the longest diameter for a non-nodal lesion and the short axis
    for a node. ``fragments_mm`` replaces it for a lesion that split (the fragments
    are summed, RECIST 1.1 §4.3.2). ``viable_diameter_mm`` / ``viable_fragments_mm``
    are the mRECIST viable diameters; a present lesion without them is not
    assessed under mRECIST.
    """

    lesion_id: str
    status: LesionStatus = LesionStatus.PRESENT
    diameter_mm: float | None = None
    fragments_mm: tuple[float, ...] = ()
    viable_diameter_mm: float | None = None
    viable_fragments_mm: tuple[float, ...] = ()
    coalesced_into: str | None = None


class NonTargetStatus(StrEnum):
    """State of a non-target lesion at a follow-up scan (RECIST 1.1 §4.3.3–§4.3.4)."""

    ABSENT = "absent"
    PRESENT = "present"
    UNEQUIVOCAL_PROGRESSION = "unequivocal_progression"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True, slots=True)
class NonTargetReading:
    """What a follow-up scan showed for one non-target lesion.

    ``short_axis_mm`` may be given for a node: a node present with a short axis below
    10 mm counts as normal (RECIST 1.1 §4.3.3). ``enhancing`` is used by mRECIST:
    ``False`` means arterial enhancement has disappeared; ``None`` (unknown) counts
    as persisting.
    """

    lesion_id: str
    status: NonTargetStatus
    short_axis_mm: float | None = None
    enhancing: bool | None = None


@dataclass(frozen=True, slots=True)
class NewLesion:
    """A lesion absent at baseline (RECIST 1.1 §4.3.5).

    The same ``lesion_id`` is used at later scans so that an equivocal lesion later
    confirmed as unequivocal dates the progression back to its first appearance.
    """

    lesion_id: str
    status: NewLesionStatus


@dataclass(frozen=True, slots=True)
class Scan:
    """One post-baseline imaging time point.

    A baseline target without a reading is *not assessed* at this scan, and so is a
    baseline non-target without a reading.
    """

    scan_date: date
    targets: tuple[TargetReading, ...] = ()
    non_targets: tuple[NonTargetReading, ...] = ()
    new_lesions: tuple[NewLesion, ...] = ()
