"""Randomization: stratified permuted blocks, Pocock–Simon minimization, validation report.

Everything here is pure: standard library only, no I/O, no clock, no global random
state. Every random process takes an explicit integer seed and builds its own
``random.Random``; sub-seeds are derived with SHA-256 (:mod:`.seeds`).

* :mod:`.strata`: factors, strata (cartesian product of levels), stratum keys.
* :mod:`.arms`: :class:`AllocationRatio`, :class:`Scheme`, block-size validation.
* :mod:`.permuted_blocks`: pre-generated stratified lists (:class:`AllocationList`).
* :mod:`.allocation`: :func:`next_slot`, list + history → next slot (full check);
  :func:`next_slot_after`, list + (used count, highest used sequence) → next slot (O(1)).
* :mod:`.minimization`: :func:`minimization_assign`, design + history + draws → arm.
* :mod:`.simulation`, :mod:`.summaries` and :mod:`.report`: the validation report.

Plain-dict formats (``to_dict``):

* list: ``{"format": "oncotrial.randomization_list", "version": 1, "scheme":
  "permuted_blocks", "seed", "block_sizes": [2, 4], "ratio": [{"arm", "weight"}, …],
  "slots_per_stratum", "strata": [{"stratum": [[factor, level], …], "slots":
  [{"slot_id", "sequence", "block", "block_size", "arm"}, …]}, …]}``;
* minimization list: ``{"format": "oncotrial.minimization_list", "version": 1,
  "scheme": "minimization", "seed", "draws": [[u1, u2], …]}``;
* report: see :meth:`.ValidationReport.to_dict`.
"""

from oncotrial.core.randomization.allocation import check_history, next_slot, next_slot_after
from oncotrial.core.randomization.arms import (
    DEFAULT_ARMS,
    DEFAULT_BLOCK_SIZES,
    DEFAULT_RATIO,
    AllocationRatio,
    Scheme,
)
from oncotrial.core.randomization.minimization import (
    ImbalanceMethod,
    MinimizationAssignment,
    MinimizationDesign,
    MinimizationDraws,
    generate_minimization_draws,
    imbalance_scores,
    marginal_counts,
    minimization_assign,
)
from oncotrial.core.randomization.permuted_blocks import (
    AllocationList,
    Slot,
    StratumList,
    generate_permuted_block_list,
    reproduces_from_seed,
)
from oncotrial.core.randomization.report import (
    SchemeReport,
    ValidationReport,
    build_validation_report,
)
from oncotrial.core.randomization.seeds import derive_seed
from oncotrial.core.randomization.strata import (
    DEFAULT_FACTORS,
    Factors,
    Stratum,
    build_strata,
    stratum_key,
)
from oncotrial.core.randomization.summaries import (
    DistributionSummary,
    GuessingSummary,
    MarginalImbalance,
)

__all__ = [
    "DEFAULT_ARMS",
    "DEFAULT_BLOCK_SIZES",
    "DEFAULT_FACTORS",
    "DEFAULT_RATIO",
    "AllocationList",
    "AllocationRatio",
    "DistributionSummary",
    "Factors",
    "GuessingSummary",
    "ImbalanceMethod",
    "MarginalImbalance",
    "MinimizationAssignment",
    "MinimizationDesign",
    "MinimizationDraws",
    "Scheme",
    "SchemeReport",
    "Slot",
    "Stratum",
    "StratumList",
    "ValidationReport",
    "build_strata",
    "build_validation_report",
    "check_history",
    "derive_seed",
    "generate_minimization_draws",
    "generate_permuted_block_list",
    "imbalance_scores",
    "marginal_counts",
    "minimization_assign",
    "next_slot",
    "next_slot_after",
    "reproduces_from_seed",
    "stratum_key",
]
