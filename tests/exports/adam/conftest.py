"""The SIMULATED demo trial's clinical records and ADaM package (with ADLB), built once per session."""

from __future__ import annotations

import pytest

from oncotrial.core.endpoints.trial_data import TrialData, trial_data_from_mapping
from oncotrial.exports.adam import AdamPackage, build_adam
from oncotrial.exports.clinical_records import ClinicalRecords, clinical_records_from_simulated_demo
from oncotrial.protocol_files import load_default_protocol
from oncotrial.simulation.trial_outcomes import simulated_trial


@pytest.fixture(scope="session")
def demo_data() -> TrialData:
    return trial_data_from_mapping(simulated_trial())


@pytest.fixture(scope="session")
def demo_records() -> ClinicalRecords:
    return clinical_records_from_simulated_demo(20230801)


@pytest.fixture(scope="session")
def demo_adam(demo_data: TrialData, demo_records: ClinicalRecords) -> AdamPackage:
    return build_adam(demo_data, protocol=load_default_protocol(), records=demo_records)
