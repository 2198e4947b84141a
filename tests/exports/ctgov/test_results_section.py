"""The resultsSection of the SIMULATED demo: valid, labelled, and equal to the analysis functions."""

from __future__ import annotations

import math
from typing import Any

from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.ctgov.results_rules import results_issues
from oncotrial.exports.ctgov.schema import validate_study

LABEL = "SIMULATED DATA: not results of NCT07304388"
Demo = Any  # the session fixture of conftest.py


def _outcome(study: dict[str, Any], title_start: str) -> dict[str, Any]:
    measures = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    return next(m for m in measures if m["title"].startswith(title_start))


def _cells(measure: dict[str, Any]) -> list[dict[str, Any]]:
    return measure["classes"][0]["categories"][0]["measurements"]


def test_the_study_with_results_is_valid_against_the_strict_schema(demo: Demo):
    assert demo.study["hasResults"] is True
    assert validate_study(demo.study) == ()


def test_the_results_meet_every_reporting_rule(demo: Demo):
    assert results_issues(demo.study, simulated_label=LABEL) == ()


def test_the_results_say_they_are_simulated(demo: Demo):
    section = demo.study["resultsSection"]
    assert LABEL in section["moreInfoModule"]["limitationsAndCaveats"]["description"]
    assert section["participantFlowModule"]["recruitmentDetails"].startswith(LABEL)
    assert all(g["description"].startswith(LABEL) for g in section["adverseEventsModule"]["eventGroups"])
    assert all(m["populationDescription"].startswith(LABEL)
               for m in section["outcomeMeasuresModule"]["outcomeMeasures"])


def test_the_primary_outcome_is_the_landmark_analysis_in_percent(demo: Demo):
    pfs6 = demo.analysis.pfs6
    measure = _outcome(demo.study, "6-month progression-free survival rate")
    assert measure["type"] == "PRIMARY" and measure["dispersionType"] == "CONFIDENCE_95"
    for cell, arm in zip(_cells(measure), ("HAIC", "GEMOX"), strict=True):
        assert math.isclose(float(cell["value"]), 100 * pfs6.arms.loc[arm, "survival"], abs_tol=0.05)
        assert math.isclose(float(cell["lowerLimit"]), 100 * pfs6.arms.loc[arm, "lower_loglog"], abs_tol=0.05)
    analysis = measure["analyses"][0]
    assert math.isclose(float(analysis["paramValue"]), 100 * pfs6.difference, abs_tol=0.05)
    assert math.isclose(float(analysis["ciUpperLimit"]), 100 * pfs6.upper, abs_tol=0.05)
    assert analysis["pValue"] == f"{pfs6.p_value:.3f}" or pfs6.p_value < 0.001
    assert analysis["groupIds"] == ["OG000", "OG001"] and analysis["ciNumSides"] == "TWO_SIDED"


def test_the_response_rates_and_their_difference_come_from_the_analysis(demo: Demo):
    rate = next(r for r in demo.analysis.rates if r.name == "ORR" and r.criterion is Criterion.MRECIST)
    measure = _outcome(demo.study, "Objective response rate per mRECIST")
    assert [int(d["value"]) for d in measure["denoms"][0]["counts"]] == list(rate.counts["n"])
    assert [float(c["value"]) for c in _cells(measure)] == [round(100 * v, 1) for v in rate.counts["rate"]]
    analysis = measure["analyses"][0]
    assert analysis["statisticalMethod"] == "Fisher Exact"
    assert math.isclose(float(analysis["paramValue"]), 100 * rate.difference.difference, abs_tol=0.05)


def test_the_hazard_ratios_are_the_cox_estimates(demo: Demo):
    for title, endpoint in (("Progression-free survival per RECIST", demo.analysis.pfs),
                            ("Overall survival", demo.analysis.os)):
        analysis = _outcome(demo.study, title)["analyses"][0]
        assert analysis["paramType"] == "Hazard Ratio (HR)"
        assert math.isclose(float(analysis["paramValue"]), float(endpoint.cox.hazard_ratios_.iloc[0]),
                            abs_tol=0.005)
        assert math.isclose(float(analysis["ciLowerLimit"]),
                            float(endpoint.cox.confidence_intervals_.iloc[0, 0]), abs_tol=0.005)


def test_adverse_event_group_totals_equal_the_safety_summary(demo: Demo):
    groups = demo.study["resultsSection"]["adverseEventsModule"]["eventGroups"]
    summary = {s.arm: s for s in demo.analysis.safety}
    for group, arm in zip(groups, ("HAIC", "GEMOX"), strict=True):
        assert group["seriousNumAffected"] == summary[arm].serious
        assert group["deathsNumAffected"] == summary[arm].deaths
        assert group["seriousNumAtRisk"] == summary[arm].patients


def test_baseline_counts_the_randomized_participants_with_age_and_sex(demo: Demo):
    module = demo.study["resultsSection"]["baselineCharacteristicsModule"]
    counts = [int(c["value"]) for c in module["denoms"][0]["counts"]]
    assert counts == [60, 60, 120]
    sex = next(m for m in module["measures"] if m["title"].startswith("Sex"))
    females = sum(b.sex == "Female" for b in demo.extras.baseline)
    female_row = next(c for c in sex["classes"][0]["categories"] if c["title"] == "Female")
    assert int(female_row["measurements"][-1]["value"]) == females


def test_the_flow_starts_with_the_randomized_and_completes_with_the_deaths(demo: Demo):
    period = demo.study["resultsSection"]["participantFlowModule"]["periods"][0]
    milestones = {m["type"]: [int(a["numSubjects"]) for a in m["achievements"]] for m in period["milestones"]}
    assert milestones["STARTED"] == [60, 60]
    assert milestones["COMPLETED"] == [int(r.events) for r in demo.analysis.os.medians.itertuples()]
    assert "150 patients were screened; 30 were not randomized" in \
        demo.study["resultsSection"]["participantFlowModule"]["preAssignmentDetails"]
