"""Importing NCT07304388's registry record gives a draft protocol and reports all it cannot map.

The record (tests/exports/data/NCT07304388.json) is written by hand from
shared/reference/NCT07304388.txt, in the API v2 structure, with only what the record says.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.draft import StudyImport, fill_draft, unmapped_from_report
from oncotrial.exports.ctgov.json_paths import is_within, leaf_paths
from oncotrial.exports.ctgov.study_import import import_study

RECORD = Path(__file__).parent / "data" / "NCT07304388.json"
P = "protocolSection"


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def imported(record: dict[str, Any]) -> StudyImport:
    return import_study(record)


def test_identification_and_design_are_read_from_the_record(imported: StudyImport):
    ident, design = imported.draft["identification"], imported.draft["design"]
    assert ident["nct_id"] == "NCT07304388" and ident["org_study_id"] == "IA3GM-II"
    assert ident["conditions"] == ["Intrahepatic Cholangiocarcinoma (Icc)"]
    assert ident["responsible_party"] == "Shi Ming, Professor (principal investigator)"
    assert ident["sites"] == [{"code": "SITE1", "name": "Cancer Center Sun Yat-sen University",
                               "city": "Guangzhou", "country": "China"}]
    assert "acronym" not in ident  # the record has none
    assert design == {"study_type": "INTERVENTIONAL", "phase": "PHASE2", "allocation": "RANDOMIZED",
                      "intervention_model": "PARALLEL", "primary_purpose": "TREATMENT", "masking": "NONE",
                      "target_enrollment": 120, "start_date": "2023-08-01", "completion_date": "2025-06-01"}


def test_lab_thresholds_of_the_record_are_coded_and_the_rest_stays_text(imported: StudyImport):
    criteria = imported.draft["eligibility"]["criteria"]
    by_text = {c["text"]: c["rule"] for c in criteria}
    assert by_text["Adequate bone marrow function: Platelet count ≥75,000/mm3"] == {
        "type": "lab", "test": "PLAT", "operator": ">=", "value": 75000, "unit": "/mm³"}
    assert by_text["coagulation function: INR < 1.26"]["value"] == 1.26
    assert [c["code"] for c in criteria if c["rule"] is None] == [
        "INC01", "INC12", "EXC02", "EXC03", "EXC04", "EXC05", "EXC06", "EXC07", "EXC08"]
    assert len(criteria) == 23


def test_every_uncoded_criterion_is_an_open_value_and_an_unmapped_entry(imported: StudyImport):
    open_rules = {o.path for o in imported.open_values if o.path.endswith(".rule")}
    reported = {u.draft_path for u in imported.unmapped if u.draft_path}
    criteria = imported.draft["eligibility"]["criteria"]
    expected = {f"eligibility.criteria[{i}].rule" for i, c in enumerate(criteria) if c["rule"] is None}
    assert open_rules == reported == expected


def test_open_values_are_exactly_the_draft_fields_left_null(imported: StudyImport):
    nulls = {path for path, value in leaf_paths(imported.draft) if value is None}
    assert {o.path for o in imported.open_values} == nulls


def test_the_unmapped_report_names_every_record_field_the_protocol_cannot_hold(imported: StudyImport):
    restorable = {u.path: u.reason for u in imported.unmapped if u.restore}
    assert set(restorable) == {
        f"{P}.descriptionModule",
        f"{P}.sponsorCollaboratorsModule.leadSponsor.class",
        f"{P}.armsInterventionsModule.armGroups[0].description",
        f"{P}.armsInterventionsModule.armGroups[0].interventionNames",
        f"{P}.armsInterventionsModule.armGroups[1].description",
        f"{P}.armsInterventionsModule.armGroups[1].interventionNames",
        f"{P}.armsInterventionsModule.interventions",
        f"{P}.eligibilityModule.eligibilityCriteria",
        f"{P}.contactsLocationsModule.locations[0].state",
    }
    assert "no summary" in restorable[f"{P}.descriptionModule"]


def test_no_field_of_a_study_is_dropped_silently(record: dict[str, Any]):
    study = copy.deepcopy(record)
    study["protocolSection"]["identificationModule"]["officialTitle"] = "A phase II trial"
    study["protocolSection"]["oversightModule"] = {"oversightHasDmc": True}
    study["protocolSection"]["eligibilityModule"]["maximumAge"] = "75 Years"
    study["derivedSection"] = {"miscInfoModule": {"versionHolder": "2025-12-26"}}
    result = import_study(study)
    unmapped = {u.path for u in result.unmapped}
    assert {f"{P}.identificationModule.officialTitle", f"{P}.oversightModule",
            f"{P}.eligibilityModule.maximumAge", "derivedSection"} <= unmapped
    mapped_or_reported = unmapped | _mapped_paths()
    for path, _ in leaf_paths(study):
        assert any(is_within(path, p) for p in mapped_or_reported), path


def _mapped_paths() -> set[str]:
    ident, status, design = f"{P}.identificationModule", f"{P}.statusModule", f"{P}.designModule"
    arms = f"{P}.armsInterventionsModule.armGroups"
    return {f"{ident}.nctId", f"{ident}.orgStudyIdInfo.id", f"{ident}.briefTitle", f"{status}.overallStatus",
            f"{status}.startDateStruct.date", f"{status}.completionDateStruct.date",
            f"{status}.lastUpdatePostDateStruct.date", f"{P}.sponsorCollaboratorsModule.responsibleParty",
            f"{P}.sponsorCollaboratorsModule.leadSponsor.name", f"{P}.conditionsModule", design,
            f"{arms}[0].label", f"{arms}[0].type", f"{arms}[1].label", f"{arms}[1].type",
            f"{P}.eligibilityModule", f"{P}.contactsLocationsModule.locations[0]", "hasResults"}


def test_values_the_protocol_does_not_accept_are_reported_and_left_open(record: dict[str, Any]):
    study = copy.deepcopy(record)
    study["protocolSection"]["designModule"]["designInfo"]["allocation"] = "NON_RANDOMIZED"
    study["protocolSection"]["designModule"]["phases"] = ["NA"]
    study["protocolSection"]["statusModule"]["startDateStruct"]["date"] = "2023-08"
    result = import_study(study)
    assert result.draft["design"]["allocation"] is None and result.draft["design"]["phase"] is None
    assert "start_date" not in result.draft["design"]
    opened = {o.path: o.reason for o in result.open_values}
    assert "'NON_RANDOMIZED'" in opened["design.allocation"] and "design.phase" in opened
    partial = next(u for u in result.unmapped if u.path.endswith("startDateStruct.date"))
    assert partial.value == "2023-08" and partial.restore


def test_the_report_reads_back_into_unmapped_fields(imported: StudyImport):
    report = json.loads(json.dumps(imported.report()))
    assert unmapped_from_report(report) == imported.unmapped
    with pytest.raises(DomainError, match="unmapped"):
        unmapped_from_report({"open_values": []})


def test_fill_draft_sets_paths_and_rejects_missing_list_items(imported: StudyImport):
    filled = fill_draft(imported.draft, {"arms[1].allocation_weight": 1, "assumptions.sd_minimum_days": 42})
    assert filled["arms"][1]["allocation_weight"] == 1 and filled["assumptions"]["sd_minimum_days"] == 42
    assert imported.draft["arms"][1]["allocation_weight"] is None
    with pytest.raises(DomainError, match="arms"):
        fill_draft(imported.draft, {"arms[5].label": "x"})


def test_a_study_without_protocol_section_is_rejected():
    with pytest.raises(DomainError, match="protocolSection"):
        import_study({"hasResults": False})
