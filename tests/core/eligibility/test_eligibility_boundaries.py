"""Every numeric threshold of the NCT07304388 record, tested on both sides.

Expected verdicts come from the record's text (shared/reference/NCT07304388.txt),
e.g. "white blood cell count ≥2,000 cells/mm3": 2,000 is met, 1,999 is not.
ULN-relative criteria use the site ranges of the example patient
(bilirubin ULN 20.5 µmol/L, AST ULN 40 U/L, ALT ULN 50 U/L, creatinine ULN 111 µmol/L).
"""

from __future__ import annotations

import pytest

from support.candidates import set_lab, verdict

LAB_BOUNDARIES = [
    # code, test, unit, value that meets, value that does not
    ("INC06", "WBC", "cells/mm³", 2000, 1999),          # ≥2,000 cells/mm³
    ("INC06", "WBC", "10^9/L", 2.0, 1.99),               # same in SI units
    ("INC07", "HGB", "g/dL", 9.01, 9.0),                 # >9.0 g/dL (9.0 itself fails)
    ("INC07", "HGB", "g/L", 90.1, 90),                   # >90 g/L
    ("INC08", "PLAT", "/mm³", 75000, 74999),             # ≥75,000/mm³
    ("INC08", "PLAT", "10^9/L", 75, 74.9),
    ("INC09", "ALB", "g/L", 30, 29.9),                   # ≥30 g/L
    ("INC09", "ALB", "g/dL", 3.0, 2.99),
    ("INC10", "BILI", "µmol/L", 61.4, 61.5),             # <3 × 20.5 = 61.5
    ("INC11", "AST", "U/L", 199.9, 200),                 # <5 × 40 = 200
    ("INC12", "ALT", "U/L", 249.9, 250),                 # <5 × 50 = 250
    ("INC13", "CREAT", "µmol/L", 166.5, 166.6),          # ≤1.5 × 111 = 166.5
    ("INC14", "PT", "s", 17.9, 18),                      # <18 s
    ("INC15", "INR", "INR", 1.25, 1.26),                 # <1.26
]


@pytest.mark.parametrize(("code", "test", "unit", "good", "bad"), LAB_BOUNDARIES)
def test_each_lab_threshold_is_met_on_one_side_only(patient, run_screen, code, test, unit,
                                                    good, bad):
    set_lab(patient, test, good, unit)
    assert verdict(run_screen(patient), code).met is True
    set_lab(patient, test, bad, unit)
    result = run_screen(patient)
    assert verdict(result, code).met is False
    assert result.status.value == "not_eligible"
    assert [v.code for v in result.failed] == [code]


def test_bilirubin_in_mg_per_dl_is_compared_after_conversion(patient, run_screen):
    # 3.5 mg/dL = 59.9 µmol/L (< 61.5), 3.6 mg/dL = 61.6 µmol/L (≥ 61.5)
    set_lab(patient, "BILI", 3.5, "mg/dL")
    assert verdict(run_screen(patient), "INC10").met is True
    set_lab(patient, "BILI", 3.6, "mg/dL")
    assert verdict(run_screen(patient), "INC10").met is False


@pytest.mark.parametrize(("ecog", "met"), [(0, True), (1, True), (2, False), (3, False)])
def test_ecog_zero_and_one_are_allowed(patient, run_screen, ecog, met):
    patient["ecog"] = ecog
    assert verdict(run_screen(patient), "INC05").met is met


@pytest.mark.parametrize(("birth", "met"), [("2006-03-05", True), ("2006-03-06", False)])
def test_age_is_met_from_the_eighteenth_birthday(patient, run_screen, birth, met):
    assert verdict(run_screen({**patient, "birth_date": birth}), "INC17").met is met


@pytest.mark.parametrize(("bleed", "met"), [("2024-02-06", True), ("2024-02-05", False)])
def test_gi_bleeding_counts_within_28_days_of_screening(patient, run_screen, bleed, met):
    # 2024-03-05 − 28 days = 2024-02-06: a bleed that day is within 4 weeks.
    patient["facts"]["gi_bleeding"] = {"present": True, "date": bleed}
    assert verdict(run_screen(patient), "EXC09").met is met


@pytest.mark.parametrize(("months", "excluded"), [(1.9, True), (2, False)])
def test_life_expectancy_below_two_months_excludes(patient, run_screen, months, excluded):
    patient["numbers"]["life_expectancy_months"] = months
    assert verdict(run_screen(patient), "EXC01").met is excluded


def _only_lesion(**lesion: object) -> list[dict[str, object]]:
    return [{"id": "L", "organ": "liver", "slice_thickness_mm": 5, "date": "2024-02-27", **lesion}]


@pytest.mark.parametrize(("lesion", "met"), [
    ({"lymph_node": False, "longest_diameter_mm": 10}, True),     # RECIST 1.1: ≥10 mm
    ({"lymph_node": False, "longest_diameter_mm": 9.9}, False),
    ({"lymph_node": True, "short_axis_mm": 15}, True),            # node: short axis ≥15 mm
    ({"lymph_node": True, "short_axis_mm": 14.9}, False),
])
def test_measurable_disease_follows_recist_1_1_sizes(patient, run_screen, lesion, met):
    patient["lesions"] = _only_lesion(**lesion)
    assert verdict(run_screen(patient), "INC03").met is met


@pytest.mark.parametrize(("inputs", "met"), [
    # Pugh 1973 points: bilirubin <34 µmol/L = 1, albumin >35 g/L = 1, INR <1.7 = 1
    ({"BILI": 20, "ALB": 37, "INR": 1.1, "ascites": "none"}, True),            # A5
    # 2 (bili 34–51) + 2 (alb 28–35) + 2 (INR 1.7–2.3) + 2 (mild ascites) + 1 = 9: B
    ({"BILI": 40, "ALB": 31, "INR": 1.8, "ascites": "mild"}, True),
    # 3 (bili >51) + 2 + 2 + 3 (moderate-severe ascites) + 1 = 11: C
    ({"BILI": 55, "ALB": 31, "INR": 1.8, "ascites": "moderate_severe"}, False),
])
def test_child_pugh_class_a_or_b_is_required(patient, run_screen, inputs, met):
    set_lab(patient, "BILI", inputs["BILI"], "µmol/L")
    set_lab(patient, "ALB", inputs["ALB"], "g/L")
    set_lab(patient, "INR", inputs["INR"], "INR")
    patient["ascites"] = inputs["ascites"]
    assert verdict(run_screen(patient), "INC04").met is met
