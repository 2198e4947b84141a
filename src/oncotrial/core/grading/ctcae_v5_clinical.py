"""CTCAE v5.0 terms that need more than one lab value: hypertension, proteinuria, clinical.

Source: NCI *Common Terminology Criteria for Adverse Events (CTCAE) Version 5.0*,
27 November 2017.

Hypertension (adult), Vascular disorders. CTCAE v5.0 wording:

* G1 "Systolic BP 120 - 139 mm Hg or diastolic BP 80 - 89 mm Hg";
* G2 "Systolic BP 140 - 159 mm Hg or diastolic BP 90 - 99 mm Hg if previously WNL;
  change in baseline medical intervention indicated; recurrent or persistent (>=24 hrs);
  symptomatic increase by >20 mm Hg (diastolic) or to >140/90 mm Hg; monotherapy
  indicated initiated";
* G3 "Systolic BP >=160 mm Hg or diastolic BP >=100 mm Hg; medical intervention
  indicated; more than one drug or more intensive therapy than previously used
  indicated";
* G4 "Life-threatening consequences (e.g., malignant hypertension, transient or
  permanent neurologic deficit, hypertensive crisis); urgent intervention indicated";
* G5 "Death".

The grade is the higher of the blood-pressure grade (the worse of systolic and
diastolic) and the intervention grade. The 140–159/90–99 band is grade 2 only "if
previously WNL"; for a patient not known to have been normotensive it decides nothing
by itself, so the result is ungraded unless the intervention already gives grade ≥ 2.
The G2 criteria "recurrent or persistent (≥24 hrs)" and "symptomatic increase" cannot
be read from one reading: record them with :func:`grade_clinical`.

Proteinuria (adult), Renal and urinary disorders, **[RECALL]** (see
:mod:`.ctcae_v5_tables`): G1 "1+ proteinuria; urinary protein ≥ULN - <1.0 g/24 hrs",
G2 "Adult: 2+ and 3+ proteinuria; urinary protein 1.0 - <3.5 g/24 hrs", G3 "Adult:
urinary protein ≥3.5 g/24 hrs" with 4+ dipstick in grade 3 **[RECALL]**. "Negative" and
"trace" dipsticks are grade 0 **[ASSUMP]** (CTCAE starts at 1+). When both a 24-hour
measurement and a dipstick are given, the 24-hour measurement wins: it is the
quantitative test the dipstick screens for.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import ctcae_v5_tables as tables
from oncotrial.core.grading.bands import Band, Reference
from oncotrial.core.grading.ctcae_v5 import Basis, GradeResult, check_number
from oncotrial.core.grading.ctcae_v5_tables import MAX_GRADE, Term


class AntihypertensiveIntervention(StrEnum):
    """The treatment change indicated for raised blood pressure, as CTCAE grades it."""

    NONE = "none"
    """No new or changed antihypertensive intervention indicated."""
    MONOTHERAPY = "monotherapy"
    """G2: change in baseline medical intervention indicated; monotherapy indicated."""
    INTENSIFIED = "intensified"
    """G3: more than one drug or more intensive therapy than previously used indicated."""
    URGENT = "urgent"
    """G4: life-threatening consequences; urgent intervention indicated."""


INTERVENTION_GRADE: Final = MappingProxyType({
    AntihypertensiveIntervention.NONE: 0,
    AntihypertensiveIntervention.MONOTHERAPY: 2,
    AntihypertensiveIntervention.INTENSIFIED: 3,
    AntihypertensiveIntervention.URGENT: 4,
})
_INTERVENTION_TEXT: Final = MappingProxyType({
    AntihypertensiveIntervention.NONE: "no intervention indicated",
    AntihypertensiveIntervention.MONOTHERAPY:
        "change in baseline medical intervention indicated; monotherapy indicated initiated",
    AntihypertensiveIntervention.INTENSIFIED:
        "more than one drug or more intensive therapy than previously used indicated",
    AntihypertensiveIntervention.URGENT:
        "Life-threatening consequences (e.g., malignant hypertension, transient or "
        "permanent neurologic deficit, hypertensive crisis); urgent intervention indicated",
})


def _bp_band(systolic: float, diastolic: float) -> Band:
    bands = [table.find(value, {}) for table, value in
             ((tables.SYSTOLIC_BP, systolic), (tables.DIASTOLIC_BP, diastolic))]
    found = [band for band in bands if band is not None]
    assert len(found) == 2, "blood-pressure bands are absolute and cover [0, ∞)"
    return max(found, key=lambda band: band.grade)


def grade_hypertension(systolic: float, diastolic: float, *,
                       intervention: AntihypertensiveIntervention,
                       previously_wnl: bool | None) -> GradeResult:
    """Hypertension (adult) from one SBP/DBP reading (mmHg) and the intervention indicated.

    ``previously_wnl`` is whether blood pressure was within normal limits before
    (``None``: not known). Returns grade 0–4; grade 5 is recorded with
    :func:`grade_clinical`.
    """
    term = Term.HYPERTENSION
    sbp = check_number(f"{term}.systolic", systolic, positive=True)
    dbp = check_number(f"{term}.diastolic", diastolic, positive=True)
    if not isinstance(intervention, AntihypertensiveIntervention):
        raise DomainError(f"{term}.intervention", intervention,
                          "one of " + ", ".join(i.value for i in AntihypertensiveIntervention))
    if previously_wnl is not None and not isinstance(previously_wnl, bool):
        raise DomainError(f"{term}.previously_wnl", previously_wnl, "True, False or None")
    band = _bp_band(sbp, dbp)
    treatment = INTERVENTION_GRADE[intervention]
    if band.grade == 2 and previously_wnl is not True:
        if treatment >= 2:
            return GradeResult(term, treatment, Basis.INTERVENTION,
                               _INTERVENTION_TEXT[intervention])
        return GradeResult(term, None, None, "", (
            f"{sbp:g}/{dbp:g} mmHg is grade 2 only if previously WNL, which is "
            f"{'not known' if previously_wnl is None else 'not the case'}, and no "
            "treatment change is indicated; grade it from the clinical course"))
    if treatment > band.grade:
        return GradeResult(term, treatment, Basis.INTERVENTION,
                           _INTERVENTION_TEXT[intervention])
    return GradeResult(term, band.grade, Basis.ABSOLUTE, band.criterion, "", band)


class Dipstick(StrEnum):
    """Urine dipstick protein reading."""

    NEGATIVE = "negative"
    TRACE = "trace"
    ONE_PLUS = "1+"
    TWO_PLUS = "2+"
    THREE_PLUS = "3+"
    FOUR_PLUS = "4+"


DIPSTICK_GRADE: Final = MappingProxyType({
    Dipstick.NEGATIVE: 0,  # [ASSUMP]
    Dipstick.TRACE: 0,  # [ASSUMP]: CTCAE grade 1 starts at 1+
    Dipstick.ONE_PLUS: 1,
    Dipstick.TWO_PLUS: 2,
    Dipstick.THREE_PLUS: 2,
    Dipstick.FOUR_PLUS: 3,  # [RECALL]
})


def grade_proteinuria(*, dipstick: Dipstick | None = None,
                      protein_g_24h: float | None = None,
                      uln_g_24h: float | None = None) -> GradeResult:
    """Proteinuria (adult) from a 24-hour urine protein (g/24 h) or a dipstick.

    The 24-hour measurement wins when both are given. Grade 0 and grade 1 by 24-hour
    protein are split at the site's ULN, which is never assumed: below 1.0 g/24 h with
    no ULN the result is ungraded.
    """
    term = Term.PROTEINURIA
    if protein_g_24h is not None:
        value = check_number(f"{term}.protein_g_24h", protein_g_24h)
        uln = None if uln_g_24h is None else check_number(
            f"{term}.uln_g_24h", uln_g_24h, positive=True)
        band = tables.PROTEINURIA_24H.find(value, {} if uln is None else {Reference.ULN: uln})
        if band is None:
            return GradeResult(term, None, None, "", (
                f"{value:g} g/24 h is below 1.0 g/24 h: grade 0 or 1 depends on the ULN, "
                "which is never assumed"))
        basis = Basis.ULN if band.basis is Reference.ULN else Basis.ABSOLUTE
        return GradeResult(term, band.grade, basis, band.criterion, "", band)
    if dipstick is None:
        raise DomainError(f"{term}", None, "a 24-hour urine protein or a dipstick reading")
    if not isinstance(dipstick, Dipstick):
        raise DomainError(f"{term}.dipstick", dipstick,
                          "one of " + ", ".join(d.value for d in Dipstick))
    grade = DIPSTICK_GRADE[dipstick]
    return GradeResult(term, grade, Basis.DIPSTICK, f"{dipstick.value} proteinuria")


def grade_clinical(term: str, grade: int, *, description: str = "") -> GradeResult:
    """Record an investigator-assessed grade 1–5 for a CTCAE term.

    For the terms this package knows the grade may not exceed CTCAE's highest grade for
    the term (:data:`.ctcae_v5_tables.MAX_GRADE`): grade 5 (death) is refused for
    laboratory-defined terms such as "Neutrophil count decreased". Other terms accept
    1–5 and are assumed to be clinical CTCAE terms spelled by the caller.
    """
    if not isinstance(term, str) or not term.strip():
        raise DomainError("term", term, "a CTCAE v5.0 term name")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 5:
        raise DomainError(f"{term}.grade", grade, "an integer grade from 1 to 5",
                          "grade 0 means no adverse event: do not record one.")
    name = term.strip()
    try:
        known: Term | None = Term(name)
    except ValueError:
        known = None
    if known is not None and grade > MAX_GRADE[known]:
        raise DomainError(f"{term}.grade", grade,
                          f"a grade from 1 to {MAX_GRADE[known]} for {known}",
                          "CTCAE v5.0 defines no higher grade for this term.")
    return GradeResult(name, grade, Basis.INVESTIGATOR,
                       description or f"investigator-assessed grade {grade}")
