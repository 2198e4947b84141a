"""Adverse events as the dose decision reads them: grade, category, attribution, flags.

Research note clinical-content.md §4.3, "Attribution problem" [ASSUMP]: transaminase
rises can come from lenvatinib, HAIC oxaliplatin, gemcitabine, the tumour or biliary
obstruction, so each AE carries a per-drug relatedness and an immune-mediated flag
(yes / no / suspected), and the rules of each drug are applied independently to the
AEs attributed to it. Toripalimab's rules also apply to every AE flagged immune-mediated
(yes or suspected).

``category`` says which row of the drug tables applies (the CTCAE term is free text).
``grade`` is the *current* CTCAE v5.0 grade (0 = resolved). ``acted_on`` marks an AE
for which a dose decision has already been taken: it still holds or stops a drug while
its grade requires it, but it does not step the dose level down a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.errors import DomainError
from oncotrial.core.grading.ctcae_v5 import GradeResult


class AeCategory(StrEnum):
    """Which dose-modification row an AE falls under."""

    OTHER = "other"
    NEUTROPENIA = "neutropenia"
    FEBRILE_NEUTROPENIA = "febrile_neutropenia"
    THROMBOCYTOPENIA = "thrombocytopenia"
    ANEMIA = "anemia"
    PROTEINURIA = "proteinuria"
    NEPHROTIC_SYNDROME = "nephrotic_syndrome"
    HYPERTENSION = "hypertension"
    HEPATOTOXICITY = "hepatotoxicity"
    HEPATIC_FAILURE = "hepatic_failure"
    RENAL = "renal"
    HEMORRHAGE = "hemorrhage"
    CARDIAC_DYSFUNCTION = "cardiac_dysfunction"
    ARTERIAL_THROMBOEMBOLISM = "arterial_thromboembolism"
    GI_PERFORATION = "gi_perforation"
    FISTULA = "fistula"
    RPLS = "rpls"
    PERIPHERAL_NEUROPATHY = "peripheral_neuropathy"
    ALLERGIC_REACTION = "allergic_reaction"
    STOMATITIS_DIARRHEA = "stomatitis_diarrhea"
    PNEUMONITIS = "pneumonitis"
    COLITIS = "colitis"
    HEPATITIS = "hepatitis"
    ENDOCRINOPATHY = "endocrinopathy"
    NEPHRITIS = "nephritis"
    MYOCARDITIS = "myocarditis"
    NEUROLOGICAL = "neurological"
    INFUSION_REACTION = "infusion_reaction"

    @property
    def is_haematological(self) -> bool:
        return self in (AeCategory.NEUTROPENIA, AeCategory.FEBRILE_NEUTROPENIA,
                        AeCategory.THROMBOCYTOPENIA, AeCategory.ANEMIA)


class ImmuneMediated(StrEnum):
    """Whether the investigator judges the AE immune-mediated."""

    NO = "no"
    SUSPECTED = "suspected"
    YES = "yes"


@dataclass(frozen=True, slots=True)
class AdverseEvent:
    """A current adverse event with what the dose rules need to know about it."""

    term: str
    grade: int
    category: AeCategory = AeCategory.OTHER
    related_to: frozenset[Drug] = frozenset()
    immune_mediated: ImmuneMediated = ImmuneMediated.NO
    persistent: bool = False
    occurrence: int = 1
    life_threatening: bool | None = None
    acted_on: bool = False
    steroid_days: int | None = None
    prednisone_mg_per_day: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.term, str) or not self.term.strip():
            raise DomainError("adverse_event.term", self.term, "a CTCAE term")
        if isinstance(self.grade, bool) or not isinstance(self.grade, int) or not 0 <= self.grade <= 5:
            raise DomainError(f"adverse_event[{self.term}].grade", self.grade,
                              "the current CTCAE grade, a whole number 0–5 (0 = resolved)")
        if not isinstance(self.category, AeCategory):
            raise DomainError(f"adverse_event[{self.term}].category", self.category,
                              "one of " + ", ".join(c.value for c in AeCategory))
        if not all(isinstance(d, Drug) for d in self.related_to):
            raise DomainError(f"adverse_event[{self.term}].related_to", self.related_to,
                              "study drugs")
        if isinstance(self.occurrence, bool) or not isinstance(self.occurrence, int) \
                or self.occurrence < 1:
            raise DomainError(f"adverse_event[{self.term}].occurrence", self.occurrence,
                              "1 for a first occurrence, 2 or more for a recurrence")
        days = self.steroid_days
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
            raise DomainError(f"adverse_event[{self.term}].steroid_days", days, "a number of days ≥ 0")
        dose = self.prednisone_mg_per_day
        if dose is not None and (isinstance(dose, bool) or not isinstance(dose, int | float)
                                 or not 0 <= dose <= 2000):
            raise DomainError(f"adverse_event[{self.term}].prednisone_mg_per_day", dose,
                              "a prednisone-equivalent dose in [0, 2000] mg/day")

    @property
    def recurrent(self) -> bool:
        return self.occurrence > 1

    @property
    def immune(self) -> bool:
        """Flagged immune-mediated (yes or suspected)."""
        return self.immune_mediated is not ImmuneMediated.NO

    def concerns(self, drug: Drug) -> bool:
        """Whether the rules of ``drug`` apply to this AE."""
        if drug is Drug.TORIPALIMAB:
            return drug in self.related_to or self.immune
        return drug in self.related_to

    @classmethod
    def from_grade(cls, result: GradeResult, *, category: AeCategory,
                   related_to: frozenset[Drug],
                   immune_mediated: ImmuneMediated = ImmuneMediated.NO) -> AdverseEvent:
        """An AE from a CTCAE grading result (:mod:`oncotrial.core.grading`)."""
        if result.grade is None:
            raise DomainError(f"adverse_event[{result.term}].grade", None,
                              "a graded result", result.reason or None)
        return cls(result.term, result.grade, category, related_to, immune_mediated)
