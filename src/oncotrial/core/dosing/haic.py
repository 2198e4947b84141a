"""HAIC suspension and stop rules for the experimental arm's intra-arterial oxaliplatin.

SYSUCC HAIC protocol text (clinical-content.md §4.2 [LIT]; issue 3 §2):

* suspend HAIC if ANC <1.2 × 10⁹/L, platelets <60 × 10⁹/L, total bilirubin >30 µmol/L
  or albumin <30 g/L (tables ``HAIC_*`` in :mod:`.tables`; the boundary values 1.2, 60,
  30 and 30 themselves allow HAIC);
* suspend if repeat catheterisation is technically impossible (stenosed or occluded
  feeding artery, supply only by extrahepatic collaterals);
* stop HAIC if there is no recovery after a **30-day delay** (a delay of 30 days still
  allows HAIC; 31 days stops it).

A suspension holds only HAIC oxaliplatin: the other drugs follow their own rules
[ASSUMP]. A switch to IV oxaliplatin after HAIC is stopped for technical reasons is a
protocol option the research note proposes [ASSUMP]; it is reported, never applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from oncotrial.core.dosing import tables
from oncotrial.core.dosing.drugs import Drug
from oncotrial.core.dosing.table_types import Action, FiredRule, Outcome, ValueTable
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, Measurement

HAIC_LABS: tuple[tuple[Measurand, ValueTable], ...] = (
    (Measurand.NEUTROPHILS, tables.HAIC_ANC),
    (Measurand.PLATELETS, tables.HAIC_PLATELETS),
    (Measurand.BILIRUBIN, tables.HAIC_BILIRUBIN),
    (Measurand.ALBUMIN, tables.HAIC_ALBUMIN),
)
TECHNICAL_FAILURE = Outcome(Action.HOLD, "repeat catheterisation technically impossible: suspend HAIC")
SWITCH_NOTE = ("HAIC cannot continue (technical failure or delay over 30 days): switching to IV oxaliplatin "
               "is a protocol option proposed by the research note [ASSUMP]; it is not applied")
TECHNICAL_FEASIBILITY = "HAIC, technical feasibility"


@dataclass(frozen=True, slots=True)
class HaicAssessment:
    """Every HAIC rule evaluated, and the resulting outcome for HAIC oxaliplatin."""

    rules: tuple[FiredRule, ...]

    @property
    def outcome(self) -> Outcome:
        return max((r.outcome for r in self.rules), key=lambda o: o.severity)

    @property
    def suspended(self) -> bool:
        return self.outcome.action is Action.HOLD

    @property
    def stopped(self) -> bool:
        return self.outcome.action is Action.DISCONTINUE


def _rule(table: ValueTable, value: float, shown: str) -> FiredRule:
    band = table.find(value)
    return FiredRule(Drug.OXALIPLATIN, table.name, f"{table.quantity} {shown} in {band.interval()}",
                     band.outcome, table.source)


def required_lab(labs: Mapping[Measurand, Measurement], measurand: Measurand, why: str) -> float:
    """The canonical value of a lab a rule needs, or :class:`DomainError` naming ``labs.CODE``."""
    found = labs.get(measurand)
    if found is None:
        raise DomainError(f"labs.{measurand.value}", None, f"a value: it is required {why}",
                          "enter today's result with its unit; it is never assumed.")
    return found.value


def assess_haic(labs: Mapping[Measurand, Measurement], *, delay_days: int,
                technically_feasible: bool = True) -> HaicAssessment:
    """Apply the HAIC suspension criteria to today's labs and the delay so far.

    Parameters
    ----------
    labs:
        Today's labs in canonical units; NEUT, PLAT, BILI and ALB are required.
    delay_days:
        Days HAIC has been delayed so far (0 when it is on time).
    technically_feasible:
        False when repeat catheterisation is technically impossible.

    Raises
    ------
    DomainError
        For a missing lab (``labs.NEUT`` …) or a negative delay (``haic.delay_days``).
    """
    if isinstance(delay_days, bool) or not isinstance(delay_days, int) or delay_days < 0:
        raise DomainError("haic.delay_days", delay_days, "a whole number of days ≥ 0")
    rules: list[FiredRule] = []
    for measurand, table in HAIC_LABS:
        value = required_lab(labs, measurand, "for the HAIC suspension criteria")
        rules.append(_rule(table, value, f"{value:g} {table.unit}"))
    rules.append(_rule(tables.HAIC_DELAY_DAYS, delay_days, f"{delay_days} days"))
    if not technically_feasible:
        rules.append(FiredRule(Drug.OXALIPLATIN, TECHNICAL_FEASIBILITY,
                               "repeat catheterisation reported impossible", TECHNICAL_FAILURE,
                               tables.SRC_HAIC))
    return HaicAssessment(tuple(rules))
