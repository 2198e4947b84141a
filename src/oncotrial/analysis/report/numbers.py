"""Every number of the trial report, computed once from the analysis functions.

:func:`report_numbers` runs :func:`oncotrial.analysis.trial_analysis.analyze_trial` (the
primary endpoint, its sensitivity analyses, KM medians, log-rank tests, Cox HRs, ORR/DCR,
DoR, safety, RDI) and adds what the analysis object does not hold: the *stratified* Cox HR
(Cox, Efron ties, strata = the protocol's stratification factors, R ``coxph(... +
strata())``), the CONSORT counts, the baseline table, exposure and the subgroup table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oncotrial.analysis.cox import CoxPH
from oncotrial.analysis.plotting.consort import ConsortCounts
from oncotrial.analysis.plotting.forest import ForestRow
from oncotrial.analysis.report.baseline import Row, baseline_rows
from oncotrial.analysis.report.consort_flow import consort_counts
from oncotrial.analysis.report.exposure import (
    CycleSummary,
    DrugModifications,
    cycles_received,
    dose_modifications,
)
from oncotrial.analysis.report.subgroups import forest_rows, subgroup_table
from oncotrial.analysis.report_data import ReportExtras, check_report_inputs
from oncotrial.analysis.trial_analysis import (
    SurvivalEndpoint,
    TrialAnalysis,
    _arrays,
    _cox,
    _strata,
    analyze_trial,
)
from oncotrial.core.endpoints.populations import intention_to_treat
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.protocol.model import Protocol


@dataclass(frozen=True)
class ReportNumbers:
    data: TrialData
    extras: ReportExtras
    protocol: Protocol
    analysis: TrialAnalysis
    stratification: tuple[str, ...]
    stratified_cox: Mapping[str, CoxPH | None]
    """``"pfs"``, ``"pfs_mrecist"``, ``"os"`` → stratified Cox fit (None without stratification data)."""
    consort: ConsortCounts
    baseline: list[Row]
    subgroups: list[dict[str, Any]]
    forest: list[ForestRow]
    cycles: list[CycleSummary]
    modifications: list[DrugModifications]

    @property
    def simulated(self) -> bool:
        return self.data.simulated or self.extras.simulated

    @property
    def endpoints(self) -> dict[str, SurvivalEndpoint]:
        return {"pfs": self.analysis.pfs, "pfs_mrecist": self.analysis.pfs_mrecist, "os": self.analysis.os}


def stratified_cox(endpoint: SurvivalEndpoint, strata: list[str] | None, experimental: str) -> CoxPH | None:
    if strata is None:
        return None
    t, e, a = _arrays(endpoint.rows)
    return _cox(t, e, a == experimental, strata)


def default_protocol() -> Protocol:
    from oncotrial.protocol_files import load_default_protocol

    return load_default_protocol()


def report_numbers(
    data: TrialData, extras: ReportExtras, *, protocol: Protocol | None = None
) -> ReportNumbers:
    """Check the inputs and compute every number of the report (default protocol: NCT07304388)."""
    check_report_inputs(data, extras)
    protocol = protocol or default_protocol()
    analysis = analyze_trial(data, protocol=protocol)
    factors = tuple(f.attribute for f in protocol.stratification.factors)
    strata = _strata(intention_to_treat(data.patients), factors)
    table = subgroup_table(analysis, extras)
    return ReportNumbers(
        data=data,
        extras=extras,
        protocol=protocol,
        analysis=analysis,
        stratification=factors,
        stratified_cox={
            key: stratified_cox(ep, strata, analysis.experimental)
            for key, ep in (("pfs", analysis.pfs), ("pfs_mrecist", analysis.pfs_mrecist), ("os", analysis.os))
        },
        consort=consort_counts(data, extras),
        baseline=baseline_rows(data, extras),
        subgroups=table,
        forest=forest_rows(analysis, table),
        cycles=cycles_received(data, extras),
        modifications=dose_modifications(data, extras),
    )
