"""Statistical analysis of trial data, numerically identical to R ``survival``.

NumPy/SciPy/pandas implementations of the estimators a trial statistician double-programs
in R: Kaplan–Meier (``survfit``, ``quantile.survfit``, ``summary.survfit(times=)``),
log-rank and Fleming–Harrington tests (``survdiff``) and the landmark survival rate.
Builds on :mod:`oncotrial.core` only.
"""

from oncotrial.analysis.kaplan_meier import KaplanMeierFitter, confidence_band, fit_by_group
from oncotrial.analysis.landmark import LandmarkComparison, compare_landmark_survival
from oncotrial.analysis.logrank import LogRankResult, survdiff
from oncotrial.analysis.timefix import merge_near_ties

__all__ = [
    "KaplanMeierFitter",
    "LandmarkComparison",
    "LogRankResult",
    "compare_landmark_survival",
    "confidence_band",
    "fit_by_group",
    "merge_near_ties",
    "survdiff",
]
