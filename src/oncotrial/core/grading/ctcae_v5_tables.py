"""CTCAE v5.0 grading tables for laboratory terms and blood pressure, as typed bands.

Source: National Cancer Institute, *Common Terminology Criteria for Adverse Events
(CTCAE) Version 5.0*, US DHHS/NIH/NCI, published 27 November 2017. The criterion
strings below are the CTCAE v5.0 wording. Each threshold was cross-checked against the
machine-readable transcription in pharmaverse admiral
(``data-raw/adlb_grading/ncictcaev5.json``, the grading code behind
``atoxgr_criteria_ctcv5``) and, for hypertension, against a transcription of the CTCAE
v5.0 spreadsheet text. Values are in Oncotrial's canonical units (``core.units``):
cell counts 10⁹/L, haemoglobin and albumin g/L, INR dimensionless, urine protein g/24 h,
blood pressure mmHg. Enzymes, bilirubin and creatinine are graded as multiples of ULN or
of baseline, so their unit does not matter.

Reading of interval ends: CTCAE writes "<1.5 – 1.0" for [1.0, 1.5), ">3.0 – 5.0 × ULN"
for (3 ULN, 5 ULN] and "1.5 – 3.0 × baseline" (no sign) for [1.5 b, 3 b]; admiral's
code agrees (``<``, ``>`` and ``>=`` respectively) except where noted.

Notes on particular terms:

* Hypertension: CTCAE gives mmHg ranges for integer readings ("120 – 139"); they are
  read as [120, 140), so 139.5 is grade 1 and 140 grade 2.
* Proteinuria (adult) bands are **[RECALL]**: the wording "urinary protein ≥ULN –
  <1.0 g/24 hrs; 1.0 – <3.5 g/24 hrs; ≥3.5 g/24 hrs" could not be checked against the
  NCI document or admiral (which does not grade proteinuria). The 1.0 and 3.5 g/24 h
  thresholds also appear in the lenvatinib management table cited in the research notes.
* GGT increased, baseline abnormal, grade 1: CTCAE says "2.0 – 2.5 × baseline", read
  here as ≥ 2.0 × baseline like alkaline phosphatase; admiral's GGT code uses
  ``> 2*BASE`` while its ALP code uses ``>= 2*BASE``. The two readings differ only at
  exactly 2.0 × baseline.

MedDRA codes are deliberately not shipped (MedDRA is licensed; research note
standards.md §7): terms carry their CTCAE name and MedDRA System Organ Class name only.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.grading.bands import (
    INFINITY,
    ZERO,
    BandRule,
    BandTable,
    Bound,
    Closed,
    Direction,
    Reference,
)


class Term(StrEnum):
    """CTCAE v5.0 terms graded by this package, spelled as in CTCAE."""

    ANEMIA = "Anemia"
    NEUTROPHIL_COUNT_DECREASED = "Neutrophil count decreased"
    PLATELET_COUNT_DECREASED = "Platelet count decreased"
    WHITE_BLOOD_CELL_DECREASED = "White blood cell decreased"
    ALT_INCREASED = "Alanine aminotransferase increased"
    AST_INCREASED = "Aspartate aminotransferase increased"
    BLOOD_BILIRUBIN_INCREASED = "Blood bilirubin increased"
    ALP_INCREASED = "Alkaline phosphatase increased"
    GGT_INCREASED = "GGT increased"
    CREATININE_INCREASED = "Creatinine increased"
    HYPOALBUMINEMIA = "Hypoalbuminemia"
    INR_INCREASED = "INR increased"
    HYPERTENSION = "Hypertension"
    PROTEINURIA = "Proteinuria"


_BLOOD = "Blood and lymphatic system disorders"
_INVESTIGATIONS = "Investigations"

#: MedDRA System Organ Class of each term, as CTCAE v5.0 files it.
SYSTEM_ORGAN_CLASS: Final = MappingProxyType({
    Term.ANEMIA: _BLOOD,
    Term.NEUTROPHIL_COUNT_DECREASED: _INVESTIGATIONS,
    Term.PLATELET_COUNT_DECREASED: _INVESTIGATIONS,
    Term.WHITE_BLOOD_CELL_DECREASED: _INVESTIGATIONS,
    Term.ALT_INCREASED: _INVESTIGATIONS,
    Term.AST_INCREASED: _INVESTIGATIONS,
    Term.BLOOD_BILIRUBIN_INCREASED: _INVESTIGATIONS,
    Term.ALP_INCREASED: _INVESTIGATIONS,
    Term.GGT_INCREASED: _INVESTIGATIONS,
    Term.CREATININE_INCREASED: _INVESTIGATIONS,
    Term.HYPOALBUMINEMIA: "Metabolism and nutrition disorders",
    Term.INR_INCREASED: _INVESTIGATIONS,
    Term.HYPERTENSION: "Vascular disorders",
    Term.PROTEINURIA: "Renal and urinary disorders",
})

#: Highest grade CTCAE v5.0 defines for each term ("-" in a grade column means none).
#: Grade 5 (death) exists only for the clinically defined terms.
MAX_GRADE: Final = MappingProxyType({
    Term.ANEMIA: 5,
    Term.NEUTROPHIL_COUNT_DECREASED: 4,
    Term.PLATELET_COUNT_DECREASED: 4,
    Term.WHITE_BLOOD_CELL_DECREASED: 4,
    Term.ALT_INCREASED: 4,
    Term.AST_INCREASED: 4,
    Term.BLOOD_BILIRUBIN_INCREASED: 4,
    Term.ALP_INCREASED: 4,
    Term.GGT_INCREASED: 4,
    Term.CREATININE_INCREASED: 4,
    Term.HYPOALBUMINEMIA: 5,
    Term.INR_INCREASED: 3,
    Term.HYPERTENSION: 5,
    Term.PROTEINURIA: 3,  # [RECALL]: grades 4 and 5 are "-" for proteinuria
})

_L, _R, _B, _N = Closed.LEFT, Closed.RIGHT, Closed.BOTH, Closed.NEITHER
_DOWN, _UP = Direction.DECREASED, Direction.INCREASED


def _x(value: float) -> Bound:
    return Bound(value)


def _uln(factor: float) -> Bound:
    return Bound(factor, Reference.ULN)


def _base(factor: float) -> Bound:
    return Bound(factor, Reference.BASELINE)


def _lln_at_least(threshold: float) -> Bound:
    """The LLN, but never below CTCAE's fixed grade-1 threshold (which wins)."""
    return Bound(1.0, Reference.LLN, floor=threshold)


# --- Decreased counts and proteins: G1 needs the LLN; lower grades are fixed values. ---

_HGB_LLN = _lln_at_least(100.0)
ANEMIA: Final = BandTable(Term.ANEMIA, _DOWN, (
    BandRule(3, ZERO, _x(80.0), _L, "Hgb <80 g/L; transfusion indicated"),
    BandRule(2, _x(80.0), _x(100.0), _L, "Hgb <100 - 80 g/L"),
    BandRule(1, _x(100.0), _HGB_LLN, _L, "Hgb <LLN - 100 g/L"),
    BandRule(0, _HGB_LLN, INFINITY, _L, "Hgb ≥LLN"),
))

_ANC_LLN = _lln_at_least(1.5)
NEUTROPHIL_COUNT_DECREASED: Final = BandTable(Term.NEUTROPHIL_COUNT_DECREASED, _DOWN, (
    BandRule(4, ZERO, _x(0.5), _L, "<0.5 x 10e9 /L"),
    BandRule(3, _x(0.5), _x(1.0), _L, "<1.0 - 0.5 x 10e9 /L"),
    BandRule(2, _x(1.0), _x(1.5), _L, "<1.5 - 1.0 x 10e9 /L"),
    BandRule(1, _x(1.5), _ANC_LLN, _L, "<LLN - 1.5 x 10e9 /L"),
    BandRule(0, _ANC_LLN, INFINITY, _L, "≥LLN"),
))

_PLT_LLN = _lln_at_least(75.0)
PLATELET_COUNT_DECREASED: Final = BandTable(Term.PLATELET_COUNT_DECREASED, _DOWN, (
    BandRule(4, ZERO, _x(25.0), _L, "<25.0 x 10e9 /L"),
    BandRule(3, _x(25.0), _x(50.0), _L, "<50.0 - 25.0 x 10e9 /L"),
    BandRule(2, _x(50.0), _x(75.0), _L, "<75.0 - 50.0 x 10e9 /L"),
    BandRule(1, _x(75.0), _PLT_LLN, _L, "<LLN - 75.0 x 10e9 /L"),
    BandRule(0, _PLT_LLN, INFINITY, _L, "≥LLN"),
))

_WBC_LLN = _lln_at_least(3.0)
WHITE_BLOOD_CELL_DECREASED: Final = BandTable(Term.WHITE_BLOOD_CELL_DECREASED, _DOWN, (
    BandRule(4, ZERO, _x(1.0), _L, "<1.0 x 10e9 /L"),
    BandRule(3, _x(1.0), _x(2.0), _L, "<2.0 - 1.0 x 10e9 /L"),
    BandRule(2, _x(2.0), _x(3.0), _L, "<3.0 - 2.0 x 10e9 /L"),
    BandRule(1, _x(3.0), _WBC_LLN, _L, "<LLN - 3.0 x 10e9 /L"),
    BandRule(0, _WBC_LLN, INFINITY, _L, "≥LLN"),
))

_ALB_LLN = _lln_at_least(30.0)
HYPOALBUMINEMIA: Final = BandTable(Term.HYPOALBUMINEMIA, _DOWN, (
    BandRule(3, ZERO, _x(20.0), _L, "<20 g/L"),
    BandRule(2, _x(20.0), _x(30.0), _L, "<30 - 20 g/L"),
    BandRule(1, _x(30.0), _ALB_LLN, _L, "<LLN - 30 g/L"),
    BandRule(0, _ALB_LLN, INFINITY, _L, "≥LLN"),
))

# --- Liver tests: multiples of ULN if baseline was normal, of baseline if abnormal. ---

ALT_VS_ULN: Final = BandTable(Term.ALT_INCREASED, _UP, (
    BandRule(0, ZERO, _uln(1.0), _B, "≤ULN"),
    BandRule(1, _uln(1.0), _uln(3.0), _R, ">ULN - 3.0 x ULN if baseline was normal"),
    BandRule(2, _uln(3.0), _uln(5.0), _R, ">3.0 - 5.0 x ULN if baseline was normal"),
    BandRule(3, _uln(5.0), _uln(20.0), _R, ">5.0 - 20.0 x ULN if baseline was normal"),
    BandRule(4, _uln(20.0), INFINITY, _N, ">20.0 x ULN if baseline was normal"),
))
ALT_VS_BASELINE: Final = BandTable(Term.ALT_INCREASED, _UP, (
    BandRule(0, ZERO, _base(1.5), _L, "<1.5 x baseline (baseline abnormal)"),
    BandRule(1, _base(1.5), _base(3.0), _B, "1.5 - 3.0 x baseline if baseline was abnormal"),
    BandRule(2, _base(3.0), _base(5.0), _R, ">3.0 - 5.0 x baseline if baseline was abnormal"),
    BandRule(3, _base(5.0), _base(20.0), _R,
             ">5.0 - 20.0 x baseline if baseline was abnormal"),
    BandRule(4, _base(20.0), INFINITY, _N, ">20.0 x baseline if baseline was abnormal"),
))
# CTCAE v5.0 words "Aspartate aminotransferase increased" exactly as ALT.
AST_VS_ULN: Final = replace(ALT_VS_ULN, name=Term.AST_INCREASED)
AST_VS_BASELINE: Final = replace(ALT_VS_BASELINE, name=Term.AST_INCREASED)

BILIRUBIN_VS_ULN: Final = BandTable(Term.BLOOD_BILIRUBIN_INCREASED, _UP, (
    BandRule(0, ZERO, _uln(1.0), _B, "≤ULN"),
    BandRule(1, _uln(1.0), _uln(1.5), _R, ">ULN - 1.5 x ULN if baseline was normal"),
    BandRule(2, _uln(1.5), _uln(3.0), _R, ">1.5 - 3.0 x ULN if baseline was normal"),
    BandRule(3, _uln(3.0), _uln(10.0), _R, ">3.0 - 10.0 x ULN if baseline was normal"),
    BandRule(4, _uln(10.0), INFINITY, _N, ">10.0 x ULN if baseline was normal"),
))
BILIRUBIN_VS_BASELINE: Final = BandTable(Term.BLOOD_BILIRUBIN_INCREASED, _UP, (
    BandRule(0, ZERO, _base(1.0), _B, "≤baseline (baseline abnormal)"),
    BandRule(1, _base(1.0), _base(1.5), _R, ">1.0 - 1.5 x baseline if baseline was abnormal"),
    BandRule(2, _base(1.5), _base(3.0), _R, ">1.5 - 3.0 x baseline if baseline was abnormal"),
    BandRule(3, _base(3.0), _base(10.0), _R,
             ">3.0 - 10.0 x baseline if baseline was abnormal"),
    BandRule(4, _base(10.0), INFINITY, _N, ">10.0 x baseline if baseline was abnormal"),
))

ALP_VS_ULN: Final = BandTable(Term.ALP_INCREASED, _UP, (
    BandRule(0, ZERO, _uln(1.0), _B, "≤ULN"),
    BandRule(1, _uln(1.0), _uln(2.5), _R, ">ULN - 2.5 x ULN if baseline was normal"),
    BandRule(2, _uln(2.5), _uln(5.0), _R, ">2.5 - 5.0 x ULN if baseline was normal"),
    BandRule(3, _uln(5.0), _uln(20.0), _R, ">5.0 - 20.0 x ULN if baseline was normal"),
    BandRule(4, _uln(20.0), INFINITY, _N, ">20.0 x ULN if baseline was normal"),
))
ALP_VS_BASELINE: Final = BandTable(Term.ALP_INCREASED, _UP, (
    BandRule(0, ZERO, _base(2.0), _L, "<2.0 x baseline (baseline abnormal)"),
    BandRule(1, _base(2.0), _base(2.5), _B, "2.0 - 2.5 x baseline if baseline was abnormal"),
    BandRule(2, _base(2.5), _base(5.0), _R, ">2.5 - 5.0 x baseline if baseline was abnormal"),
    BandRule(3, _base(5.0), _base(20.0), _R,
             ">5.0 - 20.0 x baseline if baseline was abnormal"),
    BandRule(4, _base(20.0), INFINITY, _N, ">20.0 x baseline if baseline was abnormal"),
))
# CTCAE v5.0 words "GGT increased" exactly as alkaline phosphatase (see module notes).
GGT_VS_ULN: Final = replace(ALP_VS_ULN, name=Term.GGT_INCREASED)
GGT_VS_BASELINE: Final = replace(ALP_VS_BASELINE, name=Term.GGT_INCREASED)

# --- Creatinine: the higher of the ULN grade and the baseline grade (as admiral). ---

CREATININE_VS_ULN: Final = BandTable(Term.CREATININE_INCREASED, _UP, (
    BandRule(0, ZERO, _uln(1.0), _B, "≤ULN"),
    BandRule(1, _uln(1.0), _uln(1.5), _R, ">ULN - 1.5 x ULN"),
    BandRule(2, _uln(1.5), _uln(3.0), _R, ">1.5 - 3.0 x ULN"),
    BandRule(3, _uln(3.0), _uln(6.0), _R, ">3.0 - 6.0 x ULN"),
    BandRule(4, _uln(6.0), INFINITY, _N, ">6.0 x ULN"),
))
CREATININE_VS_BASELINE: Final = BandTable(Term.CREATININE_INCREASED, _UP, (
    BandRule(0, ZERO, _base(1.5), _B, "≤1.5 x baseline"),
    BandRule(2, _base(1.5), _base(3.0), _R, ">1.5 - 3.0 x baseline"),
    BandRule(3, _base(3.0), INFINITY, _N, ">3.0 x baseline"),
))

# --- INR: absolute values; multiples of baseline only if on anticoagulation. ---

INR_NOT_ANTICOAGULATED: Final = BandTable(Term.INR_INCREASED, _UP, (
    BandRule(0, ZERO, _x(1.2), _B, "≤1.2"),
    BandRule(1, _x(1.2), _x(1.5), _R, ">1.2 - 1.5; monitoring only indicated"),
    BandRule(2, _x(1.5), _x(2.5), _R, ">1.5 - 2.5; dose adjustment indicated"),
    BandRule(3, _x(2.5), INFINITY, _N, ">2.5"),
))
INR_ANTICOAGULATED: Final = BandTable(Term.INR_INCREASED, _UP, (
    BandRule(0, ZERO, _base(1.0), _B, "≤baseline (on anticoagulation)"),
    BandRule(1, _base(1.0), _base(1.5), _R, ">1 - 1.5 x baseline if on anticoagulation"),
    BandRule(2, _base(1.5), _base(2.5), _R, ">1.5 - 2.5 x baseline if on anticoagulation"),
    BandRule(3, _base(2.5), INFINITY, _N,
             ">2.5 times above baseline if on anticoagulation"),
))

# --- Proteinuria (adult), 24-hour urine protein in g/24 h: [RECALL], see module notes. ---

_PROT_ULN = Bound(1.0, Reference.ULN, ceiling=1.0)
PROTEINURIA_24H: Final = BandTable(Term.PROTEINURIA, _UP, (
    BandRule(0, ZERO, _PROT_ULN, _L, "urinary protein <ULN"),
    BandRule(1, _PROT_ULN, _x(1.0), _L, "urinary protein ≥ULN - <1.0 g/24 hrs"),
    BandRule(2, _x(1.0), _x(3.5), _L, "Adult: urinary protein 1.0 - <3.5 g/24 hrs"),
    BandRule(3, _x(3.5), INFINITY, _L, "Adult: urinary protein ≥3.5 g/24 hrs"),
))

# --- Hypertension (adult), blood-pressure part only; mmHg. ---

SYSTOLIC_BP: Final = BandTable(Term.HYPERTENSION, _UP, (
    BandRule(0, ZERO, _x(120.0), _L, "Systolic BP <120 mm Hg"),
    BandRule(1, _x(120.0), _x(140.0), _L, "Adult: Systolic BP 120 - 139 mm Hg"),
    BandRule(2, _x(140.0), _x(160.0), _L,
             "Adult: Systolic BP 140 - 159 mm Hg if previously WNL"),
    BandRule(3, _x(160.0), INFINITY, _L, "Adult: Systolic BP >=160 mm Hg"),
))
DIASTOLIC_BP: Final = BandTable(Term.HYPERTENSION, _UP, (
    BandRule(0, ZERO, _x(80.0), _L, "Diastolic BP <80 mm Hg"),
    BandRule(1, _x(80.0), _x(90.0), _L, "Adult: diastolic BP 80 - 89 mm Hg"),
    BandRule(2, _x(90.0), _x(100.0), _L,
             "Adult: diastolic BP 90 - 99 mm Hg if previously WNL"),
    BandRule(3, _x(100.0), INFINITY, _L, "Adult: diastolic BP >=100 mm Hg"),
))

#: Every table above, for the coverage test and for documentation.
ALL_TABLES: Final = (
    ANEMIA, NEUTROPHIL_COUNT_DECREASED, PLATELET_COUNT_DECREASED, WHITE_BLOOD_CELL_DECREASED,
    HYPOALBUMINEMIA, ALT_VS_ULN, ALT_VS_BASELINE, AST_VS_ULN, AST_VS_BASELINE,
    BILIRUBIN_VS_ULN, BILIRUBIN_VS_BASELINE, ALP_VS_ULN, ALP_VS_BASELINE, GGT_VS_ULN,
    GGT_VS_BASELINE, CREATININE_VS_ULN, CREATININE_VS_BASELINE, INR_NOT_ANTICOAGULATED,
    INR_ANTICOAGULATED, PROTEINURIA_24H, SYSTOLIC_BP, DIASTOLIC_BP,
)
