"""CTCAE v5.0 grading engine for laboratory terms.

Source: NCI *Common Terminology Criteria for Adverse Events (CTCAE) Version 5.0*,
27 November 2017; thresholds and their sources are in :mod:`.ctcae_v5_tables`.

Every function grades one value and returns a :class:`GradeResult` naming the term,
the grade, the CTCAE criterion that fired and the basis (LLN, ULN, baseline or an
absolute threshold). A grade that depends on a missing reference (LLN, ULN, baseline)
is never guessed: the result has ``grade=None`` and says what is missing. Values must
already be in canonical units (build them with :func:`oncotrial.core.units.measure`).

Rules beyond the bands:

* Decreased terms (neutrophils, platelets, WBC, anaemia, hypoalbuminaemia): grade 1
  needs the LLN; values below CTCAE's fixed grade-1 threshold are graded without it.
  Laboratory values give at most grade 3 for anaemia and hypoalbuminaemia; grades 4
  and 5 are clinical (:func:`.ctcae_v5_clinical.grade_clinical`).
* ALT, AST, bilirubin, ALP, GGT: CTCAE grades against multiples of ULN "if baseline was
  normal" and of the baseline value "if baseline was abnormal". Baseline is abnormal
  when it is above the ULN (admiral: ``BNRIND`` is HIGH). [ASSUMP] the ULN given for
  the value is used for the baseline too. Without a baseline only a value ≤ ULN can be
  graded (grade 0 under both rules).
* Creatinine: the higher of the ULN grade and the baseline grade (CTCAE lists both;
  admiral takes the higher). If one of ULN and baseline is missing the grade is given
  only when the other one already decides it.
* INR: absolute thresholds (CTCAE v5.0 has no ULN multiplier); multiples of baseline
  if the patient is on anticoagulation, which the caller must state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import ctcae_v5_tables as tables
from oncotrial.core.grading.bands import Band, BandTable, Reference, rounded
from oncotrial.core.grading.ctcae_v5_tables import SYSTEM_ORGAN_CLASS, Term
from oncotrial.core.reference_ranges import ReferenceRange
from oncotrial.core.units import Measurand, Measurement

SOURCE: Final = "CTCAE v5.0"


class Basis(StrEnum):
    """What a grade was measured against."""

    ABSOLUTE = "absolute"
    LLN = "LLN"
    ULN = "ULN"
    BASELINE = "baseline"
    DIPSTICK = "dipstick"
    INTERVENTION = "intervention"
    INVESTIGATOR = "investigator"


@dataclass(frozen=True, slots=True)
class GradeResult:
    """The grade of one observation for one CTCAE term.

    ``grade`` is 0–5, or ``None`` when it cannot be determined from the data given;
    ``reason`` then says what is missing. ``rule`` is the CTCAE criterion that fired and
    ``band`` the numeric interval it was resolved to (``None`` for categorical rules).
    """

    term: str
    grade: int | None
    basis: Basis | None
    rule: str
    reason: str = ""
    band: Band | None = None
    source: str = SOURCE

    @property
    def gradable(self) -> bool:
        return self.grade is not None

    @property
    def system_organ_class(self) -> str | None:
        """MedDRA SOC name for the terms this package knows, else ``None``."""
        try:
            return SYSTEM_ORGAN_CLASS[Term(self.term)]
        except ValueError:
            return None


def check_number(field: str, value: object, *, positive: bool = False) -> float:
    """A finite, non-negative (or ``positive``) number, else :class:`DomainError`."""
    ok = (not isinstance(value, bool) and isinstance(value, int | float)
          and math.isfinite(value) and (value > 0 if positive else value >= 0))
    if not ok:
        kind = "a finite number > 0" if positive else "a finite number ≥ 0"
        raise DomainError(field, value, f"{kind} in the canonical unit")
    assert isinstance(value, int | float)
    return float(value)


def _reference(field: str, value: object) -> float | None:
    return None if value is None else check_number(field, value, positive=True)


def _ungraded(term: str, reason: str) -> GradeResult:
    return GradeResult(term, None, None, "", reason)


def _graded(term: str, band: Band, reason: str = "") -> GradeResult:
    return GradeResult(term, band.grade, Basis(band.basis.value), band.criterion, reason, band)


def _from_table(term: str, table: BandTable, value: float,
                references: Mapping[Reference, float]) -> GradeResult:
    band = table.find(value, references)
    if band is not None:
        return _graded(term, band)
    missing = sorted(str(r) for r in table.references - references.keys())
    return _ungraded(term, f"value {value:g} cannot be graded without the "
                           f"{' and '.join(missing)}; it is never assumed")


def _band_of(table: BandTable, value: float, references: Mapping[Reference, float]) -> Band:
    """The band of a fully resolved table (always exists: the bands cover [0, ∞))."""
    band = table.find(value, references)
    assert band is not None, (table.name, value, references)
    return band


def _grade_decreased(term: Term, table: BandTable, value: object, lln: object) -> GradeResult:
    v = check_number(f"{term}.value", value)
    low = _reference(f"{term}.lln", lln)
    return _from_table(term, table, v, {} if low is None else {Reference.LLN: low})


def grade_anemia(hemoglobin: float, *, lln: float | None) -> GradeResult:
    """Anemia from haemoglobin in g/L: <LLN–100, <100–80, <80 (G3); G4/G5 are clinical."""
    return _grade_decreased(Term.ANEMIA, tables.ANEMIA, hemoglobin, lln)


def grade_neutrophil_count_decreased(count: float, *, lln: float | None) -> GradeResult:
    """Neutrophil count decreased, 10⁹/L: <LLN–1.5, <1.5–1.0, <1.0–0.5, <0.5."""
    return _grade_decreased(Term.NEUTROPHIL_COUNT_DECREASED,
                            tables.NEUTROPHIL_COUNT_DECREASED, count, lln)


def grade_platelet_count_decreased(count: float, *, lln: float | None) -> GradeResult:
    """Platelet count decreased, 10⁹/L: <LLN–75, <75–50, <50–25, <25."""
    return _grade_decreased(Term.PLATELET_COUNT_DECREASED,
                            tables.PLATELET_COUNT_DECREASED, count, lln)


def grade_white_blood_cell_decreased(count: float, *, lln: float | None) -> GradeResult:
    """White blood cell decreased, 10⁹/L: <LLN–3.0, <3.0–2.0, <2.0–1.0, <1.0."""
    return _grade_decreased(Term.WHITE_BLOOD_CELL_DECREASED,
                            tables.WHITE_BLOOD_CELL_DECREASED, count, lln)


def grade_hypoalbuminemia(albumin: float, *, lln: float | None) -> GradeResult:
    """Hypoalbuminemia from albumin in g/L: <LLN–30, <30–20, <20 (G3); G4/G5 are clinical."""
    return _grade_decreased(Term.HYPOALBUMINEMIA, tables.HYPOALBUMINEMIA, albumin, lln)


_BASELINE_RULE: Final[Mapping[Term, tuple[BandTable, BandTable]]] = {
    Term.ALT_INCREASED: (tables.ALT_VS_ULN, tables.ALT_VS_BASELINE),
    Term.AST_INCREASED: (tables.AST_VS_ULN, tables.AST_VS_BASELINE),
    Term.BLOOD_BILIRUBIN_INCREASED: (tables.BILIRUBIN_VS_ULN, tables.BILIRUBIN_VS_BASELINE),
    Term.ALP_INCREASED: (tables.ALP_VS_ULN, tables.ALP_VS_BASELINE),
    Term.GGT_INCREASED: (tables.GGT_VS_ULN, tables.GGT_VS_BASELINE),
}


def grade_with_baseline_rule(term: Term, value: float, *, uln: float | None,
                             baseline: float | None) -> GradeResult:
    """Grade ALT, AST, bilirubin, ALP or GGT with CTCAE's baseline-abnormal rule.

    Baseline above ULN: bands are multiples of the baseline (ALT/AST grade 1 from
    1.5 × baseline, bilirubin from >1.0 ×, ALP/GGT from 2.0 ×); otherwise multiples of
    ULN. A baseline-abnormal patient is never graded higher than the same value against
    ULN, since every baseline threshold lies above its ULN counterpart.
    """
    if term not in _BASELINE_RULE:
        raise DomainError("term", term, "one of " + ", ".join(_BASELINE_RULE))
    vs_uln, vs_baseline = _BASELINE_RULE[term]
    v = check_number(f"{term}.value", value)
    high = _reference(f"{term}.uln", uln)
    base = _reference(f"{term}.baseline", baseline)
    if high is None:
        return _ungraded(term, "the ULN is needed to grade this term; it is never assumed")
    if base is None:
        if rounded(v) <= rounded(high):
            return _graded(term, _band_of(vs_uln, v, {Reference.ULN: high}),
                           "≤ULN is grade 0 whether baseline was normal or abnormal")
        return _ungraded(term, "the baseline value is needed to choose between the "
                               "'baseline normal' (× ULN) and 'baseline abnormal' "
                               "(× baseline) criteria")
    if rounded(base) > rounded(high):
        return _graded(term, _band_of(vs_baseline, v, {Reference.BASELINE: base}),
                       f"baseline {base:g} > ULN {high:g}: graded against baseline")
    return _graded(term, _band_of(vs_uln, v, {Reference.ULN: high}),
                   f"baseline {base:g} ≤ ULN {high:g}: graded against ULN")


def grade_alt_increased(value: float, *, uln: float | None, baseline: float | None) -> GradeResult:
    """Alanine aminotransferase increased (U/L), with the baseline-abnormal rule."""
    return grade_with_baseline_rule(Term.ALT_INCREASED, value, uln=uln, baseline=baseline)


def grade_ast_increased(value: float, *, uln: float | None, baseline: float | None) -> GradeResult:
    """Aspartate aminotransferase increased (U/L), with the baseline-abnormal rule."""
    return grade_with_baseline_rule(Term.AST_INCREASED, value, uln=uln, baseline=baseline)


def grade_blood_bilirubin_increased(value: float, *, uln: float | None,
                                    baseline: float | None) -> GradeResult:
    """Blood bilirubin increased (µmol/L), with the baseline-abnormal rule."""
    return grade_with_baseline_rule(Term.BLOOD_BILIRUBIN_INCREASED, value, uln=uln,
                                    baseline=baseline)


def grade_alp_increased(value: float, *, uln: float | None, baseline: float | None) -> GradeResult:
    """Alkaline phosphatase increased (U/L), with the baseline-abnormal rule."""
    return grade_with_baseline_rule(Term.ALP_INCREASED, value, uln=uln, baseline=baseline)


def grade_ggt_increased(value: float, *, uln: float | None, baseline: float | None) -> GradeResult:
    """GGT increased (U/L), with the baseline-abnormal rule."""
    return grade_with_baseline_rule(Term.GGT_INCREASED, value, uln=uln, baseline=baseline)


def grade_creatinine_increased(value: float, *, uln: float | None, baseline: float | None) -> GradeResult:
    """Creatinine increased (µmol/L): the higher of the ULN grade and the baseline grade.

    ULN: >ULN–1.5, >1.5–3.0, >3.0–6.0, >6.0 × ULN. Baseline: >1.5–3.0 × baseline is
    grade 2, >3.0 × baseline grade 3. With the ULN missing the ULN grade could reach 4,
    so no grade is given; with the baseline missing a ULN grade of 3 or 4 still stands.
    """
    term = Term.CREATININE_INCREASED
    v = check_number(f"{term}.value", value)
    high = _reference(f"{term}.uln", uln)
    base = _reference(f"{term}.baseline", baseline)
    by_uln = None if high is None else _band_of(
        tables.CREATININE_VS_ULN, v, {Reference.ULN: high})
    by_base = None if base is None else _band_of(
        tables.CREATININE_VS_BASELINE, v, {Reference.BASELINE: base})
    if by_uln is not None and by_base is not None:
        worse = by_base if by_base.grade > by_uln.grade else by_uln
        return _graded(term, worse, f"ULN grade {by_uln.grade}, baseline grade "
                                    f"{by_base.grade}: the higher is kept")
    if by_uln is not None and by_uln.grade >= 3:
        return _graded(term, by_uln, "baseline missing, but the baseline criteria "
                                     "cannot exceed grade 3")
    known = ("" if by_uln is None else f"; ULN grade is {by_uln.grade}") + (
        "" if by_base is None else f"; baseline grade is {by_base.grade}")
    missing = " and ".join(n for n, r in (("ULN", high), ("baseline", base)) if r is None)
    return _ungraded(term, f"the {missing} is needed to grade this value{known}")


def grade_inr_increased(value: float, *, on_anticoagulation: bool,
                        baseline: float | None = None) -> GradeResult:
    """INR increased: >1.2–1.5, >1.5–2.5, >2.5; if on anticoagulation, × baseline."""
    term = Term.INR_INCREASED
    v = check_number(f"{term}.value", value)
    if not isinstance(on_anticoagulation, bool):
        raise DomainError(f"{term}.on_anticoagulation", on_anticoagulation, "True or False")
    if not on_anticoagulation:
        return _from_table(term, tables.INR_NOT_ANTICOAGULATED, v, {})
    base = _reference(f"{term}.baseline", baseline)
    refs = {} if base is None else {Reference.BASELINE: base}
    return _from_table(term, tables.INR_ANTICOAGULATED, v, refs)


_DECREASED: Final = {
    Measurand.HEMOGLOBIN: grade_anemia,
    Measurand.NEUTROPHILS: grade_neutrophil_count_decreased,
    Measurand.PLATELETS: grade_platelet_count_decreased,
    Measurand.WBC: grade_white_blood_cell_decreased,
    Measurand.ALBUMIN: grade_hypoalbuminemia,
}
_WITH_BASELINE: Final = {
    Measurand.ALT: Term.ALT_INCREASED,
    Measurand.AST: Term.AST_INCREASED,
    Measurand.BILIRUBIN: Term.BLOOD_BILIRUBIN_INCREASED,
    Measurand.ALP: Term.ALP_INCREASED,
    Measurand.GGT: Term.GGT_INCREASED,
}


def grade_measurement(measurement: Measurement, reference: ReferenceRange | None, *,
                      baseline: Measurement | None = None,
                      on_anticoagulation: bool | None = None) -> GradeResult:
    """Grade a validated :class:`Measurement` with the site's reference range.

    Dispatches on the measurand: HGB, NEUT, PLAT, WBC, ALB (decreased terms); ALT, AST,
    BILI, ALP, GGT (baseline-abnormal rule); CREAT; INR (``on_anticoagulation`` must be
    given). Other measurands have no CTCAE laboratory term here.
    """
    m = measurement.measurand
    if reference is not None and reference.measurand is not m:
        raise DomainError("reference.measurand", reference.measurand, f"{m} (as the value)")
    if baseline is not None and baseline.measurand is not m:
        raise DomainError("baseline.measurand", baseline.measurand, f"{m} (as the value)")
    lln = None if reference is None else reference.lln
    uln = None if reference is None else reference.uln
    base = None if baseline is None else baseline.value
    if m in _DECREASED:
        return _DECREASED[m](measurement.value, lln=lln)
    if m in _WITH_BASELINE:
        return grade_with_baseline_rule(_WITH_BASELINE[m], measurement.value, uln=uln,
                                        baseline=base)
    if m is Measurand.CREATININE:
        return grade_creatinine_increased(measurement.value, uln=uln, baseline=base)
    if m is Measurand.INR:
        if on_anticoagulation is None:
            raise DomainError("on_anticoagulation", None, "True or False for INR",
                              "CTCAE grades INR against baseline when on anticoagulation.")
        return grade_inr_increased(measurement.value, on_anticoagulation=on_anticoagulation,
                                   baseline=base)
    graded = sorted({*_DECREASED, *_WITH_BASELINE, Measurand.CREATININE, Measurand.INR})
    raise DomainError("measurement.measurand", str(m),
                      "a measurand with a CTCAE v5.0 lab term: " + ", ".join(graded))
