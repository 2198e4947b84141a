"""Non-target response and new lesions at one time point.

RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247):

* §4.3.3 non-target CR: all non-target lesions gone and all nodes < 10 mm short
  axis; Non-CR/Non-PD: persistence of one or more; PD: unequivocal progression of
  existing non-target lesions (§4.3.4: a substantial worsening, judged by the reader
  and entered here as ``unequivocal_progression``);
* §4.4.2 not all evaluated → NE, unless another lesion shows PD;
* §4.3.5 an unequivocal new lesion is PD; an equivocal one is not, until a later
  scan confirms it (the progression is then dated at its first appearance).

mRECIST (Lencioni & Llovet, Semin Liver Dis 2010;30:52–60): non-target CR is the
disappearance of intratumoral arterial enhancement in all non-target lesions;
persistence of enhancement is an incomplete response (Non-CR/Non-PD); unequivocal
progression or a new lesion is PD. Nodes keep the RECIST 1.1 < 10 mm rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from oncotrial.core.response.criteria import (
    Criterion,
    NewLesionStatus,
    NonTargetResponse,
    ResponseRules,
)
from oncotrial.core.response.lesions import (
    LesionStatus,
    NewLesion,
    NonTargetReading,
    NonTargetStatus,
    TargetReading,
)
from oncotrial.core.response.target import lesion_value


class NonTargetState(StrEnum):
    """State of one non-target lesion under one criterion."""

    RESOLVED = "resolved"
    PERSISTING = "persisting"
    PROGRESSED = "progressed"
    NOT_ASSESSED = "not_assessed"


def non_target_state(
    reading: NonTargetReading | None, *, is_lymph_node: bool, criterion: Criterion
) -> NonTargetState:
    """State of a baseline non-target lesion from its reading (``None`` = not read)."""
    if reading is None or reading.status is NonTargetStatus.NOT_ASSESSED:
        return NonTargetState.NOT_ASSESSED
    if reading.status is NonTargetStatus.UNEQUIVOCAL_PROGRESSION:
        return NonTargetState.PROGRESSED
    if reading.status is NonTargetStatus.ABSENT:
        return NonTargetState.RESOLVED
    if is_lymph_node:
        normal = reading.short_axis_mm is not None and reading.short_axis_mm < 10
        return NonTargetState.RESOLVED if normal else NonTargetState.PERSISTING
    if criterion is Criterion.MRECIST and reading.enhancing is False:
        return NonTargetState.RESOLVED
    return NonTargetState.PERSISTING


def state_from_target_reading(
    reading: TargetReading | None, *, is_lymph_node: bool, rules: ResponseRules
) -> NonTargetState:
    """State of a RECIST 1.1 target followed as an mRECIST non-target (not enhancing).

    Its enhancement is read from the viable diameter: 0 means none; no viable value
    on a present lesion means unknown, counted as persisting.
    """
    if reading is None or reading.status is LesionStatus.NOT_ASSESSED:
        return NonTargetState.NOT_ASSESSED
    if reading.status in (LesionStatus.DISAPPEARED, LesionStatus.COALESCED):
        return NonTargetState.RESOLVED
    value = lesion_value(reading, is_lymph_node=is_lymph_node, rules=rules)
    if value is None:
        return NonTargetState.PERSISTING
    if is_lymph_node:
        normal = value < rules.node_normal_below_mm
        return NonTargetState.RESOLVED if normal else NonTargetState.PERSISTING
    return NonTargetState.RESOLVED if value == 0 else NonTargetState.PERSISTING


def classify_non_target_response(states: Sequence[NonTargetState]) -> NonTargetResponse:
    """Non-target response from the states of all baseline non-target lesions.

    PD if any progressed; NE if any was not assessed; CR if all resolved;
    Non-CR/Non-PD otherwise; NA when there is no non-target lesion.
    """
    if not states:
        return NonTargetResponse.NOT_APPLICABLE
    if NonTargetState.PROGRESSED in states:
        return NonTargetResponse.PD
    if NonTargetState.NOT_ASSESSED in states:
        return NonTargetResponse.NE
    if all(s is NonTargetState.RESOLVED for s in states):
        return NonTargetResponse.CR
    return NonTargetResponse.NON_CR_NON_PD


def new_lesion_status(new_lesions: Sequence[NewLesion]) -> NewLesionStatus:
    """Worst status among the new lesions seen at a time point."""
    statuses = {n.status for n in new_lesions}
    if NewLesionStatus.UNEQUIVOCAL in statuses:
        return NewLesionStatus.UNEQUIVOCAL
    if NewLesionStatus.EQUIVOCAL in statuses:
        return NewLesionStatus.EQUIVOCAL
    return NewLesionStatus.NONE
