"""Per-trial statistics of the kernels equal R ``survival`` (and ``oncotrial.analysis``) on sampled trials.

A few trials are simulated with every test switched on; their patient-level data at each look
are rebuilt from the NumPy generator and analysed by R (``survdiff``, stratified ``survdiff``,
``survdiff(rho = 1)``, ``coxph``, ``summary(survfit, times =)``, ``rmean``, ``prop.test``).
Without R these comparisons skip locally and fail on CI (``CI=true``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from oncotrial.analysis.logrank import survdiff
from oncotrial.simulation.model import TrialModel, compile_scenario
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario_reader import parse_scenario
from oncotrial.simulation.trial_block import TrialBlock

TESTS = ["logrank", "stratified_logrank", "fleming_harrington", "landmark_km", "landmark_binary", "cox",
         "rmst"]
SCENARIO: dict[str, Any] = {
    "name": "match-r", "patients": 120, "seed": 99,
    "accrual": {"duration": 22, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "strata": [{"name": "a", "prevalence": 0.4, "hazard_multiplier": 0.8},
               {"name": "b", "prevalence": 0.6, "hazard_multiplier": 1.3}],
    "control": {"distribution": "exponential", "survival": {"at": 6, "probability": 0.665}},
    "experimental": {"distribution": "exponential", "survival": {"at": 6, "probability": 0.78}},
    "dropout": {"probability": 0.1, "by": 12},
    "analysis": {"cut": "events", "looks": [35, 70], "tests": TESTS, "landmark": 6, "rmst_tau": 9,
                 "fleming_harrington": {"rho": 1, "gamma": 0}},
    "bounds": {"efficacy": [9.0, 9.0]},  # never stop: every look is analysed
}
TRIALS = [3, 17, 42, 256, 1001]


def _rscript() -> str | None:
    path = shutil.which("Rscript")
    if path is None:
        return None
    probe = "suppressPackageStartupMessages(library(survival))"
    ok = subprocess.run([path, "-e", probe], capture_output=True)
    return path if ok.returncode == 0 else None


def _need_r() -> str:
    path = _rscript()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("R with the survival package is required on CI (make test installs it)")
        pytest.skip("R with the survival package is not installed")
    return path


@pytest.fixture(scope="module")
def simulated() -> tuple[TrialModel, TrialBlock, pd.DataFrame]:
    model = compile_scenario(parse_scenario(SCENARIO))
    trials = np.array(TRIALS, dtype=np.int64)
    blocks = [simulate_block(model, int(t), 1, "numba") for t in trials]
    p = generate_patients(model, trials)
    rows = []
    for r, t in enumerate(trials):
        for k in range(model.k_max):
            cut = blocks[r].time[0, k]
            inc = p.entry[r] <= cut
            x = np.minimum(np.minimum(p.event_time[r], p.dropout_time[r]), cut - p.entry[r])[inc]
            rows.append(pd.DataFrame({"trial": int(t), "look": k, "time": x,
                                      "status": (p.calendar[r] <= cut)[inc].astype(int),
                                      "arm": p.arm[r][inc], "stratum": p.stratum[r][inc]}))
    block = TrialBlock(0, *(np.concatenate([getattr(b, f) for b in blocks]) for f in
                            ("stop", "decision", "z", "estimate", "time", "events", "enrolled", "short")))
    return model, block, pd.concat(rows, ignore_index=True)


def _ours(block: TrialBlock, test: str) -> np.ndarray:
    return block.z[:, :, TESTS.index(test)].ravel()


def test_kernel_logrank_equals_oncotrial_analysis_survdiff(simulated) -> None:
    _, block, data = simulated
    for (trial, look), d in data.groupby(["trial", "look"]):
        r = survdiff(d.time.to_numpy(), d.status.to_numpy(), d.arm.to_numpy())
        oe = r.observed[1] - r.expected[1]
        z = -oe / np.sqrt(r.variance[1, 1])
        row = TRIALS.index(trial)
        assert block.z[row, look, 0] == pytest.approx(z, abs=1e-10)
        rs = survdiff(d.time.to_numpy(), d.status.to_numpy(), d.arm.to_numpy(), strata=d.stratum.to_numpy())
        zs = -(rs.observed[1] - rs.expected[1]) / np.sqrt(rs.variance[1, 1])
        assert block.z[row, look, 1] == pytest.approx(zs, abs=1e-10)
        assert block.events[row, look] == d.status.sum() and block.enrolled[row, look] == len(d)


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
d <- read.csv("data.csv")
d$time <- as.numeric(d$time)
out <- do.call(rbind, lapply(split(d, list(d$trial, d$look), drop = TRUE), function(x) {
  z <- function(sd) {  # O and E are (group x stratum) matrices when stratified
    oe <- sum(as.matrix(sd$obs)[2, ]) - sum(as.matrix(sd$exp)[2, ])
    -oe / sqrt(sd$var[2, 2]) }
  lr <- survdiff(Surv(time, status) ~ arm, data = x)
  st <- survdiff(Surv(time, status) ~ arm + strata(stratum), data = x)
  fh <- survdiff(Surv(time, status) ~ arm, data = x, rho = 1)
  cx <- coxph(Surv(time, status) ~ arm, data = x, control = coxph.control(eps = 1e-14, iter.max = 100))
  fit <- survfit(Surv(time, status) ~ arm, data = x)
  s6 <- summary(fit, times = 6)
  tab <- summary(fit, rmean = 9)$table
  succ <- tapply(x$time >= 6 & !(x$status == 1 & x$time <= 6), x$arm, sum)
  eva <- tapply((x$status == 1 & x$time <= 6) | x$time >= 6, x$arm, sum)
  pt <- prop.test(succ[c("1", "0")], eva[c("1", "0")], correct = FALSE)
  data.frame(trial = x$trial[1], look = x$look[1], logrank = z(lr), stratified_logrank = z(st),
             fleming_harrington = z(fh), cox = -coef(cx) / sqrt(vcov(cx)[1, 1]),
             landmark_km = (s6$surv[2] - s6$surv[1]) / sqrt(s6$std.err[2]^2 + s6$std.err[1]^2),
             rmst = (tab[2, "rmean"] - tab[1, "rmean"]) / sqrt(tab[2, "se(rmean)"]^2 + tab[1, "se(rmean)"]^2),
             landmark_binary = sign(pt$estimate[1] - pt$estimate[2]) * sqrt(pt$statistic))
}))
write.csv(out, "out.csv", row.names = FALSE)
"""


def test_every_kernel_statistic_equals_r_survival(simulated, tmp_path: Path) -> None:
    rscript = _need_r()
    _, block, data = simulated
    data.assign(time=[float(t).hex() for t in data.time]).to_csv(tmp_path / "data.csv", index=False)
    (tmp_path / "run.R").write_text(R_SCRIPT)
    run = subprocess.run([rscript, "run.R"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    r = pd.read_csv(tmp_path / "out.csv").sort_values(["trial", "look"])
    order = [(t, k) for t in TRIALS for k in range(2)]
    r = r.set_index(["trial", "look"]).loc[order]
    tolerance = {"logrank": 1e-10, "stratified_logrank": 1e-10, "fleming_harrington": 1e-10, "cox": 1e-8,
                 "landmark_km": 1e-10, "rmst": 1e-9, "landmark_binary": 1e-10}
    for test, tol in tolerance.items():
        assert _ours(block, test) == pytest.approx(r[test].to_numpy(), abs=tol), test
