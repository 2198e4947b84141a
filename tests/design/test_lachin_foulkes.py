"""Lachin–Foulkes (Biometrics 1986) patients and events, as gsDesign ``nSurvival`` computes them.

gsDesign is not packaged for Debian, so its convention is checked in two ways: (1) R evaluates the
``nSurvival`` formulas (``type = "rr"``: log hazard ratio; ``type = "rd"``: hazard difference, the
1986 paper's scale) with event probabilities from rpact's ``getEventProbabilities`` (numerical
integration, independent of our closed form), on gsDesign's documented example (hazards 0.2 vs 0.1
per year, dropout hazard 0.1, 0.5 years of accrual, 2 years in all) and on NCT07304388-like
settings; (2) without censoring the log-HR version reduces to Schoenfeld's events.
"""

from __future__ import annotations

import math

import pytest

from oncotrial.design.accrual import Accrual
from oncotrial.design.group_sequential import design_group_sequential
from oncotrial.design.specification import DesignSpec
from oncotrial.design.survival import (
    SurvivalMethod,
    events_fixed,
    lachin_foulkes_subjects,
    sample_size_survival,
)
from support.rscript import RScript

# (control hazard, hazard ratio, dropout hazard, accrual, total time, alpha, beta, sided)
CASES = ((0.2, 0.5, 0.1, 0.5, 2.0, 0.025, 0.1, 1),
         (math.log(2) / 10.2, 0.65, 0.005, 22.0, 34.0, 0.025, 0.2, 1),
         (math.log(2) / 8.0, 0.75, 0.0, 18.0, 30.0, 0.05, 0.1, 2))

R_FORMULA = """
pe <- function(lam, eta, R, T) {
  e <- getEventProbabilities(T, accrualTime = R, lambda1 = lam, lambda2 = lam, dropoutRate1 = 1 - exp(-eta),
    dropoutRate2 = 1 - exp(-eta), dropoutTime = 1, maxNumberOfSubjects = 1)
  e$overallEventProbabilities
}
lf <- function(lam2, hr, eta, R, T, alpha, beta, sided, rd) {
  lam1 <- hr * lam2; q1 <- 0.5; q2 <- 0.5; lbar <- q1 * lam1 + q2 * lam2
  p1 <- pe(lam1, eta, R, T); p2 <- pe(lam2, eta, R, T); pbar <- pe(lbar, eta, R, T)
  za <- qnorm(1 - alpha / sided); zb <- qnorm(1 - beta)
  if (rd) {
    root <- (za * lbar / sqrt(q1 * q2 * pbar) + zb * sqrt(lam1^2 / (q1 * p1) + lam2^2 / (q2 * p2))) /
      abs(lam1 - lam2)
  } else {
    root <- (za / sqrt(q1 * q2 * pbar) + zb * sqrt(1 / (q1 * p1) + 1 / (q2 * p2))) / abs(log(hr))
  }
  n <- root^2
  c(n, n * (q1 * p1 + q2 * p2))
}
"""


@pytest.fixture(scope="module")
def reference(rpact: RScript) -> dict[str, list[float]]:
    calls = [f'emit("lf{i}{rd}", lf({c[0]!r}, {c[1]}, {c[2]}, {c[3]}, {c[4]}, {c[5]}, {c[6]}, {c[7]}, {rd}))'
             for i, c in enumerate(CASES) for rd in ("FALSE", "TRUE")]
    return rpact.run(R_FORMULA + "\n".join(calls) + "\n")


@pytest.mark.parametrize("index", range(len(CASES)))
@pytest.mark.parametrize("difference", [False, True], ids=["log-hr", "hazard-difference"])
def test_lachin_foulkes_patients_and_events_match_the_gsdesign_formula_in_r(reference, index, difference):
    lam2, hr, eta, accrual_time, total, alpha, beta, sided = CASES[index]
    accrual = Accrual(accrual_time, total - accrual_time, 1.0, eta, eta)
    design = design_group_sequential(DesignSpec(k_max=1, alpha=alpha, beta=beta, sided=sided))
    method = SurvivalMethod.LACHIN_FOULKES_DIFFERENCE if difference else SurvivalMethod.LACHIN_FOULKES
    size = sample_size_survival(design, lam2, hr, accrual, method)
    n_ref, events_ref = reference[f"lf{index}{'TRUE' if difference else 'FALSE'}"]
    assert size.max_subjects == pytest.approx(n_ref, rel=1e-6)
    assert size.max_events == pytest.approx(events_ref, rel=1e-6)


def test_without_censoring_lachin_foulkes_log_hr_needs_schoenfeld_events():
    accrual = Accrual(1e-6, 1e6, 2.0)
    n = lachin_foulkes_subjects(0.1, 0.7, accrual, 0.025, 0.2)
    assert n == pytest.approx(events_fixed(0.7, 0.025, 0.2, allocation_ratio=2.0), rel=1e-9)


def test_lachin_foulkes_group_sequential_inflates_patients_by_the_inflation_factor():
    accrual = Accrual(22.0, 12.0)
    fixed = sample_size_survival(design_group_sequential(DesignSpec(k_max=1)), 0.07, 0.65, accrual,
                                 SurvivalMethod.LACHIN_FOULKES)
    gs = sample_size_survival(design_group_sequential(DesignSpec(k_max=3)), 0.07, 0.65, accrual,
                              SurvivalMethod.LACHIN_FOULKES)
    assert gs.max_subjects == pytest.approx(fixed.max_subjects * gs.inflation_factor, rel=1e-12)
    assert gs.events_per_stage[0] == pytest.approx(gs.max_events / 3, rel=1e-12)
