"""The SDTM package of the SIMULATED demo trial, built once per test session."""

from __future__ import annotations

import pytest

from oncotrial.exports.clinical_records import ClinicalRecords, clinical_records_from_simulated_demo
from oncotrial.exports.sdtm.package import SdtmPackage, build_sdtm


@pytest.fixture(scope="session")
def demo_records() -> ClinicalRecords:
    return clinical_records_from_simulated_demo(20230801)


@pytest.fixture(scope="session")
def demo_sdtm(demo_records: ClinicalRecords) -> SdtmPackage:
    return build_sdtm(demo_records)
