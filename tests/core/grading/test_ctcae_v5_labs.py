"""CTCAE v5.0 laboratory grades, both sides of every boundary.

Every expected grade is read from the CTCAE v5.0 text (NCI, 27 November 2017), quoted
above each table of cases; none comes from running the code. Where CTCAE writes
"<1.5 - 1.0" the interval is [1.0, 1.5); ">3.0 - 5.0 x ULN" is (3, 5] × ULN;
"1.5 - 3.0 x baseline" (no sign) is [1.5, 3] × baseline.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import (
    Basis,
    GradeResult,
    Term,
    grade_alp_increased,
    grade_alt_increased,
    grade_anemia,
    grade_ast_increased,
    grade_blood_bilirubin_increased,
    grade_clinical,
    grade_creatinine_increased,
    grade_ggt_increased,
    grade_hypoalbuminemia,
    grade_inr_increased,
    grade_measurement,
    grade_neutrophil_count_decreased,
    grade_platelet_count_decreased,
    grade_white_blood_cell_decreased,
    grade_with_baseline_rule,
)
from oncotrial.core.reference_ranges import reference_range
from oncotrial.core.units import Measurand, measure

GradeFn = Callable[..., GradeResult]

# --- Decreased terms (LLN chosen per case; CTCAE thresholds are fixed values) ---


# Neutrophil count decreased: G1 <LLN - 1.5; G2 <1.5 - 1.0; G3 <1.0 - 0.5; G4 <0.5 x10e9/L
@pytest.mark.parametrize(("count", "grade"), [
    (2.0, 0), (1.99, 1), (1.5, 1), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3), (0.49, 4),
    (0.0, 4),
])
def test_neutrophil_grades_follow_ctcae_bands(count: float, grade: int) -> None:
    assert grade_neutrophil_count_decreased(count, lln=2.0).grade == grade


# Platelet count decreased: G1 <LLN - 75.0; G2 <75.0 - 50.0; G3 <50.0 - 25.0; G4 <25.0
@pytest.mark.parametrize(("count", "grade"), [
    (150.0, 0), (149.9, 1), (75.0, 1), (74.9, 2), (50.0, 2), (49.9, 3), (25.0, 3), (24.9, 4),
])
def test_platelet_grades_follow_ctcae_bands(count: float, grade: int) -> None:
    assert grade_platelet_count_decreased(count, lln=150.0).grade == grade


# White blood cell decreased: G1 <LLN - 3.0; G2 <3.0 - 2.0; G3 <2.0 - 1.0; G4 <1.0
@pytest.mark.parametrize(("count", "grade"), [
    (4.0, 0), (3.99, 1), (3.0, 1), (2.99, 2), (2.0, 2), (1.99, 3), (1.0, 3), (0.99, 4),
])
def test_white_cell_grades_follow_ctcae_bands(count: float, grade: int) -> None:
    assert grade_white_blood_cell_decreased(count, lln=4.0).grade == grade


# Anemia: G1 Hgb <LLN - 100 g/L; G2 <100 - 80 g/L; G3 <80 g/L; G4/G5 clinical only
@pytest.mark.parametrize(("hgb", "grade"), [
    (120.0, 0), (119.9, 1), (100.0, 1), (99.9, 2), (80.0, 2), (79.9, 3), (20.0, 3),
])
def test_anemia_grades_follow_ctcae_bands_and_stop_at_three(hgb: float, grade: int) -> None:
    assert grade_anemia(hgb, lln=120.0).grade == grade


# Hypoalbuminemia: G1 <LLN - 30 g/L; G2 <30 - 20 g/L; G3 <20 g/L; G4 clinical
@pytest.mark.parametrize(("albumin", "grade"), [
    (35.0, 0), (34.9, 1), (30.0, 1), (29.9, 2), (20.0, 2), (19.9, 3), (5.0, 3),
])
def test_hypoalbuminemia_grades_follow_ctcae_bands(albumin: float, grade: int) -> None:
    assert grade_hypoalbuminemia(albumin, lln=35.0).grade == grade


def test_grade_one_is_not_guessed_without_lln() -> None:
    # CTCAE G1 is "<LLN - 1.5": whether 1.6 is below the LLN needs the LLN.
    result = grade_neutrophil_count_decreased(1.6, lln=None)
    assert result.grade is None
    assert "LLN" in result.reason


@pytest.mark.parametrize(("hgb", "grade"), [(99.0, 2), (79.0, 3)])
def test_values_below_the_fixed_threshold_are_graded_without_lln(hgb: float, grade: int) -> None:
    # Anemia G2 "<100 - 80 g/L" and G3 "<80 g/L" do not mention the LLN (admiral tests 13-14).
    assert grade_anemia(hgb, lln=None).grade == grade


def test_anemia_at_100_without_lln_is_not_graded() -> None:
    # 100 g/L is G1 if below the LLN, G0 otherwise (admiral test 12 gives NA).
    assert grade_anemia(100.0, lln=None).grade is None


def test_fixed_thresholds_win_when_the_lln_is_low() -> None:
    # G2 "<1.5 - 1.0" applies whatever the site LLN; with LLN 1.4 there is no grade 1.
    assert grade_neutrophil_count_decreased(1.45, lln=1.4).grade == 2
    assert grade_neutrophil_count_decreased(1.5, lln=1.4).grade == 0


def test_result_names_term_rule_basis_and_source() -> None:
    result = grade_neutrophil_count_decreased(0.8, lln=2.0)
    assert result.term == "Neutrophil count decreased"
    assert result.rule == "<1.0 - 0.5 x 10e9 /L"
    assert result.basis is Basis.ABSOLUTE
    assert result.source == "CTCAE v5.0"
    assert result.system_organ_class == "Investigations"
    assert grade_neutrophil_count_decreased(1.7, lln=2.0).basis is Basis.LLN


# --- Liver tests: ULN if baseline normal, baseline if abnormal ---

# ALT/AST increased, baseline normal: G1 >ULN - 3.0 x ULN; G2 >3.0 - 5.0; G3 >5.0 - 20.0;
# G4 >20.0 x ULN. ULN 40 U/L, baseline 30 U/L (normal).
_ULN_CASES = [(40.0, 0), (40.01, 1), (120.0, 1), (120.01, 2), (200.0, 2), (200.01, 3),
              (800.0, 3), (800.01, 4)]


@pytest.mark.parametrize(("value", "grade"), _ULN_CASES)
@pytest.mark.parametrize("grade_fn", [grade_alt_increased, grade_ast_increased])
def test_transaminases_against_uln_when_baseline_normal(
        grade_fn: GradeFn, value: float, grade: int) -> None:
    result = grade_fn(value, uln=40.0, baseline=30.0)
    assert (result.grade, result.basis) == (grade, Basis.ULN)


# Baseline abnormal: G1 1.5 - 3.0 x baseline; G2 >3.0 - 5.0; G3 >5.0 - 20.0; G4 >20.0 x
# baseline. ULN 40, baseline 60 (above ULN).
_BASELINE_CASES = [(50.0, 0), (89.99, 0), (90.0, 1), (180.0, 1), (180.01, 2), (300.0, 2),
                   (300.01, 3), (1200.0, 3), (1200.01, 4)]


@pytest.mark.parametrize(("value", "grade"), _BASELINE_CASES)
@pytest.mark.parametrize("grade_fn", [grade_alt_increased, grade_ast_increased])
def test_transaminases_against_baseline_when_baseline_abnormal(
        grade_fn: GradeFn, value: float, grade: int) -> None:
    result = grade_fn(value, uln=40.0, baseline=60.0)
    assert (result.grade, result.basis) == (grade, Basis.BASELINE)


# Blood bilirubin increased: baseline normal G1 >ULN - 1.5 x ULN; G2 >1.5 - 3.0; G3 >3.0 -
# 10.0; G4 >10.0 x ULN. Baseline abnormal: G1 >1.0 - 1.5 x baseline; then as above x baseline.
@pytest.mark.parametrize(("value", "baseline", "grade"), [
    (21.0, 10.0, 0), (21.01, 10.0, 1), (31.5, 10.0, 1), (31.51, 10.0, 2), (63.0, 10.0, 2),
    (63.01, 10.0, 3), (210.0, 10.0, 3), (210.01, 10.0, 4),
    (30.0, 30.0, 0), (30.01, 30.0, 1), (45.0, 30.0, 1), (45.01, 30.0, 2), (90.0, 30.0, 2),
    (90.01, 30.0, 3), (300.0, 30.0, 3), (300.01, 30.0, 4),
])
def test_bilirubin_grades(value: float, baseline: float, grade: int) -> None:
    assert grade_blood_bilirubin_increased(value, uln=21.0, baseline=baseline).grade == grade


# ALP and GGT increased: baseline normal G1 >ULN - 2.5 x ULN; G2 >2.5 - 5.0; G3 >5.0 - 20.0;
# G4 >20.0 x ULN. Baseline abnormal: G1 2.0 - 2.5 x baseline; G2 >2.5 - 5.0; G3 >5.0 - 20.0;
# G4 >20.0 x baseline. ULN 120 U/L; baseline 100 (normal) or 200 (abnormal).
@pytest.mark.parametrize(("value", "baseline", "grade"), [
    (120.0, 100.0, 0), (120.1, 100.0, 1), (300.0, 100.0, 1), (300.1, 100.0, 2),
    (600.0, 100.0, 2), (600.1, 100.0, 3), (2400.0, 100.0, 3), (2400.1, 100.0, 4),
    (399.9, 200.0, 0), (400.0, 200.0, 1), (500.0, 200.0, 1), (500.1, 200.0, 2),
    (1000.0, 200.0, 2), (1000.1, 200.0, 3), (4000.0, 200.0, 3), (4000.1, 200.0, 4),
])
@pytest.mark.parametrize("grade_fn", [grade_alp_increased, grade_ggt_increased])
def test_alp_and_ggt_grades(grade_fn: GradeFn, value: float, baseline: float, grade: int) -> None:
    assert grade_fn(value, uln=120.0, baseline=baseline).grade == grade


def test_baseline_equal_to_uln_counts_as_normal() -> None:
    # "Baseline abnormal" means above the ULN; 100 ≤ ULN 100, so G2 ">3.0 - 5.0 x ULN".
    assert grade_alt_increased(301.0, uln=100.0, baseline=100.0).basis is Basis.ULN


def test_liver_value_at_or_below_uln_is_grade_zero_without_baseline() -> None:
    assert grade_alt_increased(40.0, uln=40.0, baseline=None).grade == 0


def test_liver_value_above_uln_needs_the_baseline() -> None:
    result = grade_alt_increased(41.0, uln=40.0, baseline=None)
    assert result.grade is None
    assert "baseline" in result.reason


def test_liver_value_needs_the_uln() -> None:
    assert grade_ast_increased(20.0, uln=None, baseline=20.0).grade is None


def test_boundary_survives_unit_conversion() -> None:
    # Bilirubin 5.7 mg/dL with ULN 1.9 mg/dL is exactly 3.0 x ULN: G2 ">1.5 - 3.0 x ULN".
    # In µmol/L, 5.7 x 17.104 is a hair above 3 x (1.9 x 17.104) in binary floating point.
    value = measure(Measurand.BILIRUBIN, 5.7, "mg/dL")
    limits = reference_range(Measurand.BILIRUBIN, None, 1.9, "mg/dL", field="bili")
    normal_baseline = measure(Measurand.BILIRUBIN, 0.8, "mg/dL")
    assert grade_measurement(value, limits, baseline=normal_baseline).grade == 2


def test_baseline_rule_refuses_other_terms() -> None:
    with pytest.raises(DomainError):
        grade_with_baseline_rule(Term.ANEMIA, 1.0, uln=1.0, baseline=1.0)


# --- Creatinine: G1 >ULN - 1.5 x ULN; G2 >1.5 - 3.0 x baseline; >1.5 - 3.0 x ULN;
# G3 >3.0 baseline; >3.0 - 6.0 x ULN; G4 >6.0 x ULN. The higher grade is kept. ---

@pytest.mark.parametrize(("value", "grade"), [
    (100.0, 0), (100.1, 1), (150.0, 1), (150.1, 2), (300.0, 2), (300.1, 3), (600.0, 3),
    (600.1, 4),
])
def test_creatinine_uln_bands(value: float, grade: int) -> None:
    # Baseline = ULN = 100, so the baseline bands never exceed the ULN bands here.
    assert grade_creatinine_increased(value, uln=100.0, baseline=100.0).grade == grade


@pytest.mark.parametrize(("value", "grade", "basis"), [
    (90.0, 0, Basis.ULN),  # 1.5 x baseline exactly: not ">1.5"
    (90.1, 2, Basis.BASELINE),  # >1.5 x baseline although ≤ULN
    (180.0, 2, Basis.ULN),  # 3.0 x baseline; 1.8 x ULN is G2 too (tie kept on ULN)
    (180.1, 3, Basis.BASELINE),  # >3.0 x baseline
    (600.1, 4, Basis.ULN),  # >6.0 x ULN
])
def test_creatinine_takes_the_higher_of_uln_and_baseline_grades(
        value: float, grade: int, basis: Basis) -> None:
    result = grade_creatinine_increased(value, uln=100.0, baseline=60.0)
    assert (result.grade, result.basis) == (grade, basis)


def test_creatinine_without_baseline_is_graded_only_when_uln_decides() -> None:
    # Baseline criteria stop at G3, so a G3 by ULN stands; a G1 by ULN could be G2 by baseline.
    assert grade_creatinine_increased(350.0, uln=100.0, baseline=None).grade == 3
    assert grade_creatinine_increased(120.0, uln=100.0, baseline=None).grade is None


def test_creatinine_without_uln_is_not_graded() -> None:
    result = grade_creatinine_increased(400.0, uln=None, baseline=100.0)
    assert result.grade is None
    assert "baseline grade is 3" in result.reason


# --- INR increased: G1 >1.2 - 1.5; G2 >1.5 - 2.5; G3 >2.5 (no ULN multiplier in v5.0);
# if on anticoagulation: >1 - 1.5; >1.5 - 2.5; >2.5 x baseline. ---

@pytest.mark.parametrize(("value", "grade"), [
    (1.2, 0), (1.21, 1), (1.5, 1), (1.51, 2), (2.5, 2), (2.51, 3),
])
def test_inr_not_on_anticoagulation(value: float, grade: int) -> None:
    assert grade_inr_increased(value, on_anticoagulation=False).grade == grade


@pytest.mark.parametrize(("value", "grade"), [
    (2.0, 0), (2.01, 1), (3.0, 1), (3.01, 2), (5.0, 2), (5.01, 3),
])
def test_inr_on_anticoagulation_uses_baseline(value: float, grade: int) -> None:
    result = grade_inr_increased(value, on_anticoagulation=True, baseline=2.0)
    assert (result.grade, result.basis) == (grade, Basis.BASELINE)


def test_inr_on_anticoagulation_needs_baseline() -> None:
    assert grade_inr_increased(3.0, on_anticoagulation=True).grade is None


# --- Input validation ---

@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), True, "1.2", None])
def test_bad_values_are_refused(bad: object) -> None:
    with pytest.raises(DomainError):
        grade_neutrophil_count_decreased(bad, lln=2.0)


@pytest.mark.parametrize("bad", [0.0, -3.0, "40"])
def test_bad_limits_are_refused(bad: object) -> None:
    with pytest.raises(DomainError):
        grade_alt_increased(50.0, uln=bad, baseline=30.0)


def test_inr_requires_an_explicit_anticoagulation_flag() -> None:
    with pytest.raises(DomainError):
        grade_inr_increased(1.3, on_anticoagulation=None)


# --- Measurement dispatch ---

def test_grade_measurement_converts_units_first() -> None:
    anc = measure(Measurand.NEUTROPHILS, 1200, "cells/µL")  # 1.2 x10e9/L: G2 "<1.5 - 1.0"
    limits = reference_range(Measurand.NEUTROPHILS, 2.0, 7.5, "10^9/L", field="anc")
    result = grade_measurement(anc, limits)
    assert (result.term, result.grade) == (Term.NEUTROPHIL_COUNT_DECREASED, 2)


def test_grade_measurement_needs_anticoagulation_status_for_inr() -> None:
    with pytest.raises(DomainError):
        grade_measurement(measure(Measurand.INR, 1.4, "INR"), None)
    assert grade_measurement(measure(Measurand.INR, 1.4, "INR"), None,
                             on_anticoagulation=False).grade == 1


def test_grade_measurement_refuses_mismatched_range_and_ungraded_measurands() -> None:
    alt = measure(Measurand.ALT, 50, "U/L")
    with pytest.raises(DomainError):
        grade_measurement(alt, reference_range(Measurand.AST, 0, 40, "U/L", field="ast"))
    with pytest.raises(DomainError):
        grade_measurement(measure(Measurand.CEA, 3, "ng/mL"), None)


def test_grade_measurement_covers_creatinine_and_liver_terms() -> None:
    creat = measure(Measurand.CREATININE, 2.0, "mg/dL")
    limits = reference_range(Measurand.CREATININE, None, 1.0, "mg/dL", field="creat")
    assert grade_measurement(creat, limits, baseline=creat).grade == 2  # >1.5 - 3.0 x ULN
    ggt = measure(Measurand.GGT, 130, "U/L")
    ggt_range = reference_range(Measurand.GGT, None, 60, "U/L", field="ggt")
    assert grade_measurement(ggt, ggt_range, baseline=None).grade is None


# --- Investigator-assessed grades ---

def test_clinical_grade_is_recorded_with_investigator_basis() -> None:
    result = grade_clinical("Peripheral sensory neuropathy", 3)
    assert (result.grade, result.basis) == (3, Basis.INVESTIGATOR)
    assert result.system_organ_class is None


def test_grade_five_only_for_clinical_terms() -> None:
    # Anemia has "Death" as G5 in CTCAE v5.0; Neutrophil count decreased has "-".
    assert grade_clinical("Anemia", 5).grade == 5
    with pytest.raises(DomainError):
        grade_clinical("Neutrophil count decreased", 5)
    with pytest.raises(DomainError):
        grade_clinical("INR increased", 4)  # INR increased has no G4 ("-")


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.0, "3"])
def test_clinical_grade_must_be_one_to_five(bad: object) -> None:
    with pytest.raises(DomainError):
        grade_clinical("Fatigue", bad)


def test_clinical_term_must_be_named() -> None:
    with pytest.raises(DomainError):
        grade_clinical("  ", 2)


# --- Properties that follow from the CTCAE text ---

_counts = st.floats(min_value=0.0, max_value=1000.0, allow_nan=False)
_limits = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False)
_DECREASED = [grade_neutrophil_count_decreased, grade_platelet_count_decreased,
              grade_white_blood_cell_decreased, grade_anemia, grade_hypoalbuminemia]
_LIVER = [grade_alt_increased, grade_ast_increased, grade_blood_bilirubin_increased,
          grade_alp_increased, grade_ggt_increased]


@given(st.sampled_from(_DECREASED), _counts, _counts, _limits)
def test_decreased_terms_grade_never_falls_as_the_value_falls(
        fn: GradeFn, a: float, b: float, lln: float) -> None:
    low, high = sorted((a, b))
    assert fn(low, lln=lln).grade >= fn(high, lln=lln).grade


@given(st.sampled_from(_DECREASED), _counts, _limits)
def test_a_grade_given_without_lln_holds_for_every_lln(
        fn: GradeFn, value: float, lln: float) -> None:
    without = fn(value, lln=None).grade
    if without is not None:
        assert fn(value, lln=lln).grade == without


@given(st.sampled_from(_LIVER), _counts, _counts, _limits, _limits)
def test_liver_grades_never_fall_as_the_value_rises(
        fn: GradeFn, a: float, b: float, uln: float, baseline: float) -> None:
    low, high = sorted((a, b))
    assert fn(low, uln=uln, baseline=baseline).grade <= fn(high, uln=uln, baseline=baseline).grade


@given(st.sampled_from(_LIVER), _counts, _limits, st.floats(min_value=1.0001, max_value=50.0))
def test_abnormal_baseline_never_grades_higher_than_uln(
        fn: GradeFn, value: float, uln: float, ratio: float) -> None:
    # Baseline > ULN moves every threshold up (k x baseline > k x ULN, and the G1 starts
    # 1.5 x, >1.0 x and 2.0 x baseline all exceed ULN), so the grade can only be lower.
    abnormal = fn(value, uln=uln, baseline=uln * ratio).grade
    normal = fn(value, uln=uln, baseline=uln / 2).grade
    assert abnormal <= normal


@given(_counts, _counts, _limits, _limits)
def test_creatinine_grade_never_falls_as_the_value_rises(
        a: float, b: float, uln: float, baseline: float) -> None:
    low, high = sorted((a, b))
    assert (grade_creatinine_increased(low, uln=uln, baseline=baseline).grade
            <= grade_creatinine_increased(high, uln=uln, baseline=baseline).grade)


@given(_counts, _limits, _limits, _limits)
def test_creatinine_lower_baseline_never_lowers_the_grade(
        value: float, uln: float, b1: float, b2: float) -> None:
    low, high = sorted((b1, b2))
    assert (grade_creatinine_increased(value, uln=uln, baseline=low).grade
            >= grade_creatinine_increased(value, uln=uln, baseline=high).grade)


@given(st.floats(min_value=0.0, max_value=20.0), st.floats(min_value=0.0, max_value=20.0))
def test_inr_grade_never_falls_as_the_value_rises(a: float, b: float) -> None:
    low, high = sorted((a, b))
    lower = grade_inr_increased(low, on_anticoagulation=False).grade
    higher = grade_inr_increased(high, on_anticoagulation=False).grade
    assert lower is not None and higher is not None and lower <= higher
