"""Child-Pugh score and class (Pugh et al., Br J Surg 1973;60:646–649).

Five components, 1–3 points each, summed to a score of 5–15:

=====================  ===========  =============  ==================
Component              1 point      2 points       3 points
=====================  ===========  =============  ==================
Total bilirubin        <34 µmol/L   34–51 µmol/L   >51 µmol/L
                       <2 mg/dL     2–3 mg/dL      >3 mg/dL
Albumin (Pugh 1973)    >35 g/L      28–35 g/L      <28 g/L
Albumin (Harrison's)   >35 g/L      30–35 g/L      <30 g/L
INR                    <1.7         1.7–2.3        >2.3
or PT over control     <4 s         4–6 s          >6 s
Ascites                none         mild           moderate–severe
Encephalopathy         none         grade 1–2      grade 3–4
=====================  ===========  =============  ==================

Class A = 5–6, B = 7–9, C = 10–15. Sources: Harrison's Principles of Internal
Medicine, 20th ed., table "Child-Pugh classification of cirrhosis"; Cleveland Clinic J
Med table 1 (https://www.ccjm.org/highwire/markup/12320/expansion); Gut (BMJ) table 2
for the 28/35 g/L albumin cut-offs.

Boundary convention: the end values written in the middle column belong to the
2-point band (bilirubin 34 and 51 µmol/L, albumin 28 and 35 g/L, INR 1.7 and 2.3,
PT 4 and 6 s all score 2). The SI and conventional bilirubin cut-offs are not exact
conversions of each other (2 mg/dL = 34.2 µmol/L, 3 mg/dL = 51.3 µmol/L), so
bilirubin is scored against the table of the unit in which it was reported.

In cholangiocarcinoma bilirubin is often raised by biliary obstruction rather than by
cirrhosis; record biliary drainage alongside the score. The cholestatic (PBC/PSC)
bilirubin variant is deliberately not offered.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal

from oncotrial.core.choices import parse_choice
from oncotrial.core.errors import DomainError
from oncotrial.core.units import SPECS, Measurand, Measurement, canonical_value

Closed = Literal["left", "right", "both", "neither"]


@dataclass(frozen=True, slots=True)
class Band:
    """Points given to values in an interval; ``closed`` says which ends belong to it."""

    points: int
    lower: float
    upper: float
    closed: Closed

    @property
    def lower_closed(self) -> bool:
        return self.closed in ("left", "both")

    @property
    def upper_closed(self) -> bool:
        return self.closed in ("right", "both")

    def contains(self, value: float) -> bool:
        above = value >= self.lower if self.lower_closed else value > self.lower
        below = value <= self.upper if self.upper_closed else value < self.upper
        return above and below


Bands = tuple[Band, ...]
INF: Final = math.inf

BILIRUBIN_BANDS_UMOL_L: Final[Bands] = (
    Band(1, 0.0, 34.0, "left"), Band(2, 34.0, 51.0, "both"), Band(3, 51.0, INF, "neither"))
BILIRUBIN_BANDS_MG_DL: Final[Bands] = (
    Band(1, 0.0, 2.0, "left"), Band(2, 2.0, 3.0, "both"), Band(3, 3.0, INF, "neither"))
ALBUMIN_BANDS_PUGH_1973_G_L: Final[Bands] = (
    Band(3, 0.0, 28.0, "left"), Band(2, 28.0, 35.0, "both"), Band(1, 35.0, INF, "neither"))
ALBUMIN_BANDS_HARRISON_G_L: Final[Bands] = (
    Band(3, 0.0, 30.0, "left"), Band(2, 30.0, 35.0, "both"), Band(1, 35.0, INF, "neither"))
INR_BANDS: Final[Bands] = (
    Band(1, 0.0, 1.7, "left"), Band(2, 1.7, 2.3, "both"), Band(3, 2.3, INF, "neither"))
PT_PROLONGATION_BANDS_S: Final[Bands] = (
    Band(1, -INF, 4.0, "neither"), Band(2, 4.0, 6.0, "both"), Band(3, 6.0, INF, "neither"))


class AlbuminCutoffs(StrEnum):
    """Albumin cut-off variant: Pugh 1973 (28/35 g/L, default) or Harrison's (30/35 g/L)."""

    PUGH_1973 = "pugh_1973"
    HARRISON = "harrison"


class Ascites(StrEnum):
    """Ascites: none, mild (easily controlled) or moderate–severe (poorly controlled)."""

    NONE = "none"
    MILD = "mild"
    MODERATE_SEVERE = "moderate_severe"


class Encephalopathy(StrEnum):
    """Hepatic encephalopathy: none, grade 1–2 (minimal) or grade 3–4 (advanced)."""

    NONE = "none"
    GRADE_1_2 = "grade_1_2"
    GRADE_3_4 = "grade_3_4"


class CoagulationBasis(StrEnum):
    """Which coagulation test was scored."""

    INR = "inr"
    PT_PROLONGATION = "pt_prolongation"


class ChildPughClass(StrEnum):
    """Child-Pugh class: A (5–6), B (7–9), C (10–15)."""

    A = "A"
    B = "B"
    C = "C"


ALBUMIN_BANDS: Final[MappingProxyType[AlbuminCutoffs, Bands]] = MappingProxyType({
    AlbuminCutoffs.PUGH_1973: ALBUMIN_BANDS_PUGH_1973_G_L,
    AlbuminCutoffs.HARRISON: ALBUMIN_BANDS_HARRISON_G_L,
})
ASCITES_POINTS: Final = MappingProxyType(
    {Ascites.NONE: 1, Ascites.MILD: 2, Ascites.MODERATE_SEVERE: 3})
ENCEPHALOPATHY_POINTS: Final = MappingProxyType(
    {Encephalopathy.NONE: 1, Encephalopathy.GRADE_1_2: 2, Encephalopathy.GRADE_3_4: 3})
CLASS_BANDS: Final[tuple[tuple[ChildPughClass, int, int], ...]] = (
    (ChildPughClass.A, 5, 6), (ChildPughClass.B, 7, 9), (ChildPughClass.C, 10, 15))
"""Inclusive score ranges of each class."""


def check_bands(bands: Sequence[Band], *, low: float, high: float, name: str) -> None:
    """Check that ``bands`` cover [low, high] (open at an infinite end) exactly once.

    Raises
    ------
    DomainError
        On a gap, an overlap, an empty band or bands out of order.
    """
    def fail(why: str) -> DomainError:
        return DomainError(name, bands, f"contiguous bands covering [{low}, {high}]: {why}")

    if not bands:
        raise fail("no band")
    if bands[0].lower != low or (math.isfinite(low) and not bands[0].lower_closed):
        raise fail("the first band does not start at the lower end of the range")
    if bands[-1].upper != high or (math.isfinite(high) and not bands[-1].upper_closed):
        raise fail("the last band does not end at the upper end of the range")
    for band in bands:
        if not band.lower < band.upper:
            raise fail(f"empty band {band}")
    for before, after in itertools.pairwise(bands):
        if before.upper != after.lower:
            raise fail(f"{before} and {after} do not meet")
        if before.upper_closed == after.lower_closed:
            where = "both" if before.upper_closed else "neither"
            raise fail(f"the value {before.upper} is in {where} of two adjacent bands")


TABLES: Final[MappingProxyType[str, tuple[Bands, float, float]]] = MappingProxyType({
    "BILIRUBIN_BANDS_UMOL_L": (BILIRUBIN_BANDS_UMOL_L, 0.0, INF),
    "BILIRUBIN_BANDS_MG_DL": (BILIRUBIN_BANDS_MG_DL, 0.0, INF),
    "ALBUMIN_BANDS_PUGH_1973_G_L": (ALBUMIN_BANDS_PUGH_1973_G_L, 0.0, INF),
    "ALBUMIN_BANDS_HARRISON_G_L": (ALBUMIN_BANDS_HARRISON_G_L, 0.0, INF),
    "INR_BANDS": (INR_BANDS, 0.0, INF),
    "PT_PROLONGATION_BANDS_S": (PT_PROLONGATION_BANDS_S, -INF, INF),
})
"""Every band table with the range [low, high] it must cover; checked at import."""


for _table, (_bands, _low, _high) in TABLES.items():
    check_bands(_bands, low=_low, high=_high, name=_table)


def points_for(value: float, bands: Sequence[Band], *, field: str) -> int:
    """Points of the single band containing ``value`` (rounded to 1e-9 against float noise)."""
    cleaned = round(value, 9)
    found = [band.points for band in bands if band.contains(cleaned)]
    if len(found) != 1:
        raise DomainError(field, value, f"a value inside exactly one band of {bands}")
    return found[0]


def child_pugh_class(score: int) -> ChildPughClass:
    """Class A (5–6), B (7–9) or C (10–15) of a total score."""
    if isinstance(score, int) and not isinstance(score, bool):
        for klass, low, high in CLASS_BANDS:
            if low <= score <= high:
                return klass
    raise DomainError("score", score, "an integer Child-Pugh score in [5, 15]")


@dataclass(frozen=True, slots=True)
class ChildPughResult:
    """Per-component points, total score (5–15) and class."""

    bilirubin_points: int
    albumin_points: int
    coagulation_points: int
    ascites_points: int
    encephalopathy_points: int
    total: int
    child_pugh_class: ChildPughClass
    coagulation_basis: CoagulationBasis
    albumin_cutoffs: AlbuminCutoffs






def _bilirubin_points(bilirubin: Measurement) -> int:
    umol_l = canonical_value(bilirubin, Measurand.BILIRUBIN, field="bilirubin")
    if bilirubin.original_unit == "mg/dL":
        return points_for(umol_l / SPECS[Measurand.BILIRUBIN].factors["mg/dL"],
                          BILIRUBIN_BANDS_MG_DL, field="bilirubin")
    return points_for(umol_l, BILIRUBIN_BANDS_UMOL_L, field="bilirubin")


def _coagulation_points(
    inr: Measurement | None, pt: Measurement | None, control: Measurement | None
) -> tuple[int, CoagulationBasis]:
    pt_given = pt is not None or control is not None
    if inr is not None and pt_given:
        raise DomainError("inr", inr, "either inr or prothrombin_time with "
                          "control_prothrombin_time, not both", "pass only inr (preferred).")
    if inr is not None:
        value = canonical_value(inr, Measurand.INR, field="inr")
        return points_for(value, INR_BANDS, field="inr"), CoagulationBasis.INR
    if pt is None or control is None:
        raise DomainError("prothrombin_time", pt, "an INR, or both prothrombin_time and "
                          "control_prothrombin_time")
    prolongation = (canonical_value(pt, Measurand.PROTHROMBIN_TIME, field="prothrombin_time")
                    - canonical_value(control, Measurand.PROTHROMBIN_TIME, field="control_prothrombin_time"))
    points = points_for(prolongation, PT_PROLONGATION_BANDS_S, field="prothrombin_time")
    return points, CoagulationBasis.PT_PROLONGATION


def child_pugh_score(
    *,
    bilirubin: Measurement,
    albumin: Measurement,
    ascites: Ascites,
    encephalopathy: Encephalopathy,
    inr: Measurement | None = None,
    prothrombin_time: Measurement | None = None,
    control_prothrombin_time: Measurement | None = None,
    albumin_cutoffs: AlbuminCutoffs = AlbuminCutoffs.PUGH_1973,
) -> ChildPughResult:
    """Child-Pugh points, score (5–15) and class (A/B/C); see the module table.

    Parameters
    ----------
    bilirubin, albumin:
        Total bilirubin and serum albumin as ``Measurement`` objects (any accepted unit).
    ascites, encephalopathy:
        Clinical grades (:class:`Ascites`, :class:`Encephalopathy`).
    inr:
        The INR (preferred). Alternatively give ``prothrombin_time`` and
        ``control_prothrombin_time``; the prolongation is their difference in seconds.
    albumin_cutoffs:
        :attr:`AlbuminCutoffs.PUGH_1973` (28/35 g/L, default) or ``HARRISON`` (30/35 g/L).

    Raises
    ------
    DomainError
        For a wrong, implausible or missing input, or both INR and PT given.
    """
    cutoffs = parse_choice(AlbuminCutoffs, albumin_cutoffs, "albumin_cutoffs")
    bili = _bilirubin_points(bilirubin)
    alb = points_for(canonical_value(albumin, Measurand.ALBUMIN, field="albumin"), ALBUMIN_BANDS[cutoffs],
                     field="albumin")
    coag, basis = _coagulation_points(inr, prothrombin_time, control_prothrombin_time)
    asc = ASCITES_POINTS[parse_choice(Ascites, ascites, "ascites")]
    enc = ENCEPHALOPATHY_POINTS[parse_choice(Encephalopathy, encephalopathy, "encephalopathy")]
    total = bili + alb + coag + asc + enc
    return ChildPughResult(
        bilirubin_points=bili, albumin_points=alb, coagulation_points=coag,
        ascites_points=asc, encephalopathy_points=enc, total=total,
        child_pugh_class=child_pugh_class(total), coagulation_basis=basis,
        albumin_cutoffs=cutoffs,
    )
