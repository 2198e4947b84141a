"""The whole-trial analysis reports the same numbers as R on its own ADTTE rows.

The endpoint rows derived from a SIMULATED trial file are handed to R (survival), and
the report's PFS 6-month rates, log-rank, stratified log-rank, Cox HR and OS log-rank
must equal R's to 1e-9 relative.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from oncotrial.analysis.trial_analysis import analyze_trial
from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.protocol_files import load_default_protocol
from oncotrial.simulation.trial_outcomes import simulated_trial

R_SCRIPT = r"""
pfs <- read_hex("pfs.csv"); os <- read_hex("os.csv")
s <- summary(survfit(Surv(time, event) ~ arm, data = pfs), times = 183)
lm <- data.frame(arm = sub("arm=", "", as.character(s$strata)), surv = s$surv)
lr <- survdiff(Surv(time, event) ~ arm, data = pfs)
slr <- survdiff(Surv(time, event) ~ arm + strata(stratum), data = pfs)
cx <- coxph(Surv(time, event) ~ treated, data = pfs, ties = "efron")
olr <- survdiff(Surv(time, event) ~ arm, data = os)
write_hex(lm, "landmark.csv")
write_hex(data.frame(pfs_chisq = lr$chisq, pfs_strat_chisq = slr$chisq,
                     hr = exp(unname(coef(cx))), os_chisq = olr$chisq), "tests.csv")
"""


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    return analyze_trial(trial_data_from_mapping(simulated_trial(patients=120, seed=11)),
                         protocol=load_default_protocol())


def _rows(endpoint, experimental: str, strata: dict[str, str]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return pd.DataFrame({
        "time": [float(r.time_days) for r in endpoint.rows],
        "event": [int(r.event) for r in endpoint.rows],
        "arm": [r.arm for r in endpoint.rows],
        "treated": [int(r.arm == experimental) for r in endpoint.rows],
        "stratum": [strata[r.patient_id] for r in endpoint.rows],
    })


def test_report_values_equal_r_survival(analysis, r_session):
    strata = {p.patient_id: f"{p.attributes['extrahepatic_metastasis']};{p.attributes['ecog']}"
              for p in analysis.data.patients}
    out = r_session.run(R_SCRIPT, {"pfs": _rows(analysis.pfs, analysis.experimental, strata),
                                   "os": _rows(analysis.os, analysis.experimental, strata)})
    landmark = out["landmark"].set_index("arm")["surv"]
    for arm, row in analysis.pfs6.arms.iterrows():
        assert math.isclose(row["survival"], landmark[arm], rel_tol=1e-9)
    tests = out["tests"].iloc[0]
    assert math.isclose(analysis.pfs.logrank.chisq, tests["pfs_chisq"], rel_tol=1e-9)
    assert analysis.pfs.stratified_logrank is not None
    assert math.isclose(analysis.pfs.stratified_logrank.chisq, tests["pfs_strat_chisq"], rel_tol=1e-9)
    assert math.isclose(float(analysis.pfs.cox.hazard_ratios_.iloc[0]), tests["hr"], rel_tol=1e-6)
    assert math.isclose(analysis.os.logrank.chisq, tests["os_chisq"], rel_tol=1e-9)


def test_binary_sensitivity_accounts_for_every_patient(analysis):
    b = analysis.pfs6_binary
    assert (b["progression_free"] + b["progressed_or_died"] + b["censored_before_landmark"]
            == b["n"]).all()
    assert b["n"].sum() == 120


def test_populations_and_rates_are_consistent(analysis):
    assert analysis.populations == {"ITT": 120, "per-protocol": 120, "safety": 120}
    orr = next(r for r in analysis.rates if r.name == "ORR" and r.criterion.value == "RECIST 1.1")
    dcr = next(r for r in analysis.rates if r.name == "DCR" and r.criterion.value == "RECIST 1.1")
    assert (orr.counts["responders"] <= dcr.counts["responders"]).all()
