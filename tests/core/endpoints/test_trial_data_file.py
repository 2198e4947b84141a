"""The trial data file: a SIMULATED example parses, and bad fields are named."""

from __future__ import annotations

import copy

import pytest

from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion, Response
from oncotrial.simulation.trial_outcomes import simulated_trial

DOC = simulated_trial(patients=20, seed=3)


def test_the_simulated_trial_file_parses_and_says_it_is_simulated():
    data = trial_data_from_mapping(DOC)
    assert data.simulated is True
    assert len(data.patients) == 20
    assert data.control_arm == "GEMOX"
    scan = next(p for p in data.patients if p.scans).scans[0]
    assert isinstance(scan.response(Criterion.MRECIST), Response)


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d["patients"][0].update(arm="PLACEBO"), "patients[0].arm"),
    (lambda d: d["patients"][1].update(randomized_on="2024-13-01"), "patients[1].randomized_on"),
    (lambda d: d["patients"][2].update(patient_id=d["patients"][0]["patient_id"]),
     "patients[2].patient_id"),
    (lambda d: d["patients"][0]["adverse_events"].append(
        {"term": "Fatigue", "grade": 6, "start_date": "2024-01-01"}),
     "patients[0].adverse_events"),
    (lambda d: d.update(cutof="2025-01-01"), "cutof"),
])
def test_bad_fields_are_named(mutate, field):
    doc = copy.deepcopy(DOC)
    mutate(doc)
    with pytest.raises(DomainError) as err:
        trial_data_from_mapping(doc)
    assert err.value.field.startswith(field)


def test_a_scan_before_randomization_is_rejected():
    doc = copy.deepcopy(DOC)
    p = next(p for p in doc["patients"] if p["scans"])
    p["scans"][0]["date"] = "2000-01-01"
    with pytest.raises(DomainError, match="on or after randomization"):
        trial_data_from_mapping(doc)
