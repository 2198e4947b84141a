"""Every ADaM value the report uses equals the analysis functions' value (issue 8 §2).

The SIMULATED 120-patient trial is analysed with ``analyze_trial`` and exported with
``build_adam`` under the same protocol; ADTTE rows, Kaplan–Meier and log-rank fitted
from ADTTE, ORR/DCR counted from ADRS, the populations counted from ADSL and the AE
counts from ADAE must equal the report's.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from oncotrial.analysis.logrank import survdiff
from oncotrial.analysis.trial_analysis import DAYS_PER_MONTH, TrialAnalysis, analyze_trial
from oncotrial.core.endpoints.time_to_event import TimeToEvent
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.adam import AdamPackage, build_adam
from oncotrial.exports.adam.metadata import Row
from oncotrial.protocol_files import load_default_protocol
from oncotrial.simulation.trial_outcomes import simulated_trial


@pytest.fixture(scope="module")
def both() -> tuple[TrialAnalysis, AdamPackage]:
    data = trial_data_from_mapping(simulated_trial())
    protocol = load_default_protocol()
    return analyze_trial(data, protocol=protocol), build_adam(data, protocol=protocol)


def _as_rows(rows: tuple[TimeToEvent, ...], trial: str) -> list[tuple[object, ...]]:
    return [(f"{trial}-{r.patient_id}", r.arm, r.time_days, 0 if r.event else 1, r.date, r.description)
            for r in rows]


def _adtte(adam: AdamPackage, paramcd: str) -> list[tuple[object, ...]]:
    return [(r["USUBJID"], r["TRT01P"], r["AVAL"], r["CNSR"], r["ADT"], r["EVNTDESC"])
            for r in adam.adtte.where(PARAMCD=paramcd)]


@pytest.mark.parametrize(("paramcd", "endpoint"), [("PFS", "pfs"), ("PFSMR", "pfs_mrecist"), ("OS", "os")])
def test_adtte_rows_equal_the_analysis_rows(both: tuple[TrialAnalysis, AdamPackage], paramcd: str,
                                            endpoint: str) -> None:
    result, adam = both
    assert _adtte(adam, paramcd) == _as_rows(getattr(result, endpoint).rows, adam.trial)


def _arrays(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.array([r["AVAL"] for r in rows], dtype=float),
            np.array([r["CNSR"] == 0 for r in rows]), np.array([r["TRT01P"] for r in rows]))


@pytest.mark.parametrize(("paramcd", "endpoint"), [("PFS", "pfs"), ("PFSMR", "pfs_mrecist"), ("OS", "os")])
def test_log_rank_fitted_from_adtte_equals_the_report(both: tuple[TrialAnalysis, AdamPackage],
                                                      paramcd: str, endpoint: str) -> None:
    result, adam = both
    rows = adam.adtte.where(PARAMCD=paramcd)
    t, e, a = _arrays(rows)
    mine = survdiff(t, e, a)
    report = getattr(result, endpoint)
    assert mine.chisq == report.logrank.chisq and mine.p_value == report.logrank.p_value
    stratified = survdiff(t, e, a, strata=[r["STRATAR"] for r in rows])
    assert stratified.chisq == report.stratified_logrank.chisq


def test_kaplan_meier_medians_from_adtte_equal_the_report(both: tuple[TrialAnalysis, AdamPackage]) -> None:
    from oncotrial.analysis.kaplan_meier import KaplanMeierFitter

    result, adam = both
    t, e, a = _arrays(adam.adtte.where(PARAMCD="PFS"))
    for row in result.pfs.medians.itertuples():
        km = KaplanMeierFitter().fit(t[a == row.arm] / DAYS_PER_MONTH, e[a == row.arm])
        assert (km.median_survival_time_, int(e[a == row.arm].sum())) == (row.median_months, row.events)


def test_dor_rows_are_the_report_dor_patients(both: tuple[TrialAnalysis, AdamPackage]) -> None:
    result, adam = both
    dor = Counter(r["TRT01P"] for r in adam.adtte.where(PARAMCD="DOR"))
    events = Counter(r["TRT01P"] for r in adam.adtte.where(PARAMCD="DOR", CNSR=0))
    for row in result.dor.itertuples():
        assert (dor[row.arm], events[row.arm]) == (row.n, row.events)


@pytest.mark.parametrize("criterion", [Criterion.RECIST_1_1, Criterion.MRECIST])
def test_adrs_bor_counts_equal_the_report_orr_and_dcr(both: tuple[TrialAnalysis, AdamPackage],
                                                      criterion: Criterion) -> None:
    result, adam = both
    suffix = "" if criterion is Criterion.RECIST_1_1 else "MR"
    bor = adam.adrs.where(PARAMCD="BOR" + suffix)
    groups = {"ORR": {"CR", "PR"}, "DCR": {"CR", "PR", "SD", "NON-CR/NON-PD"}}
    for rate in (r for r in result.rates if r.criterion is criterion):
        for row in rate.counts.itertuples():
            mine = [r for r in bor if r["TRT01P"] == row.arm]
            assert (sum(r["AVALC"] in groups[rate.name] for r in mine), len(mine)) == (row.responders, row.n)
            if rate.name == "ORR":
                rsp = adam.adrs.where(PARAMCD="RSP" + suffix, TRT01P=row.arm, AVALC="Y")
                assert len(rsp) == row.responders


def test_adsl_population_flags_count_the_report_populations(both: tuple[TrialAnalysis, AdamPackage]) -> None:
    result, adam = both
    counts = {"ITT": len(adam.adsl.where(ITTFL="Y")), "per-protocol": len(adam.adsl.where(PPROTFL="Y")),
              "safety": len(adam.adsl.where(SAFFL="Y"))}
    assert counts == result.populations


def test_adae_counts_equal_the_safety_summary(both: tuple[TrialAnalysis, AdamPackage]) -> None:
    result, adam = both
    for arm in result.safety:
        events = adam.adae.where(TRTA=arm.arm, SAFFL="Y", TRTEMFL="Y")
        patients = lambda rows: len({r["USUBJID"] for r in rows})  # noqa: E731
        assert patients(events) == arm.any_ae
        assert patients([r for r in events if r["ATOXGRN"] >= 3]) == arm.grade_3_or_more  # type: ignore[operator]
        assert patients([r for r in events if r["AESER"] == "Y"]) == arm.serious
        assert patients([r for r in events if r["AEACN"] == "DRUG WITHDRAWN"]) == arm.led_to_discontinuation
        assert patients([r for r in events if r["APROCFL"] == "Y"]) == arm.haic_procedure_complications
        for term in arm.terms:
            assert patients([r for r in events if r["AEDECOD"] == term.term]) == term.patients_any_grade


def test_six_month_pfs_from_adtte_equals_the_primary_endpoint(both: tuple[TrialAnalysis, AdamPackage]
                                                              ) -> None:
    from oncotrial.analysis.landmark import compare_landmark_survival

    result, adam = both
    t, e, a = _arrays(adam.adtte.where(PARAMCD="PFS"))
    mine = compare_landmark_survival(t, e, a, landmark=float(result.landmark_days),
                                     control=result.data.control_arm)
    assert (mine.difference, mine.lower, mine.upper, mine.p_value) == (
        result.pfs6.difference, result.pfs6.lower, result.pfs6.upper, result.pfs6.p_value)
