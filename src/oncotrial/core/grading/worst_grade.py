"""Worst CTCAE grade per term, per cycle and per patient.

Each lab draw or assessment is graded on its own (research note clinical-content.md
§3.3, "General grading conventions"); tables of adverse events then report the worst
grade of each term in each cycle and over the whole treatment. An observation that
could not be graded (``grade is None``) is counted, never replaced by a number: the
worst grade is then the worst *known* grade and :attr:`WorstGrade.complete` is false.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from oncotrial.core.errors import DomainError
from oncotrial.core.grading.ctcae_v5 import GradeResult


@dataclass(frozen=True, slots=True)
class GradedEvent:
    """One graded observation of one term in one treatment cycle (0 = before treatment)."""

    term: str
    cycle: int
    grade: int | None

    def __post_init__(self) -> None:
        if not isinstance(self.term, str) or not self.term.strip():
            raise DomainError("event.term", self.term, "a CTCAE term name")
        if isinstance(self.cycle, bool) or not isinstance(self.cycle, int) or self.cycle < 0:
            raise DomainError("event.cycle", self.cycle, "a cycle number ≥ 0")
        grade = self.grade
        if grade is not None and (
                isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 5):
            raise DomainError("event.grade", grade, "an integer grade 0–5, or None")

    @classmethod
    def from_result(cls, result: GradeResult, *, cycle: int) -> GradedEvent:
        return cls(result.term, cycle, result.grade)


@dataclass(frozen=True, slots=True)
class WorstGrade:
    """The worst known grade of a group of events, with how many could not be graded."""

    term: str
    grade: int | None
    events: int
    ungraded: int

    @property
    def complete(self) -> bool:
        """True when every event of the group was graded."""
        return self.ungraded == 0


@dataclass(frozen=True, slots=True)
class WorstGrades:
    """Worst grades per term over all cycles, and per (term, cycle)."""

    by_term: Mapping[str, WorstGrade]
    by_term_cycle: Mapping[tuple[str, int], WorstGrade]

    def in_cycle(self, cycle: int) -> Mapping[str, WorstGrade]:
        """Worst grade per term within one cycle."""
        return MappingProxyType(
            {term: worst for (term, c), worst in self.by_term_cycle.items() if c == cycle})


def _worst(term: str, grades: list[int | None]) -> WorstGrade:
    known = [g for g in grades if g is not None]
    return WorstGrade(term, max(known) if known else None, len(grades),
                      len(grades) - len(known))


def worst_grades(events: Iterable[GradedEvent]) -> WorstGrades:
    """Group events by term and by (term, cycle) and keep the worst grade of each group.

    Terms are compared exactly as spelled; mappings keep the order of first appearance.
    """
    per_term: dict[str, list[int | None]] = {}
    per_cycle: dict[tuple[str, int], list[int | None]] = {}
    for event in events:
        if not isinstance(event, GradedEvent):
            raise DomainError("events[]", event, "GradedEvent values")
        per_term.setdefault(event.term, []).append(event.grade)
        per_cycle.setdefault((event.term, event.cycle), []).append(event.grade)
    return WorstGrades(
        MappingProxyType({t: _worst(t, g) for t, g in per_term.items()}),
        MappingProxyType({k: _worst(k[0], g) for k, g in per_cycle.items()}),
    )
