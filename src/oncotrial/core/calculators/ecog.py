"""ECOG performance status (Oken MM, Creech RH, Tormey DC et al. Toxicity and response
criteria of the Eastern Cooperative Oncology Group. Am J Clin Oncol 1982;5:649–655).

Grades 0–5 with the ECOG descriptions as published by ECOG-ACRIN (reproduced e.g. at
https://acori-glossary.accc-cancer.org/definition/eastern-cooperative-oncology-group-performance-status).
NCT07304388 admits ECOG 0–1; that criterion belongs to eligibility, not here.
"""

from __future__ import annotations

from enum import IntEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.errors import DomainError


class EcogPerformanceStatus(IntEnum):
    """ECOG performance status grade (an ``int`` 0–5)."""

    FULLY_ACTIVE = 0
    RESTRICTED_STRENUOUS_ACTIVITY = 1
    AMBULATORY_NO_WORK = 2
    LIMITED_SELF_CARE = 3
    COMPLETELY_DISABLED = 4
    DEAD = 5

    @property
    def description(self) -> str:
        """The Oken et al. 1982 description of this grade."""
        return ECOG_DESCRIPTIONS[self]


ECOG_DESCRIPTIONS: Final[MappingProxyType[EcogPerformanceStatus, str]] = MappingProxyType({
    EcogPerformanceStatus.FULLY_ACTIVE:
        "Fully active, able to carry on all pre-disease performance without restriction.",
    EcogPerformanceStatus.RESTRICTED_STRENUOUS_ACTIVITY:
        "Restricted in physically strenuous activity but ambulatory and able to carry out "
        "work of a light or sedentary nature, e.g., light house work, office work.",
    EcogPerformanceStatus.AMBULATORY_NO_WORK:
        "Ambulatory and capable of all selfcare but unable to carry out any work activities; "
        "up and about more than 50% of waking hours.",
    EcogPerformanceStatus.LIMITED_SELF_CARE:
        "Capable of only limited selfcare; confined to bed or chair more than 50% of "
        "waking hours.",
    EcogPerformanceStatus.COMPLETELY_DISABLED:
        "Completely disabled; cannot carry on any selfcare; totally confined to bed or chair.",
    EcogPerformanceStatus.DEAD: "Dead.",
})


def ecog_status(value: object, *, field: str = "ecog") -> EcogPerformanceStatus:
    """Validate an ECOG grade given as an integer 0–5.

    Booleans, floats (even ``1.0``), strings (even ``"1"``) and integers outside 0–5
    are rejected rather than coerced.

    Raises
    ------
    DomainError
        When ``value`` is not an integer in [0, 5].
    """
    expected = "an integer ECOG performance status in [0, 5]"
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(field, value, expected,
                          "enter the grade as a whole number, e.g. 1, not '1' or 1.0.")
    if not 0 <= value <= 5:
        raise DomainError(field, value, expected)
    return EcogPerformanceStatus(value)
