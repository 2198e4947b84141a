"""Broken results sections are caught: by the strict schema or by the reporting rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.results_rules import check_results, results_issues
from oncotrial.exports.ctgov.schema import validate_study

LABEL = "SIMULATED DATA: not results of NCT07304388"


def _broken(demo: Any) -> dict[str, Any]:
    return copy.deepcopy(demo.study)


def _rules(study: dict[str, Any]) -> set[str]:
    return {i.rule for i in results_issues(study, simulated_label=LABEL)}


def test_a_misspelt_key_in_the_results_is_a_schema_error(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["adverseEventsModule"]["eventGroups"][0]["seriousNumAfected"] = 3
    issues = validate_study(study)
    assert [i.path for i in issues] == ["resultsSection.adverseEventsModule.eventGroups[0]"]
    assert "seriousNumAfected" in issues[0].message


def test_a_count_written_as_text_where_the_schema_wants_an_integer_is_a_schema_error(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["adverseEventsModule"]["eventGroups"][1]["deathsNumAtRisk"] = "60"
    assert [i.keyword for i in validate_study(study)] == ["type"]


def test_a_wrong_outcome_type_is_a_schema_error(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["type"] = "PRIMARY_ENDPOINT"
    assert [i.keyword for i in validate_study(study)] == ["enum"]


def test_a_threshold_above_five_percent_is_refused(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["adverseEventsModule"]["frequencyThreshold"] = "10"
    assert validate_study(study) == ()  # the schema cannot see it ...
    assert "ae.threshold" in _rules(study)  # ... the rules do


def test_a_missing_completed_milestone_is_refused(demo: Any):
    study = _broken(demo)
    period = study["resultsSection"]["participantFlowModule"]["periods"][0]
    period["milestones"] = [m for m in period["milestones"] if m["type"] != "COMPLETED"]
    assert "flow.milestones" in _rules(study)


def test_counts_that_do_not_add_up_across_modules_are_refused(demo: Any):
    study = _broken(demo)
    started = study["resultsSection"]["participantFlowModule"]["periods"][0]["milestones"][0]
    started["achievements"][0]["numSubjects"] = "61"
    issues = results_issues(study)
    messages = " ".join(i.message for i in issues)
    assert {"flow.counts", "baseline.counts"} <= {i.rule for i in issues}
    assert "61 STARTED" in messages


def test_an_other_event_below_the_threshold_is_refused(demo: Any):
    study = _broken(demo)
    event = study["resultsSection"]["adverseEventsModule"]["otherEvents"][0]
    for s in event["stats"]:
        s["numAffected"] = 1  # 1 of 60 = 1.7 % < 5 %
    assert "ae.other" in _rules(study)


def test_an_organ_system_not_on_the_registry_list_is_refused(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["adverseEventsModule"]["otherEvents"][0]["organSystem"] = "Liver"
    assert "ae.organ" in _rules(study)


def test_arms_titled_differently_in_two_modules_are_refused(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["adverseEventsModule"]["eventGroups"][0]["title"] = "Arm A (HAIC)"
    assert "groups.consistent" in _rules(study)


def test_results_without_a_primary_outcome_with_data_are_refused(demo: Any):
    study = _broken(demo)
    measures = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"] = \
        [m for m in measures if m["type"] != "PRIMARY"]
    assert "outcome.primary" in _rules(study)


def test_an_outcome_not_registered_in_the_protocol_section_is_refused(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][1]["title"] = "Quality of life"
    assert "outcome.registered" in _rules(study)


def test_baseline_without_age_is_refused(demo: Any):
    study = _broken(demo)
    module = study["resultsSection"]["baselineCharacteristicsModule"]
    module["measures"] = [m for m in module["measures"] if not m["title"].startswith("Age")]
    assert "baseline.required" in _rules(study)


def test_has_results_must_match_the_results_section(demo: Any):
    study = _broken(demo)
    study["hasResults"] = False
    assert "hasResults" in _rules(study)


def test_simulated_results_without_the_label_are_refused(demo: Any):
    study = _broken(demo)
    del study["resultsSection"]["moreInfoModule"]
    with pytest.raises(DomainError, match="limitationsAndCaveats"):
        check_results(study, simulated_label=LABEL)


def test_an_analysis_comparing_an_unknown_group_is_refused(demo: Any):
    study = _broken(demo)
    study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]["analyses"][0]["groupIds"] = \
        ["OG000", "OG009"]
    assert "analysis" in _rules(study)
