"""Every number of the report, read back from its ``data-stat`` attributes, equals the analysis.

The reference is :func:`analyze_trial` called directly on the same trial (and, for the
stratified Cox HR, CoxPH fitted here on strata built by this test, and R ``coxph``);
baseline counts are counted here from the inputs.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.cox import CoxPH
from oncotrial.analysis.trial_analysis import TrialAnalysis, analyze_trial
from oncotrial.protocol_files import load_default_protocol

ARMS = {"HAIC": "haic", "GEMOX": "gemox"}


def same(actual: float | str, expected: float) -> bool:
    """Equal to the last bit; both not estimable (NaN) counts as equal."""
    assert isinstance(actual, float), actual
    if expected is None or math.isnan(float(expected)):
        return math.isnan(actual)
    return actual == float(expected)


@pytest.fixture(scope="module")
def analysis(inputs) -> TrialAnalysis:  # type: ignore[no-untyped-def]
    data, _ = inputs
    return analyze_trial(data, protocol=load_default_protocol())


def test_no_number_is_keyed_twice(report_html, stat_reader) -> None:  # type: ignore[no-untyped-def]
    reader = stat_reader()
    reader.feed(report_html)
    assert reader.duplicates == []
    assert len(reader.values) > 300


def test_the_primary_endpoint_is_the_analysis_km_landmark_comparison(stats, analysis) -> None:  # type: ignore[no-untyped-def]
    lm = analysis.pfs6
    for arm, row in lm.arms.iterrows():
        k = f"pfs6.{ARMS[arm]}"
        assert same(stats[f"{k}.rate"], row["survival"])
        assert same(stats[f"{k}.rate.lower"], row["lower_loglog"])
        assert same(stats[f"{k}.rate.upper"], row["upper_loglog"])
        assert same(stats[f"{k}.rate_log.lower"], row["lower_log"])
        assert same(stats[f"{k}.n_risk"], row["n_risk"])
    assert same(stats["pfs6.difference"], lm.difference)
    assert same(stats["pfs6.difference.lower"], lm.lower)
    assert same(stats["pfs6.difference.upper"], lm.upper)
    assert same(stats["pfs6.p"], lm.p_value)
    assert stats["landmark_days"] == 183.0


def test_the_binary_sensitivity_analysis_is_the_analysis_table(stats, analysis) -> None:  # type: ignore[no-untyped-def]
    for r in analysis.pfs6_binary.itertuples():
        k = f"pfs6_binary.{ARMS[r.arm]}"
        assert same(stats[f"{k}.progression_free"], r.progression_free)
        assert same(stats[f"{k}.censored_before_landmark"], r.censored_before_landmark)
        assert same(stats[f"{k}.rate_censored_as_failure"], r.rate_censored_as_failure)
        assert same(stats[f"{k}.rate_censored_as_failure.upper"], r.upper_censored_as_failure)
        assert same(stats[f"{k}.rate_excluding_censored"], r.rate_excluding_censored)
    difference = analysis.rmst.contrasts.loc["RMST difference"]
    assert same(stats["rmst.difference"], difference["estimate"])
    assert same(stats["rmst.difference.p"], difference["p"])


@pytest.mark.parametrize("key", ["pfs", "pfs_mrecist", "os"])
def test_survival_medians_log_rank_and_hazard_ratios_are_the_analysis(stats, analysis, key) -> None:  # type: ignore[no-untyped-def]
    endpoint = {"pfs": analysis.pfs, "pfs_mrecist": analysis.pfs_mrecist, "os": analysis.os}[key]
    for r in endpoint.medians.itertuples():
        k = f"{key}.{ARMS[r.arm]}"
        assert same(stats[f"{k}.events"], r.events)
        assert same(stats[f"{k}.median"], r.median_months)
        assert same(stats[f"{k}.median.lower"], r.lower)
        assert same(stats[f"{k}.median.upper"], r.upper)
    assert same(stats[f"{key}.logrank.chisq"], endpoint.logrank.chisq)
    assert same(stats[f"{key}.logrank.p"], endpoint.logrank.p_value)
    assert endpoint.stratified_logrank is not None
    assert same(stats[f"{key}.stratified_logrank.p"], endpoint.stratified_logrank.p_value)
    assert same(stats[f"{key}.cox.hr"], endpoint.cox.hazard_ratios_.iloc[0])
    assert same(stats[f"{key}.cox.hr.lower"], endpoint.cox.confidence_intervals_.iloc[0, 0])


def _stratified_inputs(inputs, endpoint, experimental):  # type: ignore[no-untyped-def]
    data, _ = inputs
    attrs = {p.patient_id: p.attributes for p in data.patients}
    return pd.DataFrame(
        {
            "time": [float(r.time_days) for r in endpoint.rows],
            "event": [int(r.event) for r in endpoint.rows],
            "treated": [float(r.arm == experimental) for r in endpoint.rows],
            "stratum": [
                f"{attrs[r.patient_id]['extrahepatic_metastasis']}/{attrs[r.patient_id]['ecog']}"
                for r in endpoint.rows
            ],
        }
    )


@pytest.mark.parametrize("key", ["pfs", "os"])
def test_the_stratified_hazard_ratio_is_cox_with_the_randomization_strata(
    stats, inputs, analysis, key
) -> None:  # type: ignore[no-untyped-def]
    endpoint = analysis.pfs if key == "pfs" else analysis.os
    frame = _stratified_inputs(inputs, endpoint, analysis.experimental)
    fit = CoxPH(ties="efron").fit(
        frame["time"].to_numpy(), frame["event"].to_numpy(), frame[["treated"]], strata=list(frame["stratum"])
    )
    assert math.isclose(stats[f"{key}.stratified_cox.hr"], fit.hazard_ratios_.iloc[0], rel_tol=1e-12)
    unstratified = endpoint.cox.hazard_ratios_.iloc[0]
    assert stats[f"{key}.stratified_cox.hr"] != unstratified  # really stratified


def test_the_stratified_hazard_ratio_equals_r_coxph(stats, inputs, analysis, r_session) -> None:  # type: ignore[no-untyped-def]
    frame = _stratified_inputs(inputs, analysis.pfs, analysis.experimental)
    out = r_session.run(
        'd <- read_hex("pfs.csv")\n'
        'f <- coxph(Surv(time, event) ~ treated + strata(stratum), data = d, ties = "efron")\n'
        "write_hex(data.frame(hr = exp(unname(coef(f))), lower = exp(confint(f))[1],\n"
        '                     upper = exp(confint(f))[2]), "hr.csv")\n',
        {"pfs": frame},
    )
    r = out["hr"].iloc[0]
    assert math.isclose(stats["pfs.stratified_cox.hr"], r["hr"], rel_tol=1e-9)
    assert math.isclose(stats["pfs.stratified_cox.hr.lower"], r["lower"], rel_tol=1e-9)
    assert math.isclose(stats["pfs.stratified_cox.hr.upper"], r["upper"], rel_tol=1e-9)


def test_response_rates_differences_and_dor_are_the_analysis(stats, analysis) -> None:  # type: ignore[no-untyped-def]
    assert len(analysis.rates) == 4
    for rate in analysis.rates:
        k0 = f"{rate.name.lower()}.{'recist' if rate.criterion.value == 'RECIST 1.1' else 'mrecist'}"
        for r in rate.counts.itertuples():
            assert same(stats[f"{k0}.{ARMS[r.arm]}.responders"], r.responders)
            assert same(stats[f"{k0}.{ARMS[r.arm]}.rate"], r.rate)
            assert same(stats[f"{k0}.{ARMS[r.arm]}.rate.lower"], r.lower)
        assert same(stats[f"{k0}.difference"], rate.difference.difference)
        assert same(stats[f"{k0}.difference.upper"], rate.difference.upper)
        assert same(stats[f"{k0}.fisher_p"], rate.fisher.p_value)
        assert same(stats[f"{k0}.cmh_p"], rate.cmh.p_value)
    for r in analysis.dor.itertuples():
        assert same(stats[f"dor.{ARMS[r.arm]}.n"], r.n)
        assert same(stats[f"dor.{ARMS[r.arm]}.median"], r.median_months)


def test_subgroup_hazard_ratios_are_the_analysis_plus_sex_and_age(stats, analysis) -> None:  # type: ignore[no-untyped-def]
    ecog0 = analysis.subgroups.query("subgroup == 'ECOG' and level == '0'").iloc[0]
    assert same(stats["subgroup.ecog.0.hr"], ecog0["hr"])
    assert same(stats["subgroup.ecog.0.n"], ecog0["n"])
    hbv = analysis.subgroups.query("subgroup == 'HBV' and level == 'HBsAg+'").iloc[0]
    assert same(stats["subgroup.hbv.hbsag_pos.hr.upper"], hbv["upper"])
    assert stats["subgroup.sex.female.n"] + stats["subgroup.sex.male.n"] == 120
    assert stats["subgroup.age_group.lt_65_years.n"] + stats["subgroup.age_group.ge_65_years.n"] == 120


def test_baseline_counts_and_medians_are_those_of_the_inputs(stats, inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    arm = {p.patient_id: p.arm for p in data.patients}
    sex = Counter((arm[b.patient_id], b.sex) for b in extras.baseline)
    assert stats["baseline.sex.female.haic"] == sex[("HAIC", "Female")]
    assert stats["baseline.sex.male.gemox"] == sex[("GEMOX", "Male")]
    assert math.isclose(stats["baseline.sex.male.gemox.pct"], sex[("GEMOX", "Male")] / 60)
    ages = [b.age_years for b in extras.baseline if arm[b.patient_id] == "HAIC"]
    assert stats["baseline.age.haic.median"] == float(np.median(ages))
    cp_b = sum(1 for b in extras.baseline if arm[b.patient_id] == "GEMOX" and b.child_pugh_class == "B")
    assert stats["baseline.child_pugh.b.gemox"] == cp_b


def test_safety_exposure_and_populations_are_the_analysis(stats, analysis) -> None:  # type: ignore[no-untyped-def]
    for s in analysis.safety:
        k = f"safety.{ARMS[s.arm]}"
        assert stats[f"{k}.patients"] == s.patients
        assert stats[f"{k}.grade_3_or_more"] == s.grade_3_or_more
        assert stats[f"{k}.serious"] == s.serious
        assert stats[f"{k}.fatal"] == s.fatal
        assert stats[f"{k}.deaths"] == s.deaths
        assert stats[f"{k}.haic_procedure_complications"] == s.haic_procedure_complications
        for t in s.terms:
            term = t.term.lower().replace(" ", "_").replace("-", "_neg_")
            assert stats[f"safety.term.{term}.{ARMS[s.arm]}.any"] == t.patients_any_grade
            assert stats[f"safety.term.{term}.{ARMS[s.arm]}.grade3plus"] == t.patients_grade_3_or_more
    for r in analysis.dose_intensity.itertuples():
        assert same(stats[f"exposure.{ARMS[r.arm]}.{r.drug}.median_rdi"], r.median_rdi)
    assert stats["population.itt"] == analysis.populations["ITT"]
    assert stats["population.safety"] == analysis.populations["safety"]
    assert stats["data_cutoff"] == "2025-06-01"


def test_numbers_at_risk_are_those_of_the_kaplan_meier_fit(stats, analysis) -> None:  # type: ignore[no-untyped-def]
    for arm in ARMS:
        months = np.array([r.time_days / 30.4375 for r in analysis.pfs.rows if r.arm == arm])
        for tick in (0, 3, 6, 9):
            assert stats[f"pfs.at_risk.{ARMS[arm]}.{tick}"] == int((months >= tick).sum())
