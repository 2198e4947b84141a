"""The study drugs of NCT07304388 and how a drug name is read.

Regimen (registry record NCT07304388, both arms; protocol file ``nct07304388.yaml``):
oxaliplatin 85 mg/m² on day 1 (hepatic arterial infusion over 3 h in the experimental
arm, intravenous in the control arm), gemcitabine 1 g/m² on days 1 and 8 of a 21-day
cycle, lenvatinib 12 mg (or 8 mg) once daily and toripalimab 240 mg every 3 weeks.
"""

from __future__ import annotations

from enum import StrEnum

from oncotrial.core.errors import DomainError


class Drug(StrEnum):
    """A study drug, spelled as in the protocol file."""

    OXALIPLATIN = "oxaliplatin"
    GEMCITABINE = "gemcitabine"
    LENVATINIB = "lenvatinib"
    TORIPALIMAB = "toripalimab"

    @property
    def is_chemotherapy(self) -> bool:
        """Oxaliplatin and gemcitabine: the drugs a maximum number of chemotherapy cycles limits."""
        return self in (Drug.OXALIPLATIN, Drug.GEMCITABINE)


def parse_drug(value: object, *, field: str) -> Drug:
    """Read a drug name (case and surrounding spaces ignored) or raise :class:`DomainError`."""
    if isinstance(value, str):
        try:
            return Drug(value.strip().lower())
        except ValueError:
            pass
    raise DomainError(field, value, "one of " + ", ".join(d.value for d in Drug),
                      "only the four study drugs have dosing rules.")
