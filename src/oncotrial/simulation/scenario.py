"""A whole-trial simulation scenario as typed, frozen values (read from YAML by :mod:`.scenario_reader`).

Time is in months from the start of accrual (calendar time) or from a patient's entry
(follow-up time). Arms are ``control`` and ``experimental``; z-statistics are oriented so that
positive values favour the experimental arm, and the efficacy bound is crossed when
:math:`Z_k \\ge c_k` (one-sided).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from oncotrial.core.randomization.minimization import MinimizationDesign
from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.distributions import EventDistribution


class AccrualTiming(StrEnum):
    RANDOM = "random"
    """Entry times are the order statistics of ``patients`` i.i.d. draws from the accrual density."""
    DETERMINISTIC = "deterministic"
    """rpact's convention: patient ``i`` enters at the ``i``-th step of the cumulative intensity."""


@dataclass(frozen=True, slots=True)
class Accrual:
    """Piecewise-constant accrual intensity: ``rates[j]`` patients/month until ``ends[j]``."""

    ends: tuple[float, ...]
    rates: tuple[float, ...]
    timing: AccrualTiming = AccrualTiming.RANDOM

    @property
    def duration(self) -> float:
        return self.ends[-1]


class AllocationMethod(StrEnum):
    ALTERNATING = "alternating"
    SIMPLE = "simple"
    PERMUTED_BLOCKS = "permuted_blocks"
    MINIMIZATION = "minimization"


MINIMIZATION_ARMS = ("control", "experimental")
"""Arm order of the minimization design (index = the kernels' arm code; ties use this order)."""


@dataclass(frozen=True, slots=True)
class Allocation:
    """How arms are assigned in order of entry; ``ratio`` is (experimental, control).

    ``minimization`` is core's Pocock–Simon design (factors from the strata's ``levels``, arms
    :data:`MINIMIZATION_ARMS`) when ``method`` is ``minimization``.
    """

    method: AllocationMethod = AllocationMethod.ALTERNATING
    ratio: tuple[int, int] = (1, 1)
    block_sizes: tuple[int, ...] = (4,)
    minimization: MinimizationDesign | None = None

    @property
    def experimental_fraction(self) -> float:
        return self.ratio[0] / (self.ratio[0] + self.ratio[1])


@dataclass(frozen=True, slots=True)
class Stratum:
    """A baseline stratum: its share of patients and its prognostic hazard multiplier."""

    name: str
    prevalence: float
    hazard_multiplier: float = 1.0
    levels: tuple[tuple[str, str], ...] = ()
    """(factor, level) pairs of this stratum (used by minimization)."""


class CutKind(StrEnum):
    EVENTS = "events"
    CALENDAR = "calendar"


class StatTest(StrEnum):
    LOGRANK = "logrank"
    STRATIFIED_LOGRANK = "stratified_logrank"
    FLEMING_HARRINGTON = "fleming_harrington"
    LANDMARK_KM = "landmark_km"
    LANDMARK_BINARY = "landmark_binary"
    COX = "cox"
    RMST = "rmst"
    MAXCOMBO = "maxcombo"
    ORR = "orr"
    OS_LOGRANK = "os_logrank"

    @property
    def code(self) -> int:
        """The kernels' number for this test (index in :data:`TEST_ORDER`)."""
        return TEST_ORDER.index(self)


TEST_ORDER: tuple[StatTest, ...] = tuple(StatTest)

ESTIMATE_LABEL = {
    StatTest.LOGRANK: "log HR (Peto, (O-E)/V)", StatTest.STRATIFIED_LOGRANK: "log HR (stratified Peto)",
    StatTest.FLEMING_HARRINGTON: "weighted (O-E)/V", StatTest.LANDMARK_KM: "KM rate difference",
    StatTest.LANDMARK_BINARY: "rate difference", StatTest.COX: "log HR (Cox)",
    StatTest.RMST: "RMST difference (months)", StatTest.MAXCOMBO: "MaxCombo p-value",
    StatTest.ORR: "ORR difference", StatTest.OS_LOGRANK: "OS log HR (Peto, (O-E)/V)",
}


@dataclass(frozen=True, slots=True)
class Analysis:
    """When to look and what to compute; ``tests[0]`` is the primary test that drives stopping."""

    cut: CutKind
    looks: tuple[float, ...]
    tests: tuple[StatTest, ...] = (StatTest.LOGRANK,)
    landmark: float = 6.0
    fh_rho: float = 0.0
    fh_gamma: float = 1.0
    rmst_tau: float = 12.0
    maxcombo_sided: int = 1
    """1: one-sided MaxCombo (max Z); 2: two-sided (max |Z|, signed by the largest |Z|)."""

    @property
    def primary(self) -> StatTest:
        return self.tests[0]

    @property
    def k_max(self) -> int:
        return len(self.looks)


@dataclass(frozen=True, slots=True)
class Bounds:
    """z-scale bounds: stop for efficacy when :math:`Z_k \\ge c_k`, for futility when :math:`Z_k < f_k`."""

    efficacy: tuple[float, ...]
    futility: tuple[float, ...] = ()
    source: str = "given in the scenario"
    statistic: tuple[float, ...] = ()
    """Group sequential MaxCombo designs: the bounds on max Z (or max |Z|) the efficacy z-values
    come from (:mod:`.maxcombo_design`); empty otherwise."""

    def futility_at(self, k: int) -> float:
        return self.futility[k] if k < len(self.futility) else -math.inf


@dataclass(frozen=True, slots=True)
class Response:
    """Objective response (RECIST 1.1 best overall response CR/PR) as a Bernoulli indicator per patient.

    ``orr`` = (control, experimental) response probabilities; a responder's PFS hazard is
    ``pfs_hazard_multiplier`` times a non-responder's (both rescaled per arm so that the arm's
    S(landmark) is unchanged, see :mod:`.outcome_calibration`). A patient counts in the ORR
    analysis at a look once followed for ``evaluable_after`` months.
    """

    orr: tuple[float, float]
    pfs_hazard_multiplier: float = 0.5
    evaluable_after: float = 0.0


@dataclass(frozen=True, slots=True)
class OverallSurvival:
    r"""OS = PFS when the PFS event is a death, else PFS + post-progression survival (PPS).

    PPS is exponential with hazard ``pps_rates`` (control, experimental). ``death_share`` is the
    share of PFS events that are deaths without progression, per arm, piecewise constant in time
    since entry (:class:`DeathShare`): with PFS hazard :math:`h(t)`, the cause-specific hazards are
    :math:`\pi(t) h(t)` (death) and :math:`(1 - \pi(t)) h(t)` (progression), a competing-risks model
    (proportional cause-specific hazards within each piece; Beyersmann,
    Latouche, Buchholz & Schumacher, Stat Med 2009;28:956-971: draw the event time from the
    all-cause hazard, then its cause with probability :math:`h_k / h`).
    """

    pps_rates: tuple[float, float]
    target_median: tuple[float, float] | None = None
    """Marginal median OS per arm: the calibration targets, or with ``common_pps`` the control target and
    the experimental arm's implied median (None when the rates were given)."""
    death_share: tuple[DeathShare, DeathShare] = (DeathShare(), DeathShare())
    common_pps: bool = False
    """True when one PPS hazard, calibrated to the control arm's median OS, serves both arms."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything needed to simulate a trial, and how many times."""

    name: str
    patients: int
    accrual: Accrual
    allocation: Allocation
    control: EventDistribution
    experimental: EventDistribution
    analysis: Analysis
    bounds: Bounds
    strata: tuple[Stratum, ...] = (Stratum("all", 1.0, 1.0),)
    dropout: tuple[float, float] = (0.0, 0.0)
    """Dropout hazards per month: (control, experimental)."""
    seed: int = 20240101
    replications: int = 10_000
    title: str = ""
    simulated: bool = True
    check_null: bool = False
    notes: tuple[str, ...] = field(default=())
    response: Response | None = None
    overall_survival: OverallSurvival | None = None

    def under_null(self) -> Scenario:
        """The same trial with the experimental arm behaving like the control arm (type I error)."""
        resp = self.response
        if resp is not None:
            resp = dataclasses.replace(resp, orr=(resp.orr[0], resp.orr[0]))
        os_ = self.overall_survival
        if os_ is not None:
            os_ = OverallSurvival((os_.pps_rates[0], os_.pps_rates[0]), None,
                                  (os_.death_share[0], os_.death_share[0]))
        return dataclasses.replace(self, name=f"{self.name} [H0]", experimental=self.control,
                                   dropout=(self.dropout[0], self.dropout[0]), check_null=False,
                                   response=resp, overall_survival=os_)

    def with_replications(self, replications: int | None = None, seed: int | None = None) -> Scenario:
        return dataclasses.replace(self, replications=replications or self.replications,
                                   seed=self.seed if seed is None else seed)

    def describe(self) -> dict[str, Any]:
        """Readable summary used in the JSON and HTML outputs."""
        a = self.analysis
        return {
            "name": self.name, "title": self.title, "simulated": self.simulated,
            "patients": self.patients, "seed": self.seed, "replications": self.replications,
            "accrual": {"ends": list(self.accrual.ends), "rates": list(self.accrual.rates),
                        "timing": self.accrual.timing.value},
            "allocation": {"method": self.allocation.method.value, "ratio": list(self.allocation.ratio),
                           "block_sizes": list(self.allocation.block_sizes),
                           "minimization": None if self.allocation.minimization is None
                           else self.allocation.minimization.to_dict()},
            "strata": [{"name": s.name, "prevalence": s.prevalence, "hazard_multiplier": s.hazard_multiplier}
                       for s in self.strata],
            "control": self.control.describe(), "experimental": self.experimental.describe(),
            "control_survival_at_landmark": self.control.survival(a.landmark),
            "experimental_survival_at_landmark": self.experimental.survival(a.landmark),
            "dropout_hazards": {"control": self.dropout[0], "experimental": self.dropout[1]},
            "analysis": {"cut": a.cut.value, "looks": list(a.looks), "tests": [t.value for t in a.tests],
                         "primary": a.primary.value, "landmark": a.landmark,
                         "maxcombo_sided": a.maxcombo_sided},
            "bounds": {"efficacy": list(self.bounds.efficacy),
                       "futility": [None if not math.isfinite(f) else f for f in self.bounds.futility],
                       "source": self.bounds.source,
                       "maxcombo_statistic": list(self.bounds.statistic) or None},
            "response": None if self.response is None else {
                "orr": {"control": self.response.orr[0], "experimental": self.response.orr[1]},
                "pfs_hazard_multiplier": self.response.pfs_hazard_multiplier,
                "evaluable_after": self.response.evaluable_after},
            "overall_survival": None if self.overall_survival is None
            else _describe_os(self.overall_survival),
            "notes": list(self.notes),
        }


def _describe_os(os_: OverallSurvival) -> dict[str, Any]:
    target = os_.target_median
    return {
        "model": "OS = PFS if the PFS event is a death, else PFS + exponential post-progression survival",
        "pps_rates": {"control": os_.pps_rates[0], "experimental": os_.pps_rates[1]},
        "pps_medians": {"control": math.log(2) / os_.pps_rates[0],
                        "experimental": math.log(2) / os_.pps_rates[1]},
        "death_without_progression": {"control": os_.death_share[0].describe(),
                                      "experimental": os_.death_share[1].describe()},
        "median_os": None if target is None else {"control": target[0], "experimental": target[1]},
        "calibrated_to": None if target is None else
        ("the control arm's median OS (one PPS hazard for both arms; the experimental median is implied)"
         if os_.common_pps else "each arm's median OS"),
    }
