"""Screening: evaluate every criterion, never stopping at the first failure.

A candidate is eligible only if every inclusion condition is met and no exclusion
condition is met. Unknown (missing or stale) data make the result *incomplete*,
never eligible; a definite failure makes it *not eligible* whatever else is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from oncotrial.core.eligibility.patient import Candidate
from oncotrial.core.eligibility.rules import ScreeningContext
from oncotrial.core.protocol.model import Criterion, CriterionKind


class ScreeningStatus(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one criterion for one candidate."""

    code: str
    kind: CriterionKind
    text: str
    rule: str
    met: bool | None
    reason: str

    @property
    def passes(self) -> bool | None:
        """True when this criterion lets the candidate in; None when not evaluable."""
        if self.met is None:
            return None
        return self.met if self.kind is CriterionKind.INCLUSION else not self.met

    @property
    def label(self) -> str:
        if self.met is None:
            return "not evaluable"
        return "met" if self.met else "not met"


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    patient_id: str
    context: ScreeningContext
    verdicts: tuple[Verdict, ...]

    @property
    def status(self) -> ScreeningStatus:
        passes = [v.passes for v in self.verdicts]
        if any(p is False for p in passes):
            return ScreeningStatus.NOT_ELIGIBLE
        if any(p is None for p in passes):
            return ScreeningStatus.INCOMPLETE
        return ScreeningStatus.ELIGIBLE

    @property
    def eligible(self) -> bool:
        return self.status is ScreeningStatus.ELIGIBLE

    @property
    def failed(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.passes is False)

    @property
    def not_evaluable(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.passes is None)

    def to_dict(self) -> dict[str, object]:
        return {
            "patient_id": self.patient_id,
            "screening_date": self.context.on.isoformat(),
            "status": self.status.value,
            "eligible": self.eligible,
            "failed": [v.code for v in self.failed],
            "not_evaluable": [v.code for v in self.not_evaluable],
            "verdicts": [
                {"code": v.code, "kind": v.kind.value, "text": v.text, "rule": v.rule,
                 "met": v.met, "passes": v.passes, "reason": v.reason}
                for v in self.verdicts
            ],
        }


def screen(candidate: Candidate, criteria: Sequence[Criterion], context: ScreeningContext
           ) -> ScreeningResult:
    """Evaluate every criterion for ``candidate`` on ``context.on``."""
    verdicts = []
    for c in criteria:
        outcome = c.rule.evaluate(candidate, context)
        verdicts.append(Verdict(c.code, c.kind, c.text, c.rule.describe(), outcome.met,
                                outcome.reason))
    return ScreeningResult(candidate.patient_id, context, tuple(verdicts))
