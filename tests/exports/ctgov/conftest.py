"""The SIMULATED demo study with results, built once for the results tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from oncotrial.analysis.report_data import ReportExtras, simulated_report_inputs
from oncotrial.analysis.trial_analysis import TrialAnalysis, analyze_trial
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.exports.ctgov.results_section import export_study_with_results, inputs_from_report_extras
from oncotrial.protocol_files import load_default_protocol

LABEL = "SIMULATED DATA: not results of NCT07304388"


@dataclass(frozen=True)
class Demo:
    data: TrialData
    extras: ReportExtras
    analysis: TrialAnalysis
    study: dict[str, Any]


@pytest.fixture(scope="session")
def demo() -> Demo:
    protocol = load_default_protocol()
    data, extras = simulated_report_inputs(20230801)
    analysis = analyze_trial(data, protocol=protocol)
    exported, _ = export_study_with_results(protocol, data, inputs=inputs_from_report_extras(extras),
                                            analysis=analysis)
    return Demo(data, extras, analysis, exported.study)
