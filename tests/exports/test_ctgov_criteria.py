"""Eligibility criteria text: the registry layout, splitting into clauses, deterministic coding."""

from __future__ import annotations

import pytest

from oncotrial.exports.ctgov.criteria_coding import NotCodedError, code_clause, code_fragment
from oncotrial.exports.ctgov.criteria_text import (
    escape_markdown,
    format_criteria,
    read_criteria,
    split_top_level,
    unescape_markdown,
)


def test_the_criteria_are_laid_out_as_the_registry_does():
    text = format_criteria(["Age >= 18 years", "ECOG 0-1", "ECOG 0-1"], ["PT < 18 s"])
    assert text == ("Inclusion Criteria:\n\n* Age \\>= 18 years\n* ECOG 0-1\n\n"
                    "Exclusion Criteria:\n\n* PT \\< 18 s")


def test_reading_the_layout_back_gives_the_bullets_unescaped():
    text = format_criteria(["Age >= 18 years", "ECOG 0-1"], ["PT < 18 s"])
    sections = read_criteria(text)
    assert sections.inclusion == ["Age >= 18 years", "ECOG 0-1"]
    assert sections.exclusion == ["PT < 18 s"]
    assert sections.other == []


def test_continuation_lines_join_their_bullet_and_loose_text_is_kept_apart():
    sections = read_criteria("Key points\n\nInclusion Criteria\n\n1. adults\n   with ICC\n- consent\n\n"
                             "Exclusion criteria:\n* pregnancy")
    assert sections.other == ["Key points"]
    assert sections.inclusion == ["adults with ICC", "consent"]
    assert sections.exclusion == ["pregnancy"]


def test_escaping_is_undone_exactly():
    assert unescape_markdown(escape_markdown("a < b > c \\> d")) == "a < b > c > d"


def test_semicolons_split_only_outside_parentheses_and_thousands_stay_whole():
    assert split_top_level("A (x; y); B; C.", ";") == ["A (x; y)", "B", "C"]
    parts = split_top_level("WBC ≥2,000/mm3, Hb > 9 g/dL, 1,5", ",")
    assert parts == ["WBC ≥2,000/mm3", "Hb > 9 g/dL", "1", "5"]


@pytest.mark.parametrize(("clause", "rule"), [
    ("Platelet count ≥75,000/mm3", {"type": "lab", "test": "PLAT", "operator": ">=", "value": 75000,
                                    "unit": "/mm³"}),
    ("white blood cell count ≥2,000cells/mm3", {"type": "lab", "test": "WBC", "operator": ">=", "value": 2000,
                                                "unit": "cells/mm³"}),
    ("hemoglobin > 9.0 g/dL", {"type": "lab", "test": "HGB", "operator": ">", "value": 9.0, "unit": "g/dL"}),
    ("PT < 18s", {"type": "lab", "test": "PT", "operator": "<", "value": 18, "unit": "s"}),
    ("INR < 1.26", {"type": "lab", "test": "INR", "operator": "<", "value": 1.26, "unit": "1"}),
    ("total bilirubin < 3 times the upper limit of normal",
     {"type": "lab_uln", "test": "BILI", "operator": "<", "multiple": 3}),
    ("ALT ≤ 2.5 x ULN", {"type": "lab_uln", "test": "ALT", "operator": "<=", "multiple": 2.5}),
    ("ECOG performance status 0-1", {"type": "ecog", "allowed": [0, 1]}),
    ("ECOG PS ≤ 2", {"type": "ecog", "allowed": [0, 1, 2]}),
    ("Child-Pugh class A or B", {"type": "child_pugh_class", "allowed": ["A", "B"]}),
    ("Life expectancy less than 2 months",
     {"type": "number_fact", "fact": "life_expectancy_months", "operator": "<", "value": 2}),
    ("Minimum eligible age: 18 years", {"type": "age", "operator": ">=", "years": 18}),
    ("written informed consent", {"type": "consent"}),
])
def test_unambiguous_clauses_are_coded_as_rules(clause: str, rule: dict[str, object]):
    assert [r for r, _ in code_clause(clause)] == [rule]


def test_one_clause_naming_two_tests_gives_two_rules_with_a_note():
    coded = code_clause("aspartate and alanine transaminases < 5 times the upper limit of normal")
    assert [r["test"] for r, _ in coded] == ["AST", "ALT"]
    assert all(note and "two tests" in note for _, note in coded)


@pytest.mark.parametrize(("clause", "why"), [
    ("creatinine clearance rate of ≤ 1.5 times the upper limit of the normal",
     "'creatinine clearance rate' is not a laboratory test"),
    ("hemoglobin > 9.0", "has no unit"),
    ("hemoglobin > 9.0 mmol/L", "expected a unit of haemoglobin"),
    ("Platelet count ≥75,000,000,000/mm3", "is not accepted"),
    ("concurrent other malignancy", "fixed forms"),
    ("Patients unable to give informed consent", "fixed forms"),
])
def test_clauses_that_are_not_unambiguous_stay_text_with_the_reason(clause: str, why: str):
    with pytest.raises(NotCodedError, match=why):
        code_clause(clause)


def test_a_bullet_listing_lab_thresholds_gives_one_criterion_per_threshold_under_its_heading():
    fragment = ("Adequate hepatic and renal function (albumin ≥ 30 g/L, creatinine clearance rate of ≤ 1.5 "
                "times the upper limit of the normal) and coagulation function(PT < 18s, INR < 1.26)")
    coded = code_fragment(fragment)
    assert [c.text for c in coded] == [
        "Adequate hepatic and renal function: albumin ≥ 30 g/L",
        "Adequate hepatic and renal function: creatinine clearance rate of ≤ 1.5 times the upper limit "
        "of the normal",
        "coagulation function: PT < 18s",
        "coagulation function: INR < 1.26",
    ]
    assert [c.rule["test"] if c.rule else None for c in coded] == ["ALB", None, "PT", "INR"]
    assert coded[1].reason is not None and "creatinine clearance" in coded[1].reason


def test_parentheses_without_thresholds_do_not_split_a_clause():
    coded = code_fragment("At least one measurable disease according to the Response Evaluation Criteria "
                          "in Solid Tumors(RECIST v1.1)")
    assert len(coded) == 1
    assert coded[0].rule == {"type": "measurable_lesions", "minimum": 1} and coded[0].interpretation is None


def test_a_heading_written_by_the_export_is_read_after_its_colon():
    (coded,) = code_fragment("Adequate bone marrow function: platelet count >= 75,000/mm3")
    assert coded.text == "Adequate bone marrow function: platelet count >= 75,000/mm3"
    assert coded.rule == {"type": "lab", "test": "PLAT", "operator": ">=", "value": 75000, "unit": "/mm³"}
