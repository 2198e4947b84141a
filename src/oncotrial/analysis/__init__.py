"""Statistical analysis of trial data, numerically identical to R ``survival``.

NumPy/SciPy/pandas implementations of the estimators a trial statistician double-programs
in R: Kaplan–Meier (``survfit``, ``quantile.survfit``, ``summary.survfit(times=)``),
log-rank and Fleming–Harrington tests (``survdiff``), the landmark survival rate, Cox
(``coxph``), RMST, and response-rate statistics (``binom.test``, ``prop.test``,
``fisher.test``, ``mantelhaen.test``, Newcombe, Miettinen–Nurminen).
Builds on :mod:`oncotrial.core` only.
"""

from oncotrial.analysis.cox import CoxPH
from oncotrial.analysis.kaplan_meier import KaplanMeierFitter, confidence_band, fit_by_group
from oncotrial.analysis.landmark import LandmarkComparison, compare_landmark_survival
from oncotrial.analysis.logrank import LogRankResult, survdiff
from oncotrial.analysis.proportions import (
    binomial_ci,
    fisher_exact,
    mantel_haenszel,
    risk_difference_ci,
)
from oncotrial.analysis.rmst import compare_rmst, rmst_by_group
from oncotrial.analysis.timefix import merge_near_ties

__all__ = [
    "CoxPH",
    "KaplanMeierFitter",
    "LandmarkComparison",
    "LogRankResult",
    "binomial_ci",
    "compare_landmark_survival",
    "compare_rmst",
    "confidence_band",
    "fisher_exact",
    "fit_by_group",
    "mantel_haenszel",
    "merge_near_ties",
    "risk_difference_ci",
    "rmst_by_group",
    "survdiff",
]
