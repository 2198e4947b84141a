"""Screening evaluates every criterion and treats missing or stale data as not evaluable."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.eligibility.screening import ScreeningStatus
from support.candidates import example_patient, set_lab, verdict

LAB_CRITERIA = {"WBC": "INC06", "HGB": "INC07", "PLAT": "INC08", "ALB": "INC09",
                "BILI": "INC10", "AST": "INC11", "ALT": "INC12", "CREAT": "INC13",
                "PT": "INC14", "INR": "INC15"}


def test_the_documented_example_patient_is_eligible(patient, run_screen):
    result = run_screen(patient)
    assert result.status is ScreeningStatus.ELIGIBLE
    assert len(result.verdicts) == 26


def test_every_failure_is_reported_not_only_the_first(patient, run_screen):
    patient["ecog"] = 2
    set_lab(patient, "PLAT", 50, "10^9/L")
    patient["facts"]["prior_anticancer_therapy"] = True
    result = run_screen(patient)
    assert {v.code for v in result.failed} == {"INC05", "INC08", "EXC03"}


def test_a_missing_lab_is_not_evaluable_and_the_result_incomplete(patient, run_screen):
    patient["labs"] = [lab for lab in patient["labs"] if lab["test"] != "ALT"]
    result = run_screen(patient)
    assert verdict(result, "INC12").met is None
    assert result.status is ScreeningStatus.INCOMPLETE
    assert not result.eligible


def test_a_lab_older_than_the_recency_window_is_not_evaluable(patient, run_screen):
    # labs dated 2024-03-04; 14 days later they are still usable, 15 days later stale
    assert verdict(run_screen(patient, on=date(2024, 3, 18)), "INC06").met is True
    stale = run_screen(patient, on=date(2024, 3, 19))
    assert verdict(stale, "INC06").met is None
    assert "15 days old" in verdict(stale, "INC06").reason


def test_a_lab_drawn_after_the_screening_date_is_not_used(patient, run_screen):
    result = run_screen(patient, on=date(2024, 3, 3))
    assert verdict(result, "INC06").met is None


def test_the_most_recent_lab_value_is_used(patient, run_screen):
    patient["labs"].append({"test": "PLAT", "value": 60, "unit": "10^9/L", "date": "2024-03-05"})
    assert verdict(run_screen(patient), "INC08").met is False


def test_a_definite_failure_makes_the_result_not_eligible_even_with_missing_data(patient, run_screen):
    patient["labs"] = [lab for lab in patient["labs"] if lab["test"] != "ALT"]
    patient["ecog"] = 2
    assert run_screen(patient).status is ScreeningStatus.NOT_ELIGIBLE


def test_a_missing_uln_makes_a_uln_criterion_not_evaluable(patient, run_screen):
    patient["reference_ranges"]["ranges"] = [
        r for r in patient["reference_ranges"]["ranges"] if r["test"] != "AST"]
    result = run_screen(patient)
    assert verdict(result, "INC11").met is None
    assert "upper limit of normal" in verdict(result, "INC11").reason


def test_no_consent_recorded_is_not_evaluable_and_late_consent_fails(patient, run_screen):
    assert verdict(run_screen({**patient, "consent_date": None}), "INC16").met is None
    assert verdict(run_screen({**patient, "consent_date": "2024-03-06"}), "INC16").met is False


def test_an_unanswered_history_item_is_not_evaluable(patient, run_screen):
    del patient["facts"]["active_infection"]
    assert verdict(run_screen(patient), "EXC06").met is None


def test_gi_bleeding_without_a_date_is_not_evaluable(patient, run_screen):
    patient["facts"]["gi_bleeding"] = {"present": True}
    assert verdict(run_screen(patient), "EXC09").met is None


def test_no_imaging_recorded_is_not_evaluable_but_no_lesions_fails(patient, run_screen):
    assert verdict(run_screen({**patient, "lesions": None}), "INC03").met is None
    assert verdict(run_screen({**patient, "lesions": []}), "INC03").met is False


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(sorted(LAB_CRITERIA)), min_size=1))
def test_a_missing_lab_never_counts_as_met(protocol, removed):
    """Property: removing any set of labs never leaves a criterion on them met."""
    from oncotrial.core.eligibility.patient_data import candidate_from_data
    from oncotrial.core.eligibility.rules import ScreeningContext
    from oncotrial.core.eligibility.screening import screen

    data = example_patient()
    data["labs"] = [lab for lab in data["labs"] if lab["test"] not in removed]
    result = screen(candidate_from_data(data), protocol.eligibility.criteria,
                    ScreeningContext(date(2024, 3, 5), 14, 28))
    for test in removed:
        assert verdict(result, LAB_CRITERIA[test]).met is None
    assert result.status is ScreeningStatus.INCOMPLETE
