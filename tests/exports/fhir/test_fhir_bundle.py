"""FHIR R4 bundle of the SIMULATED demo: valid per fhir.resources (R4B), references resolve, mCODE codes."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from oncotrial.cli.export_fhir_cmd import fhir_command
from oncotrial.exports.clinical_records import (
    ClinicalRecords,
    LabResult,
    clinical_records_from_simulated_demo,
)
from oncotrial.exports.fhir import build_bundle, bundle_issues, structural_issues, unresolved_references

pytest.importorskip("fhir.resources")


@pytest.fixture(scope="module")
def records() -> ClinicalRecords:
    demo = clinical_records_from_simulated_demo(20230801, patients=12)
    first = demo.subjects[0]
    extra = (LabResult(first.subject_id, "CA199", "CA19-9", "TUMOR MARKERS", 412.0, "U/mL", 412.0, "U/mL",
                       None, 37.0, None, first.randomized_on, "SCREENING", True),
             LabResult(first.subject_id, "ECOG", "ECOG performance status", "PERFORMANCE", 1.0, "1", 1.0, "1",
                       None, None, None, first.randomized_on, "SCREENING", True))
    return dataclasses.replace(demo, labs=demo.labs + extra)


@pytest.fixture(scope="module")
def bundle(records: ClinicalRecords) -> dict[str, Any]:
    return build_bundle(records)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _loinc(resource: dict[str, Any]) -> str:
    return next(c["code"] for c in resource["code"]["coding"] if c["system"] == "http://loinc.org")


def test_the_bundle_passes_every_check(bundle: dict[str, Any]):
    assert bundle["type"] == "collection"
    assert bundle_issues(bundle) == ()


def test_every_required_resource_kind_is_present(bundle: dict[str, Any], records: ClinicalRecords):
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {"ResearchStudy", "ResearchSubject", "Patient", "Condition", "Observation",
                     "MedicationAdministration"}
    assert len(_resources(bundle, "MedicationAdministration")) == len(records.exposures)
    assert len(_resources(bundle, "Patient")) == len(records.subjects)


def test_the_primary_cancer_is_coded_in_snomed_and_icd10(bundle: dict[str, Any]):
    condition = _resources(bundle, "Condition")[0]
    codes = {(c["system"], c["code"]) for c in condition["code"]["coding"]}
    assert ("http://hl7.org/fhir/sid/icd-10", "C22.1") in codes
    assert condition["meta"]["profile"] == ["http://hl7.org/fhir/us/mcode/StructureDefinition/"
                                            "mcode-primary-cancer-condition"]


def test_observations_use_the_mcode_loinc_codes(bundle: dict[str, Any]):
    by_code: dict[str, list[dict[str, Any]]] = {}
    for obs in _resources(bundle, "Observation"):
        by_code.setdefault(_loinc(obs), []).append(obs)
    assert set(by_code) == {"97509-4", "89247-1", "24108-3"}
    [ecog] = by_code["89247-1"]
    assert ecog["valueInteger"] == 1 and ecog["interpretation"][0]["coding"][0]["code"] == "LA9623-5"
    [ca] = by_code["24108-3"]
    assert ca["valueQuantity"] == {"value": 412.0, "unit": "U/mL", "system": "http://unitsofmeasure.org",
                                   "code": "U/mL"}


def test_progressive_disease_is_the_worsened_disease_status(bundle: dict[str, Any], records: ClinicalRecords):
    statuses = [o for o in _resources(bundle, "Observation") if _loinc(o) == "97509-4"]
    pd = [o for o in statuses if o["valueCodeableConcept"]["text"].endswith(" PD")]
    assert pd and all(o["valueCodeableConcept"]["coding"][0]["code"] == "271299001" for o in pd)


def test_known_drugs_carry_their_rxnorm_code_and_toripalimab_only_text(bundle: dict[str, Any]):
    meds = {m["medicationCodeableConcept"].get("text"): m["medicationCodeableConcept"]
            for m in _resources(bundle, "MedicationAdministration")}
    assert meds["gemcitabine"]["coding"][0]["code"] == "12574"
    assert meds["toripalimab"] == {"text": "toripalimab"}


def test_simulated_records_are_tagged_everywhere(bundle: dict[str, Any]):
    label = "SIMULATED DATA: not results of NCT07304388"
    assert bundle["meta"]["tag"][0]["display"] == label
    assert all(e["resource"]["meta"]["tag"][0]["display"] == label for e in bundle["entry"])


def test_a_dangling_reference_is_caught(bundle: dict[str, Any]):
    broken = copy.deepcopy(bundle)
    subject = next(e for e in broken["entry"] if e["resource"]["resourceType"] == "ResearchSubject")
    subject["resource"]["individual"]["reference"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    [issue] = unresolved_references(broken)
    assert "does not resolve" in issue.message


def test_a_research_subject_without_its_patient_is_caught_by_the_r4b_model(bundle: dict[str, Any]):
    broken = copy.deepcopy(bundle)
    subject = next(e for e in broken["entry"] if e["resource"]["resourceType"] == "ResearchSubject")
    del subject["resource"]["individual"]
    issues = structural_issues(broken)
    assert any("ResearchSubject" in i.where for i in issues)


def test_a_wrong_type_is_caught_by_the_r4b_model(bundle: dict[str, Any]):
    broken = copy.deepcopy(bundle)
    obs = next(e for e in broken["entry"] if e["resource"]["resourceType"] == "Observation")
    obs["resource"]["effectiveDateTime"] = "the day after"
    assert any("Observation" in i.where for i in structural_issues(broken))


def test_a_profiled_observation_without_its_code_is_caught(bundle: dict[str, Any]):
    broken = copy.deepcopy(bundle)
    obs = next(e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Observation")
    obs["code"]["coding"][0]["code"] = "12345-6"
    assert any("requires code" in i.message for i in structural_issues(broken))


def test_the_command_writes_a_labelled_valid_bundle(tmp_path: Path):
    app = typer.Typer()
    app.command()(fhir_command)
    result = CliRunner().invoke(app, ["--simulated-demo", "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    path = Path(summary["out"])
    assert path.name == "NCT07304388.SIMULATED.fhir-bundle.json" and summary["valid"] is True
    assert json.loads(path.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    assert summary["resources"]["Patient"] == 120
