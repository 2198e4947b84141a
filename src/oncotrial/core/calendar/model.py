"""Values of the treatment calendar: cycles, scheduled doses, visits and their windows.

Issue 3 §1: cycles of 21 days generated from each arm's regimen; visits with windows;
a delayed cycle shifts every later cycle (cycle-relative scheduling) while imaging
stays anchored to randomization; skipped doses (a day-8 omission, a lenvatinib
interruption) are explicit entries with their reason, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from oncotrial.core.protocol.model import Route


class DoseStatus(StrEnum):
    PLANNED = "planned"
    SKIPPED = "skipped"


class VisitAnchor(StrEnum):
    RANDOMIZATION = "randomization"
    CYCLE_DAY = "cycle_day"


class VisitStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class CycleDelay:
    """Day 1 of ``cycle`` (≥2) given ``days`` after its planned date (previous day 1 + 21)."""

    cycle: int
    days: int
    reason: str


@dataclass(frozen=True, slots=True)
class Omission:
    """A scheduled cycle-day dose not given (e.g. gemcitabine day 8 omitted for low counts)."""

    drug: str
    cycle: int
    day: int
    reason: str


@dataclass(frozen=True, slots=True)
class Interruption:
    """A drug not taken from ``first_day`` to ``last_day`` inclusive (e.g. lenvatinib held)."""

    drug: str
    first_day: date
    last_day: date
    reason: str


@dataclass(frozen=True, slots=True)
class ScheduledDose:
    """One dose of one drug on one date; ``day`` is the day of its cycle (1 = day 1)."""

    drug: str
    route: Route
    on: date
    cycle: int
    day: int
    status: DoseStatus
    infusion_minutes: int | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Cycle:
    """A treatment cycle: planned and actual day 1, and whether chemotherapy is given."""

    number: int
    planned_start: date
    start: date
    delay_days: int
    delay_reason: str | None
    chemotherapy: bool

    def day_of(self, on: date) -> int:
        return (on - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Visit:
    """A visit with its target date and window [earliest, latest]."""

    key: str
    code: str
    name: str
    anchor: VisitAnchor
    target: date
    earliest: date
    latest: date
    cycle: int | None = None
    day: int | None = None
    number: int | None = None

    def status(self, on: date, *, done: bool = False) -> VisitStatus:
        """Done; overdue when the window has closed before ``on``; due inside it; else upcoming."""
        if done:
            return VisitStatus.DONE
        if on > self.latest:
            return VisitStatus.OVERDUE
        if on >= self.earliest:
            return VisitStatus.DUE
        return VisitStatus.UPCOMING


@dataclass(frozen=True, slots=True)
class Calendar:
    """The generated calendar of one patient up to ``until`` (inclusive)."""

    arm: str
    randomization: date
    until: date
    max_chemotherapy_cycles: int | None
    cycles: tuple[Cycle, ...]
    doses: tuple[ScheduledDose, ...]
    visits: tuple[Visit, ...]

    def cycle(self, number: int) -> Cycle:
        return next(c for c in self.cycles if c.number == number)

    def doses_of(self, drug: str) -> tuple[ScheduledDose, ...]:
        return tuple(d for d in self.doses if d.drug == drug)

    def doses_on(self, on: date) -> tuple[ScheduledDose, ...]:
        return tuple(d for d in self.doses if d.on == on)

    def skipped(self) -> tuple[ScheduledDose, ...]:
        return tuple(d for d in self.doses if d.status is DoseStatus.SKIPPED)

    def visit(self, key: str) -> Visit:
        return next(v for v in self.visits if v.key == key)
