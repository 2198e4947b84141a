"""Scenario parameters of the virtual NCT07304388 trial, with their sources.

Sources are sections of shared/research/clinical-content.md ("CC §x"); values that no
source gives are marked [ASSUMP]. docs/synthetic-patients.md lists every parameter.

Efficacy (CC §2.4, "Proposed calibration targets" [ASSUMP], triangulated from §2.1–2.3):

* 6-month PFS (RECIST 1.1): control 0.62–0.73 → **0.66** (Shi GM, STTT 2023: mPFS
  10.2 mo; Zhu 2023: 8.63 mo); experimental 0.75–0.80 → **0.78** (Huang YX, Front
  Immunol 2024: 76.1 %). PFS shapes: control Weibull k≈1.3–1.7 → **1.5**;
  experimental **k = 2.07** (fit of Huang 2024). The Weibull *scale* is solved so that
  the 6-month rate *as observed on 6-weekly scans* equals the target
  (:mod:`oncotrial.synthetic.calibration`).
* ORR RECIST 1.1: control 45–60 % → **0.52**; experimental 55–65 % → **0.60**.
  mRECIST: +5–15 points → **0.62**; +10–20 points → **0.75**.
* mOS: control 15–22 mo, experimental 17–24 mo: post-progression survival Weibull
  (shape 1.2 [ASSUMP]) with median 8.0 / 9.0 months [ASSUMP], giving mOS ≈ 17 / 20 mo.
* Conversion surgery: 3–7 % → **0.05**; 6–10 % → **0.08** (Huang 2024 6.5 %; Lin 2024
  9.5 %).

Grade 3–4 laboratory toxicity (worst grade per patient), CC §2.1–2.2:

* neutropenia: control **30 %** (Shi GM 2023: 40.0 %; real-world lower), experimental
  **25 %** (Huang 2024: 21.7 %; Zheng 2024: 14.5 %);
* thrombocytopenia: control **10 %** (NCT04361331 arm B: G4 6.7 %; Zheng: 15.8 %),
  experimental **17 %** (Huang 2024: 17.4 %);
* ALT increased: control **6 %** [ASSUMP], experimental **13 %** (Huang 2024: 13.0 %);
* AST increased: control **8 %** (Zheng control 7.9 %), experimental **12 %** (Huang
  8.7 %, Zheng 14.5 %);
* blood bilirubin increased: **5 % / 7 %** [ASSUMP].

The lower grades of each distribution are [ASSUMP].
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

#: grade probabilities (0, 1, 2, 3, 4) of the worst on-treatment grade per patient
GradeProbabilities = tuple[float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class ArmScenario:
    """Outcome parameters of one arm (see the module docstring for sources)."""

    arm_code: str
    pfs_6m_target: float
    pfs_weibull_shape: float
    orr_recist: float
    orr_mrecist: float
    complete_response_fraction: float = 0.05
    death_without_progression_fraction: float = 0.08
    fatal_ae_fraction_of_deaths_without_progression: float = 0.15
    pps_median_months: float = 8.0
    pps_weibull_shape: float = 1.2
    conversion_surgery_rate: float = 0.05
    neutropenia: GradeProbabilities = (0.25, 0.15, 0.30, 0.22, 0.08)
    thrombocytopenia: GradeProbabilities = (0.40, 0.25, 0.25, 0.07, 0.03)
    alt_increased: GradeProbabilities = (0.55, 0.30, 0.09, 0.055, 0.005)
    ast_increased: GradeProbabilities = (0.50, 0.32, 0.10, 0.075, 0.005)
    bilirubin_increased: GradeProbabilities = (0.65, 0.18, 0.12, 0.045, 0.005)

    def __post_init__(self) -> None:
        for name in (
            "pfs_6m_target",
            "orr_recist",
            "orr_mrecist",
            "complete_response_fraction",
            "death_without_progression_fraction",
            "conversion_surgery_rate",
            "fatal_ae_fraction_of_deaths_without_progression",
        ):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{self.arm_code}.{name} = {value!r}: expected a probability in [0, 1)")
        if self.orr_mrecist < self.orr_recist:
            raise ValueError(
                f"{self.arm_code}.orr_mrecist = {self.orr_mrecist!r}: expected >= orr_recist "
                "(mRECIST counts viable tumour, CC §2.4)"
            )
        for name in (
            "neutropenia",
            "thrombocytopenia",
            "alt_increased",
            "ast_increased",
            "bilirubin_increased",
        ):
            probs = getattr(self, name)
            if len(probs) != 5 or abs(sum(probs) - 1.0) > 1e-6 or min(probs) < 0:
                raise ValueError(f"{self.arm_code}.{name} = {probs!r}: expected 5 probabilities summing to 1")


CONTROL_ARM = ArmScenario(
    arm_code="GEMOX",
    pfs_6m_target=0.66,
    pfs_weibull_shape=1.5,
    orr_recist=0.52,
    orr_mrecist=0.62,
    complete_response_fraction=0.05,
    pps_median_months=8.0,
    conversion_surgery_rate=0.05,
)
EXPERIMENTAL_ARM = ArmScenario(
    arm_code="HAIC",
    pfs_6m_target=0.78,
    pfs_weibull_shape=2.07,
    orr_recist=0.60,
    orr_mrecist=0.75,
    complete_response_fraction=0.07,
    pps_median_months=9.0,
    conversion_surgery_rate=0.08,
    fatal_ae_fraction_of_deaths_without_progression=0.20,
    neutropenia=(0.30, 0.17, 0.28, 0.18, 0.07),
    thrombocytopenia=(0.30, 0.28, 0.25, 0.12, 0.05),
    alt_increased=(0.40, 0.34, 0.13, 0.12, 0.01),
    ast_increased=(0.38, 0.36, 0.14, 0.11, 0.01),
    bilirubin_increased=(0.60, 0.20, 0.13, 0.06, 0.01),
)

#: Relative weights of the screen-failure reasons, by protocol criterion code [ASSUMP];
#: ECOG ≥ 2, prior therapy and hepatic reserve dominate in advanced ICC referrals.
DEFAULT_FAILURE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("INC05", 18.0),  # ECOG ≥ 2
    ("INC04", 7.0),  # Child-Pugh C
    ("EXC03", 9.0),  # prior anticancer therapy
    ("INC08", 7.0),  # platelets < 75 × 10⁹/L
    ("INC09", 7.0),  # albumin < 30 g/L
    ("INC10", 7.0),  # total bilirubin ≥ 3 × ULN (biliary obstruction)
    ("INC15", 7.0),  # INR ≥ 1.26
    ("INC12", 4.0),  # ALT ≥ 5 × ULN
    ("INC11", 2.0),  # AST ≥ 5 × ULN
    ("INC07", 4.0),  # haemoglobin ≤ 9 g/dL
    ("INC06", 1.0),  # WBC < 2000/mm³
    ("INC13", 2.0),  # creatinine > 1.5 × ULN
    ("INC03", 4.0),  # no RECIST-measurable lesion
    ("INC02", 4.0),  # resectable by MDT
    ("INC01", 2.0),  # histology not ICC
    ("EXC06", 4.0),  # active infection (cholangitis)
    ("EXC05", 4.0),  # uncontrolled comorbidity
    ("EXC09", 3.0),  # GI bleeding within 4 weeks
    ("EXC02", 2.0),  # other malignancy
    ("EXC01", 2.0),  # life expectancy < 2 months
    ("EXC08", 2.0),  # refuses study procedures
    ("EXC04", 1.0),  # allergy to study drugs
)


@dataclass(frozen=True, slots=True)
class TrialScenario:
    """The virtual trial: accrual, sites, cut-off, failures, withdrawals and the arms.

    ``expected_candidates`` spreads candidate screening dates evenly over the accrual
    period (candidate *k* is screened on day ⌊(k + u)·accrual_days/expected_candidates⌋,
    u uniform from its own stream), so candidate *k* does not depend on how many are
    generated. ``cutoff`` ends every script.
    """

    seed: int = 20230801
    start_date: date = date(2023, 8, 1)
    accrual_days: int = 670  # ≈ 22 months [brief]
    expected_candidates: int = 150  # 120 randomized / (1 − 0.20)
    sites: tuple[str, ...] = ("SYSUCC", "SITE02", "SITE03", "SITE04", "SITE05")
    cutoff: date = date(2026, 3, 1)
    screen_failure_probability: float = 0.20
    failure_weights: tuple[tuple[str, float], ...] = DEFAULT_FAILURE_WEIGHTS
    consent_withdrawal_probability: float = 0.04  # [ASSUMP]
    loss_to_follow_up_probability: float = 0.02  # [ASSUMP]
    withdrawal_window_days: tuple[int, int] = (14, 540)  # [ASSUMP]
    follow_up_interval_days: int = 84  # survival contacts every 12 weeks [ASSUMP]
    response_pfs_correlation: float = 0.5  # Gaussian copula, responders progress later [ASSUMP]
    post_surgery_os_median_months: float = 30.0  # [ASSUMP]
    arms: tuple[ArmScenario, ...] = field(default=(EXPERIMENTAL_ARM, CONTROL_ARM))

    def __post_init__(self) -> None:
        if not 0 <= self.seed < 2**63:
            raise ValueError(f"seed = {self.seed!r}: expected an integer in [0, 2**63)")
        if not self.sites:
            raise ValueError("sites: expected at least one site code")
        if not 0.0 <= self.screen_failure_probability < 1.0:
            raise ValueError(f"screen_failure_probability = {self.screen_failure_probability!r}")
        if self.expected_candidates < 1 or self.accrual_days < 1:
            raise ValueError("expected_candidates and accrual_days must be >= 1")
        if self.cutoff <= self.start_date:
            raise ValueError(f"cutoff = {self.cutoff}: expected after start_date {self.start_date}")

    def arm(self, code: str) -> ArmScenario:
        for a in self.arms:
            if a.arm_code == code:
                return a
        raise KeyError(f"arm {code!r}: the scenario has {', '.join(a.arm_code for a in self.arms)}")

    def with_changes(self, **changes: object) -> TrialScenario:
        return replace(self, **changes)  # type: ignore[arg-type]


def site_codes(n: int, first: str = "SYSUCC") -> tuple[str, ...]:
    """``first`` (the protocol's site) then SITE02, SITE03, … up to ``n`` sites."""
    if n < 1:
        raise ValueError(f"sites = {n!r}: expected at least 1")
    return (first, *(f"SITE{i:02d}" for i in range(2, n + 1)))
