"""Dose levels and reduction ladders, as typed data.

Level 0 is the starting dose; each reduction goes one level down (−1, −2, …). When a
reduction is needed below the lowest level, the drug is discontinued.

* **Lenvatinib** (LENVIMA HCC dose-modification table; Ogasawara et al., J Gastroenterol
  Hepatol 2022;37:428, table 1; clinical-content.md §4.1 [STD]): "reduced in succession
  based on the previous dose level (12, 8, 4, or 4 mg every other day)".
  Starting at 12 mg (≥60 kg): 8 mg QD → 4 mg QD → 4 mg every other day; the label table
  lists no fourth step, so a further reduction discontinues [ASSUMP]. Starting at 8 mg
  (<60 kg): 4 mg QD → 4 mg every other day → discontinue [STD].
* **Oxaliplatin** (mFOLFOX6 conventions and label; clinical-content.md §4.2 [LIT/STD]):
  85 → 65 mg/m², then stop. The 50 mg/m² step proposed in §4.2 as a common level is an
  [ASSUMP] of the research note and is not used: issue 3 fixes "85 → 65 mg/m², then stop".
* **Gemcitabine** (BC Cancer protocol-summary pattern, clinical-content.md §4.2
  [STD + ASSUMP]): 1000 mg/m² → 750 mg/m² (75 %) after a grade 3 non-haematological
  toxicity, then stop (grade 4 is "discontinue or 50 %": discontinue is taken). The
  day-of-count 75 % for neutrophils and platelets is a one-day fraction, not a level.
* **Toripalimab** (LOQTORZI USPI §2; clinical-content.md §4.3 [STD]): 240 mg flat,
  "no dose reductions are recommended": one level, only held or discontinued.

Intensity for comparing levels is the mean daily amount: 4 mg every other day is 2 mg/day.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.errors import DomainError


class Frequency(StrEnum):
    """How often a level's amount is given."""

    ONCE_DAILY = "once daily"
    EVERY_OTHER_DAY = "every other day"
    PER_SCHEDULE = "on the scheduled cycle days"


@dataclass(frozen=True, slots=True)
class DoseLevel:
    """One rung of a ladder: ``amount`` in ``unit`` (mg/m² or mg) at ``frequency``."""

    level: int
    amount: float
    unit: str
    frequency: Frequency

    @property
    def intensity(self) -> float:
        """Mean amount per administration day of the daily schedule (QOD counts half)."""
        return self.amount / 2 if self.frequency is Frequency.EVERY_OTHER_DAY else self.amount

    def describe(self) -> str:
        return f"{self.amount:g} {self.unit} {self.frequency.value} (level {self.level})"


@dataclass(frozen=True, slots=True)
class Ladder:
    """Dose levels of one drug from the starting dose down; below the last: discontinue."""

    name: str
    drug: Drug
    levels: tuple[DoseLevel, ...]
    source: str

    def __post_init__(self) -> None:
        field = f"ladder[{self.name!r}]"
        if not self.levels:
            raise DomainError(field, self.levels, "at least the starting level")
        if [lv.level for lv in self.levels] != [-i for i in range(len(self.levels))]:
            raise DomainError(field, [lv.level for lv in self.levels], "levels numbered 0, -1, -2, …")
        for upper, lower in itertools.pairwise(self.levels):
            if not lower.intensity < upper.intensity:
                raise DomainError(field, f"{upper.describe()}; {lower.describe()}",
                                  "strictly decreasing dose intensity")

    @property
    def starting(self) -> DoseLevel:
        return self.levels[0]

    @property
    def lowest_level(self) -> int:
        return self.levels[-1].level

    def at(self, level: int, *, field: str = "level") -> DoseLevel:
        """The level ``level`` (0, -1, …) or :class:`DomainError` naming ``field``."""
        if isinstance(level, bool) or not isinstance(level, int) or not self.lowest_level <= level <= 0:
            raise DomainError(field, level, f"a {self.drug.value} dose level from 0 down to "
                                            f"{self.lowest_level} ({self.name})")
        return self.levels[-level]

    def below(self, level: int, steps: int = 1) -> DoseLevel | None:
        """The level ``steps`` below ``level``; ``None`` when the ladder is exhausted (discontinue)."""
        self.at(level)
        target = level - steps
        return None if target < self.lowest_level else self.levels[-target]


def _mg(level: int, amount: float, frequency: Frequency = Frequency.ONCE_DAILY) -> DoseLevel:
    return DoseLevel(level, amount, "mg", frequency)


def _m2(level: int, amount: float) -> DoseLevel:
    return DoseLevel(level, amount, "mg/m²", Frequency.PER_SCHEDULE)


_QOD = Frequency.EVERY_OTHER_DAY
_LENVATINIB_SOURCE = ("LENVIMA HCC dose modifications (J Gastroenterol Hepatol 2022;37:428 table 1); "
                      "clinical-content.md §4.1 [STD]")

LENVATINIB_FROM_12_MG: Final = Ladder(
    "lenvatinib from 12 mg (≥60 kg)", Drug.LENVATINIB,
    (_mg(0, 12), _mg(-1, 8), _mg(-2, 4), _mg(-3, 4, _QOD)),
    _LENVATINIB_SOURCE + "; discontinuation after 4 mg every other day [ASSUMP]")
LENVATINIB_FROM_8_MG: Final = Ladder(
    "lenvatinib from 8 mg (<60 kg)", Drug.LENVATINIB,
    (_mg(0, 8), _mg(-1, 4), _mg(-2, 4, _QOD)), _LENVATINIB_SOURCE)
OXALIPLATIN_LADDER: Final = Ladder(
    "oxaliplatin 85 → 65 mg/m²", Drug.OXALIPLATIN, (_m2(0, 85), _m2(-1, 65)),
    "mFOLFOX6 conventions and oxaliplatin label; clinical-content.md §4.2 [LIT/STD]; issue 3 §2")
GEMCITABINE_LADDER: Final = Ladder(
    "gemcitabine 1000 → 750 mg/m²", Drug.GEMCITABINE, (_m2(0, 1000), _m2(-1, 750)),
    "BC Cancer protocol-summary pattern (G3 non-haematological: 75 %); "
    "clinical-content.md §4.2 [STD + ASSUMP]")
TORIPALIMAB_LADDER: Final = Ladder(
    "toripalimab 240 mg flat", Drug.TORIPALIMAB, (_mg(0, 240, Frequency.PER_SCHEDULE),),
    "LOQTORZI USPI §2: no dose reductions; clinical-content.md §4.3 [STD]")

LADDERS: Final = MappingProxyType({
    (Drug.LENVATINIB, 12.0): LENVATINIB_FROM_12_MG,
    (Drug.LENVATINIB, 8.0): LENVATINIB_FROM_8_MG,
    (Drug.OXALIPLATIN, 85.0): OXALIPLATIN_LADDER,
    (Drug.GEMCITABINE, 1000.0): GEMCITABINE_LADDER,
    (Drug.TORIPALIMAB, 240.0): TORIPALIMAB_LADDER,
})
"""Every ladder, by drug and starting amount (mg/m² or mg)."""


def ladder_for(drug: Drug, starting_amount: float) -> Ladder:
    """The ladder that starts at ``starting_amount`` for ``drug``, or :class:`DomainError`."""
    found = LADDERS.get((drug, float(starting_amount)))
    if found is None:
        known = ", ".join(f"{a:g}" for d, a in LADDERS if d is drug)
        raise DomainError(f"{drug.value}.starting_dose", starting_amount,
                          f"a starting dose with a reduction ladder: {known}",
                          "add the ladder to oncotrial.core.dosing.levels before using another dose.")
    return found
