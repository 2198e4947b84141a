"""Run rpact's ``getSimulationSurvival`` on a scenario, with rpact's own conventions (reference runs).

Used by the cross-check tests and the benchmark; needs ``Rscript`` with the ``rpact`` package. Only
scenarios that rpact can express are accepted: deterministic accrual, alternating allocation, no
strata, exponential or piecewise-exponential arms (no cure), exponential dropout, event-driven
looks and the log-rank test. The scenario's z-bounds are written into the rpact design's
``criticalValues`` (which ``getSimulationSurvival`` passes to its C++ simulator unchanged).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from oncotrial.simulation.distributions import DistributionKind
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.scenario import AccrualTiming, AllocationMethod, CutKind, Scenario, StatTest

DROPOUT_TIME = 12.0


@dataclass(frozen=True)
class RpactResult:
    """rpact's simulated operating characteristics (``iterations`` trials)."""

    iterations: int
    reject_by_look: tuple[float, ...]
    futility_by_look: tuple[float, ...]
    reject: float
    expected_events: float
    expected_subjects: float
    analysis_time: tuple[float, ...]
    study_duration: float
    seconds: float


def rscript_with_rpact() -> str | None:
    """Path of an ``Rscript`` that can load rpact, or None."""
    path = shutil.which("Rscript")
    if path is None:
        return None
    ok = subprocess.run([path, "-e", "suppressPackageStartupMessages(library(rpact))"], capture_output=True)
    return path if ok.returncode == 0 else None


def _check(s: Scenario) -> None:
    arms = (s.control, s.experimental)
    ok = (s.accrual.timing is AccrualTiming.DETERMINISTIC
          and s.allocation.method is AllocationMethod.ALTERNATING and len(s.strata) == 1
          and s.analysis.cut is CutKind.EVENTS and s.analysis.primary is StatTest.LOGRANK
          and all(d.kind is not DistributionKind.WEIBULL and d.cure_fraction == 0 for d in arms)
          and s.control.starts == s.experimental.starts)
    if not ok:
        raise ScenarioError(s.name, "scenario", "a scenario rpact can simulate (deterministic accrual, "
                            "alternating "
                            "arms, no strata, (piecewise) exponential arms, event-driven log-rank looks)")


def _r_vector(values: tuple[float, ...] | list[float]) -> str:
    return "c(" + ", ".join(repr(float(v)) for v in values) + ")"


def rpact_script(s: Scenario, iterations: int, seed: int) -> str:
    """The R code that simulates ``s`` with rpact and prints the results."""
    _check(s)
    k = s.analysis.k_max
    c = list(s.bounds.efficacy)
    fut = [s.bounds.futility_at(j) for j in range(k - 1)]
    fut_r = _r_vector([f if math.isfinite(f) else -6.0 for f in fut]) if k > 1 else "NA"
    info = [x / s.analysis.looks[-1] for x in s.analysis.looks]
    pw = "" if len(s.control.starts) == 1 else f"piecewiseSurvivalTime = {_r_vector(s.control.starts)}, "
    drop = ", ".join(f"dropoutRate{i} = {1.0 - math.exp(-h * DROPOUT_TIME)!r}"
                     for i, h in ((1, s.dropout[1]), (2, s.dropout[0])))
    accrual = _r_vector([0.0, *s.accrual.ends])
    intensity = _r_vector([r * s.patients / sum(r * (e - b) for r, e, b in zip(
        s.accrual.rates, s.accrual.ends, (0.0, *s.accrual.ends[:-1]), strict=True)) for r in s.accrual.rates])
    # rpact's simulation reads design$criticalValues as they are, so the scenario's bounds are set there
    design = ("getDesignGroupSequential(kMax = 1, sided = 1)" if k == 1 else
              f"getDesignGroupSequential(kMax = {k}, informationRates = {_r_vector(info)}, sided = 1, "
              f"futilityBounds = {fut_r}, bindingFutility = FALSE)")
    return f"""
suppressPackageStartupMessages(library(rpact))
d <- {design}
d$criticalValues <- {_r_vector(c)}
t0 <- proc.time()[["elapsed"]]
sim <- getSimulationSurvival(design = d, {pw}lambda2 = {_r_vector(list(s.control.rates))},
  lambda1 = {_r_vector(list(s.experimental.rates))}, directionUpper = FALSE,
  accrualTime = {accrual}, accrualIntensity = {intensity}, maxNumberOfSubjects = {s.patients},
  plannedEvents = {_r_vector(list(s.analysis.looks))}, allocation1 = {s.allocation.ratio[0]},
  allocation2 = {s.allocation.ratio[1]}, {drop}, dropoutTime = {DROPOUT_TIME!r},
  maxNumberOfIterations = {iterations}, seed = {seed})
el <- proc.time()[["elapsed"]] - t0
v <- function(x) paste(sprintf("%.17g", x), collapse = ",")
cat("reject_by_look=", v(sim$rejectPerStage), "\\n", sep = "")
fut <- if (is.null(sim$futilityPerStage)) rep(0, {k}) else sim$futilityPerStage
cat("futility_by_look=", v(fut), "\\n", sep = "")
cat("reject=", v(sim$overallReject), "\\n", sep = "")
cat("expected_events=", v(sim$expectedNumberOfEvents), "\\n", sep = "")
cat("expected_subjects=", v(sim$expectedNumberOfSubjects), "\\n", sep = "")
cat("analysis_time=", v(sim$analysisTime), "\\n", sep = "")
cat("study_duration=", v(sim$studyDuration), "\\n", sep = "")
cat("seconds=", v(el), "\\n", sep = "")
"""


def run_rpact(s: Scenario, iterations: int, seed: int = 1, rscript: str | None = None,
              timeout: float = 900) -> RpactResult:
    """Simulate ``s`` with rpact; raises :class:`ScenarioError` when rpact cannot express it."""
    script = rpact_script(s, iterations, seed)
    exe = rscript or rscript_with_rpact()
    if exe is None:
        raise ScenarioError("Rscript", None, "R with the rpact package installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sim.R"
        path.write_text(script, "utf-8")
        run = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0:
        raise ScenarioError("rpact", run.stderr[-2000:], "a successful getSimulationSurvival run")
    out: dict[str, tuple[float, ...]] = {}
    for line in run.stdout.splitlines():
        if "=" in line:
            key, _, values = line.partition("=")
            out[key.strip()] = tuple(float(x) if x not in ("NA", "") else math.nan for x in values.split(","))
    return RpactResult(iterations, out["reject_by_look"], out["futility_by_look"], out["reject"][0],
                       out["expected_events"][0], out["expected_subjects"][0], out["analysis_time"],
                       out["study_duration"][0], out["seconds"][0])
