"""Events, patients, analysis times and rate sample sizes equal rpact's (one R batch per module).

Survival: ``getSampleSizeSurvival`` with ``typeOfComputation`` Schoenfeld, Freedman and
HsiehFreedman, uniform accrual (``accrualTime`` = one duration), ``followUpTime``, exponential
dropout (``dropoutRate``/``dropoutTime``), allocation ratios 1, 2 and 0.5, one- and two-sided, fixed
and group sequential designs (with beta-spending futility). Rates: ``getSampleSizeRates`` and
``getPowerRates`` (normal approximation; rpact's Farrington–Manning variance is the pooled one for
``thetaH0 = 0``). Event probabilities: ``getEventProbabilities`` at times inside and after accrual.
All to 1e-6 (relative); rpact finds analysis times to 1e-6, so those are compared to 1e-5.
"""

from __future__ import annotations

import math
from itertools import product

import pytest

from oncotrial.design.accrual import Accrual, dropout_hazard
from oncotrial.design.group_sequential import design_group_sequential
from oncotrial.design.rates import power_rates, sample_size_rates
from oncotrial.design.specification import BetaSpendingType, DesignSpec, DesignType
from oncotrial.design.survival import SurvivalMethod, sample_size_survival
from support.rscript import RScript

DESIGNS = (
    DesignSpec(k_max=1, alpha=0.025, beta=0.2),
    DesignSpec(k_max=1, alpha=0.05, beta=0.1, sided=2),
    DesignSpec(k_max=3, alpha=0.025, beta=0.2, type_of_design=DesignType.AS_OF,
               beta_spending=BetaSpendingType.BS_OF),
    DesignSpec(k_max=2, alpha=0.05, beta=0.2, sided=2, type_of_design=DesignType.P,
               information_rates=(0.6, 1.0)),
)
METHODS = (SurvivalMethod.SCHOENFELD, SurvivalMethod.FREEDMAN, SurvivalMethod.HSIEH_FREEDMAN)
# (hazard ratio, control median, accrual, follow-up, allocation, dropout proportion at 12)
SCENARIOS = ((0.65, 10.2, 22.0, 12.0, 1.0, 0.0), (0.7, 8.63, 18.0, 6.0, 2.0, 0.05),
             (0.6, 6.0, 24.0, 18.0, 0.5, 0.1))
SURVIVAL = list(product(range(len(DESIGNS)), METHODS, range(len(SCENARIOS))))
RATES = list(product(range(len(DESIGNS)), ((0.78, 0.66, 1.0), (0.8, 0.6, 2.0), (0.62, 0.75, 1.0))))


def _r_design(spec: DesignSpec) -> str:
    rates = ", ".join(repr(t) for t in spec.rates)
    extra = ""
    if spec.beta_spending is not BetaSpendingType.NONE:
        extra = f', typeBetaSpending = "{spec.beta_spending.value}"'
    return (f"getDesignGroupSequential(kMax = {spec.k_max}L, alpha = {spec.alpha}, beta = {spec.beta}, "
            f"sided = {spec.sided}, informationRates = c({rates}), "
            f'typeOfDesign = "{spec.type_of_design.value}"{extra})')


def _script() -> str:
    out = [f"D{j} <- suppressWarnings({_r_design(s)})" for j, s in enumerate(DESIGNS)]
    for i, (j, method, s) in enumerate(SURVIVAL):
        hr, median, accrual, follow, ratio, drop = SCENARIOS[s]
        out.append(f"""s <- suppressWarnings(getSampleSizeSurvival(D{j}, typeOfComputation = "{method.value}",
  lambda2 = log(2) / {median}, hazardRatio = {hr}, accrualTime = {accrual}, followUpTime = {follow},
  allocationRatioPlanned = {ratio}, dropoutRate1 = {drop}, dropoutRate2 = {drop}, dropoutTime = 12))
emit("ev{i}", s$eventsPerStage); emit("n{i}", s$maxNumberOfSubjects); emit("t{i}", s$analysisTime)
emit("x{i}", c(s$expectedEventsH0, s$expectedEventsH01, s$expectedEventsH1))
if ({j} > 1) emit("h{i}", c(s$expectedNumberOfSubjectsH1, s$studyDuration))""")
    for i, (j, (p1, p2, ratio)) in enumerate(RATES):
        out.append(f"""r <- suppressWarnings(getSampleSizeRates(D{j}, pi1 = {p1}, pi2 = {p2},
  allocationRatioPlanned = {ratio}))
emit("rn{i}", c(r$maxNumberOfSubjects, r$expectedNumberOfSubjectsH0, r$expectedNumberOfSubjectsH1))
p <- suppressWarnings(getPowerRates(D{j}, pi1 = {p1}, pi2 = {p2}, maxNumberOfSubjects = 120,
  allocationRatioPlanned = {ratio}, directionUpper = {"TRUE" if p1 > p2 else "FALSE"}))
emit("rp{i}", p$overallReject)""")
    out.append("""for (x in c(3, 12, 22, 30)) {
  e <- getEventProbabilities(x, accrualTime = 22, lambda1 = 0.7 * log(2) / 9, lambda2 = log(2) / 9,
    dropoutRate1 = 0.1, dropoutRate2 = 0.05, dropoutTime = 12, allocationRatioPlanned = 2,
    maxNumberOfSubjects = 100)
  emit(paste0("ep", x), e$overallEventProbabilities)
}""")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def reference(rpact: RScript) -> dict[str, list[float]]:
    return rpact.run(_script())


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(1.0, abs(b))


@pytest.mark.parametrize("index", range(len(SURVIVAL)), ids=lambda i: f"survival{i}")
def test_survival_events_patients_and_times_equal_rpact(reference, index):
    j, method, s = SURVIVAL[index]
    hr, median, accrual_time, follow, ratio, drop = SCENARIOS[s]
    hazard = dropout_hazard(drop, 12.0)
    accrual = Accrual(accrual_time, follow, ratio, hazard, hazard)
    design = design_group_sequential(DESIGNS[j])
    size = sample_size_survival(design, math.log(2) / median, hr, accrual, method)
    assert max(map(_rel, size.events_per_stage, reference[f"ev{index}"])) < 1e-6
    assert _rel(size.max_subjects, reference[f"n{index}"][0]) < 1e-6
    assert max(map(_rel, size.analysis_times, reference[f"t{index}"])) < 1e-5
    ours = (size.expected_events_h0, size.expected_events_h01, size.expected_events_h1)
    if DESIGNS[j].k_max > 1:
        assert max(map(_rel, ours, reference[f"x{index}"])) < 1e-6
        assert _rel(size.expected_subjects_h1, reference[f"h{index}"][0]) < 1e-5
        assert _rel(size.study_duration_h1, reference[f"h{index}"][1]) < 1e-5


@pytest.mark.parametrize("index", range(len(RATES)), ids=lambda i: f"rates{i}")
def test_rates_sample_size_and_power_equal_rpact(reference, index):
    j, (p1, p2, ratio) = RATES[index]
    design = design_group_sequential(DESIGNS[j])
    size = sample_size_rates(design, p1, p2, ratio)
    ours = (size.max_subjects, size.expected_subjects_h0, size.expected_subjects_h1)
    expected = reference[f"rn{index}"]
    assert _rel(ours[0], expected[0]) < 1e-6
    if DESIGNS[j].k_max > 1:
        assert max(map(_rel, ours, expected)) < 1e-6
    assert abs(power_rates(design, p1, p2, 120, ratio) - reference[f"rp{index}"][0]) < 1e-6


@pytest.mark.parametrize("time", [3, 12, 22, 30])
def test_event_probability_with_accrual_and_unequal_dropout_equals_rpact(reference, time):
    accrual = Accrual(22.0, 8.0, 2.0, dropout_hazard(0.1, 12), dropout_hazard(0.05, 12))
    lam2 = math.log(2) / 9
    ours = accrual.event_fraction(0.7 * lam2, lam2, time)
    assert abs(ours - reference[f"ep{time}"][0]) < 1e-8
