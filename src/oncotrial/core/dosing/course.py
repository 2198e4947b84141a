"""A drug's course as a ledger of decisions and doses: no dose without a decision.

Research note clinical-content.md §4.1, software implication [ASSUMP]: keep a
per-patient dose-level state with hold and resume dates, interruptions and reductions
being separate events. The ledger enforces the rule of issue 3 ("a hold is never
followed by a dose without a new decision"):

* a dose can be recorded only while the latest decision for the drug is *give* or
  *reduce*; after a *hold* nothing is given until a new decision authorises it;
* a dose is never above the dose that decision authorised;
* after *discontinue* no decision can resume the drug;
* decisions and doses are recorded in date order.

A decision that is *not due* (no dose scheduled) leaves the authorisation unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from oncotrial.core.dosing.decision import DrugDecision
from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.dosing.table_types import Action
from oncotrial.core.errors import DomainError


class CourseStatus(StrEnum):
    PENDING = "pending"
    """No decision taken yet."""
    ACTIVE = "active"
    HELD = "held"
    DISCONTINUED = "discontinued"


@dataclass(frozen=True, slots=True)
class CourseEvent:
    """A decision (``action``) or a dose given (``dose_mg``) on a date."""

    on: date
    kind: str
    action: Action | None
    level: int | None
    dose_mg: float | None


@dataclass(frozen=True, slots=True)
class DrugCourse:
    """The ledger of one drug for one patient; every method returns a new course."""

    drug: Drug
    status: CourseStatus = CourseStatus.PENDING
    level: int = 0
    authorised_mg: float | None = None
    events: tuple[CourseEvent, ...] = ()

    @property
    def last_date(self) -> date | None:
        return self.events[-1].on if self.events else None

    def _check_date(self, on: date, field: str) -> None:
        if not isinstance(on, date):
            raise DomainError(field, on, "a date")
        if self.last_date is not None and on < self.last_date:
            raise DomainError(field, on.isoformat(), f"a date on or after {self.last_date.isoformat()}",
                              "record decisions and doses in the order they happened.")

    def record_decision(self, decision: DrugDecision, on: date) -> DrugCourse:
        """Record today's decision for this drug."""
        if decision.drug is not self.drug:
            raise DomainError("decision.drug", decision.drug.value, f"a decision for {self.drug.value}")
        self._check_date(on, "decision.date")
        if self.status is CourseStatus.DISCONTINUED and decision.action is not Action.DISCONTINUE:
            raise DomainError("decision.action", decision.action.value,
                              f"discontinue: {self.drug.value} was permanently discontinued")
        event = CourseEvent(on, "decision", decision.action, decision.level, None)
        if decision.action is Action.NOT_DUE:
            return replace(self, events=(*self.events, event))
        if decision.action is Action.DISCONTINUE:
            return replace(self, status=CourseStatus.DISCONTINUED, authorised_mg=None,
                           events=(*self.events, event))
        if decision.action is Action.HOLD:
            return replace(self, status=CourseStatus.HELD, authorised_mg=None,
                           level=self.level if decision.level is None else decision.level,
                           events=(*self.events, event))
        assert decision.dose is not None and decision.level is not None
        return replace(self, status=CourseStatus.ACTIVE, level=decision.level,
                       authorised_mg=decision.dose.dose_mg, events=(*self.events, event))

    def record_dose(self, on: date, dose_mg: float) -> DrugCourse:
        """Record a dose given; refused unless the latest decision authorises it."""
        self._check_date(on, "dose.date")
        if self.status is not CourseStatus.ACTIVE or self.authorised_mg is None:
            raise DomainError("dose", dose_mg,
                              f"no dose of {self.drug.value}: it is {self.status.value}",
                              "take a new dose decision first.")
        if isinstance(dose_mg, bool) or not isinstance(dose_mg, int | float) \
                or not 0 < dose_mg <= self.authorised_mg:
            raise DomainError("dose.dose_mg", dose_mg,
                              f"a dose in (0, {self.authorised_mg:g}] mg (the authorised dose)")
        return replace(self, events=(*self.events, CourseEvent(on, "dose", None, self.level, dose_mg)))
