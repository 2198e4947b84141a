"""Types of the dose-modification tables: value bands and grade bands mapped to outcomes.

Style guide §6 rule 5: clinical tables are typed data with explicit interval ends and
are checked for gaps and overlaps when they are built. Two kinds of table exist:

* :class:`ValueTable`: bands of a measured value (ANC, platelets, g/24 h, × ULN, days)
  over [0, ∞), each with an explicit :class:`~oncotrial.core.grading.bands.Closed`.
  The cover check reuses :func:`oncotrial.core.grading.bands.check_cover`, the same
  check the CTCAE tables pass.
* :class:`GradeTable`: bands of CTCAE grades 0–5, each ``[lowest, highest]`` with both
  ends included (grades are whole numbers); every grade 0–5 is in exactly one band.

Both kinds also check that outcomes never get milder as the value gets worse.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from enum import StrEnum

from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.errors import DomainError
from oncotrial.core.grading.bands import Band, Closed, Reference, check_cover, rounded

MAX_CTCAE_GRADE = 5


class Action(StrEnum):
    """What to do with one drug today."""

    GIVE = "give"
    REDUCE = "reduce"
    HOLD = "hold"
    DISCONTINUE = "discontinue"
    NOT_DUE = "not_due"

    @property
    def rank(self) -> int:
        """Severity order: not due < give < reduce < hold < discontinue."""
        return _RANK[self]


_RANK = {Action.NOT_DUE: -1, Action.GIVE: 0, Action.REDUCE: 1, Action.HOLD: 2, Action.DISCONTINUE: 3}


@dataclass(frozen=True, slots=True)
class Outcome:
    """An action with its parameters, in the source's words.

    ``fraction`` scales today's dose of the current level (gemcitabine 75 % "for the day
    the count is drawn"); ``step_down`` is 1 when the level goes one rung down, today
    (``REDUCE``) or when treatment resumes (``HOLD``).
    """

    action: Action
    text: str
    fraction: float = 1.0
    step_down: int = 0

    def __post_init__(self) -> None:
        ok = {
            Action.GIVE: self.fraction == 1 and self.step_down == 0,
            Action.REDUCE: (self.fraction < 1) != (self.step_down == 1) and 0 < self.fraction <= 1,
            Action.HOLD: self.fraction == 1 and self.step_down in (0, 1),
            Action.DISCONTINUE: self.fraction == 1 and self.step_down == 0,
            Action.NOT_DUE: self.fraction == 1 and self.step_down == 0,
        }[self.action]
        if not ok:
            raise DomainError("outcome", self, "a fraction below 1 or one step down for a reduction, "
                                               "a resume step of 0 or 1 for a hold, neither otherwise")

    @property
    def severity(self) -> tuple[int, int, float]:
        return (self.action.rank, self.step_down, 1 - self.fraction)


def _check_monotone(name: str, outcomes: list[Outcome]) -> None:
    for milder, worse in itertools.pairwise(outcomes):
        if worse.severity < milder.severity:
            raise DomainError(f"table[{name!r}]", f"{milder.text} → {worse.text}",
                              "outcomes that never get milder as the value gets worse")


@dataclass(frozen=True, slots=True)
class ValueBand:
    """``outcome`` for values in the interval (``recurrent`` for a second or later occurrence)."""

    lower: float
    upper: float
    closed: Closed
    outcome: Outcome
    recurrent: Outcome | None = None

    def contains(self, value: float) -> bool:
        v = rounded(value)
        above = v >= self.lower if self.closed.includes_lower else v > self.lower
        below = v <= self.upper if self.closed.includes_upper else v < self.upper
        return above and below

    def interval(self) -> str:
        left = "[" if self.closed.includes_lower else "("
        right = "]" if self.closed.includes_upper else ")"
        upper = "∞" if math.isinf(self.upper) else f"{self.upper:g}"
        return f"{left}{self.lower:g}, {upper}{right}"


@dataclass(frozen=True, slots=True)
class ValueTable:
    """Bands of ``quantity`` (in ``unit``) covering [0, ∞) exactly once, in ascending order.

    ``worse_when_low`` tells in which direction outcomes must get more severe.
    """

    name: str
    quantity: str
    unit: str
    bands: tuple[ValueBand, ...]
    worse_when_low: bool
    source: str

    def __post_init__(self) -> None:
        as_bands = [Band(i, b.lower, b.upper, b.closed, b.outcome.text, Reference.ABSOLUTE)
                    for i, b in enumerate(self.bands)]
        check_cover(self.name, as_bands, complete=True)
        ordered = [b.outcome for b in self.bands]
        _check_monotone(self.name, ordered[::-1] if self.worse_when_low else ordered)

    def find(self, value: float) -> ValueBand:
        for band in self.bands:
            if band.contains(value):
                return band
        raise DomainError(f"{self.quantity}", value, f"a value ≥ 0 {self.unit}")


@dataclass(frozen=True, slots=True)
class GradeBand:
    """``outcome`` for CTCAE grades ``lowest``–``highest`` (both included).

    ``persistent`` replaces it when the toxicity is persistent or intolerable,
    ``recurrent`` when it is a second or later occurrence.
    """

    lowest: int
    highest: int
    outcome: Outcome
    persistent: Outcome | None = None
    recurrent: Outcome | None = None

    def contains(self, grade: int) -> bool:
        return self.lowest <= grade <= self.highest

    def interval(self) -> str:
        return f"G{self.lowest}" if self.lowest == self.highest else f"G{self.lowest}–{self.highest}"


@dataclass(frozen=True, slots=True)
class GradeTable:
    """Bands of CTCAE grades covering 0–5 exactly once, in ascending order."""

    name: str
    bands: tuple[GradeBand, ...]
    source: str

    def __post_init__(self) -> None:
        field = f"table[{self.name!r}]"
        expected = 0
        for band in self.bands:
            if band.lowest != expected or band.highest < band.lowest:
                raise DomainError(field, band.interval(),
                                  f"a band starting at grade {expected} (no gap, no overlap)")
            expected = band.highest + 1
        if expected != MAX_CTCAE_GRADE + 1:
            raise DomainError(field, [b.interval() for b in self.bands], "bands covering grades 0–5")
        _check_monotone(self.name, [b.outcome for b in self.bands])

    def find(self, grade: int) -> GradeBand:
        for band in self.bands:
            if band.contains(grade):
                return band
        raise DomainError("grade", grade, "a CTCAE grade 0–5")


@dataclass(frozen=True, slots=True)
class TableChoice:
    """Use ``table`` when the selecting value lies in the interval."""

    lower: float
    upper: float
    closed: Closed
    table: ValueTable


@dataclass(frozen=True, slots=True)
class TableSelector:
    """Chooses a value table by another value (e.g. the baseline × ULN); covers [0, ∞) once."""

    name: str
    quantity: str
    choices: tuple[TableChoice, ...]
    source: str

    def __post_init__(self) -> None:
        check_cover(self.name, [Band(i, c.lower, c.upper, c.closed, c.table.name, Reference.ABSOLUTE)
                                for i, c in enumerate(self.choices)], complete=True)

    def select(self, value: float) -> ValueTable:
        for c in self.choices:
            if ValueBand(c.lower, c.upper, c.closed, Outcome(Action.GIVE, "")).contains(value):
                return c.table
        raise DomainError(self.quantity, value, "a value ≥ 0")


@dataclass(frozen=True, slots=True)
class FiredRule:
    """One table row that applied to one drug, with what triggered it and its source."""

    drug: Drug
    table: str
    condition: str
    outcome: Outcome
    source: str
    adverse_event: str | None = None

    def describe(self) -> str:
        return f"{self.table}: {self.condition} → {self.outcome.text}"
