"""Response rates (ORR, DCR): one-sample intervals, differences, Fisher's exact test and stratified CMH.

The public entry point for binary endpoints; each estimator lives in its own module:

* :func:`binomial_ci`: Clopper–Pearson, Wilson and corrected Wilson intervals
  (R ``binom.test``, ``prop.test``; :mod:`~oncotrial.analysis.proportions_one_sample`);
* :func:`risk_difference_ci`: Newcombe hybrid score and Miettinen–Nurminen intervals for a difference
  (Newcombe 1998, Table II; SAS ``RISKDIFF``; :mod:`~oncotrial.analysis.proportions_difference`);
* :func:`fisher_exact`: Fisher's exact test with the conditional MLE odds ratio
  (R ``fisher.test``; :mod:`~oncotrial.analysis.proportions_fisher`);
* :func:`mantel_haenszel`: stratified Cochran–Mantel–Haenszel test and common odds ratio
  (R ``mantelhaen.test``; :mod:`~oncotrial.analysis.proportions_cmh`).

Each returns a result object with a ``summary`` DataFrame and ``to_text``/``to_html`` renderings.
"""

from __future__ import annotations

from oncotrial.analysis.proportions_cmh import MantelHaenszelResult, mantel_haenszel
from oncotrial.analysis.proportions_difference import (
    DIFFERENCE_METHODS,
    RiskDifference,
    difference_interval,
    miettinen_nurminen_interval,
    miettinen_nurminen_z,
    newcombe_interval,
    restricted_mle,
    risk_difference_ci,
)
from oncotrial.analysis.proportions_fisher import FisherExactResult, fisher_exact
from oncotrial.analysis.proportions_one_sample import (
    ONE_SAMPLE_METHODS,
    ProportionEstimate,
    binomial_ci,
    clopper_pearson_interval,
    proportion_interval,
    wilson_interval,
)

__all__ = [
    "DIFFERENCE_METHODS",
    "ONE_SAMPLE_METHODS",
    "FisherExactResult",
    "MantelHaenszelResult",
    "ProportionEstimate",
    "RiskDifference",
    "binomial_ci",
    "clopper_pearson_interval",
    "difference_interval",
    "fisher_exact",
    "mantel_haenszel",
    "miettinen_nurminen_interval",
    "miettinen_nurminen_z",
    "newcombe_interval",
    "proportion_interval",
    "restricted_mle",
    "risk_difference_ci",
    "wilson_interval",
]
