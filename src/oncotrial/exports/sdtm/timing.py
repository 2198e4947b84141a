"""SDTM timing: ISO 8601 dates, study days, subject elements and epochs (SDTMIG v3.4 §4.4).

* ``--DTC`` are ISO 8601 character dates (``2024-03-05``).
* ``--DY`` (SDTMIG §4.4.4): ``date − RFSTDTC + 1`` on or after the reference start date,
  ``date − RFSTDTC`` before it; there is no day 0.
* Elements (SE) are contiguous: screening from informed consent to the first dose, the arm's
  treatment element from the first dose to 21 days (one cycle) after the last dose, then
  follow-up to the end of participation. ``EPOCH`` of an observation is the epoch of the
  element its date falls in; a date on a boundary belongs to the later element (SDTMIG
  §5.3, SESTDTC of one element = SEENDTC of the previous one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from oncotrial.exports.clinical_records import Subject

TREATMENT_TAIL_DAYS = 21
"""The treatment element ends one 21-day cycle after the last dose [ASSUMP: protocol cycle length]."""

SCREENING, TREATMENT, FOLLOW_UP = "SCREENING", "TREATMENT", "FOLLOW-UP"


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def study_day(day: date | None, reference: date | None) -> int | None:
    """SDTMIG v3.4 §4.4.4 study day of ``day`` relative to RFSTDTC (no day 0)."""
    if day is None or reference is None:
        return None
    delta = (day - reference).days
    return delta + 1 if delta >= 0 else delta


@dataclass(frozen=True, slots=True)
class Element:
    code: str
    name: str
    order: int
    epoch: str
    start: date
    end: date | None


def end_of_participation(subject: Subject, cutoff: date) -> date:
    """RFPENDTC: death, end of study, else the last known alive date (never after the cut-off)."""
    for day in (subject.death_on, subject.end_of_study_on):
        if day is not None:
            return min(day, cutoff)
    return min(subject.last_known_alive_on, cutoff)


def subject_elements(subject: Subject, cutoff: date) -> tuple[Element, ...]:
    """The elements the subject went through, in order (SE)."""
    end = end_of_participation(subject, cutoff)
    if subject.first_dose_on is None or subject.arm_actual is None:
        return (Element("SCRN", "Screening", 1, SCREENING, subject.informed_consent_on, end),)
    last = subject.last_dose_on or subject.first_dose_on
    treatment_end = min(last + timedelta(days=TREATMENT_TAIL_DAYS), end)
    out = [
        Element("SCRN", "Screening", 1, SCREENING, subject.informed_consent_on, subject.first_dose_on),
        Element(
            subject.arm_actual,
            f"{subject.arm_actual} treatment",
            2,
            TREATMENT,
            subject.first_dose_on,
            max(treatment_end, subject.first_dose_on),
        ),
    ]
    if end > treatment_end:
        out.append(Element("FU", "Follow-up", 3, FOLLOW_UP, treatment_end, end))
    return tuple(out)


def epoch_of(day: date | None, elements: tuple[Element, ...]) -> str | None:
    """The epoch of the element ``day`` falls in (later element on a boundary); None before consent."""
    if day is None or not elements or day < elements[0].start:
        return None
    found = elements[0].epoch
    for element in elements:
        if day >= element.start:
            found = element.epoch
    return found
