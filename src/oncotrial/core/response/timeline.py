"""Responses at every time point of one patient, under one criterion.

Sources: RECIST 1.1, Eisenhauer et al., Eur J Cancer 2009;45:228–247 — §4.3.1 (PD
against the nadir, the smallest sum on study including baseline), §4.3.5 (an
equivocal new lesion confirmed later: progression dated at the scan where it was
first seen), §4.4.1 (Tables 1 and 2); EORTC RECIST clarifications (a confirmed PR
stays PR unless PD against the nadir — e.g. 165 → 63 → 65 mm; after a definitive
overall CR the reappearance of any lesion is PD); mRECIST, Lencioni & Llovet, Semin
Liver Dis 2010;30:52–60.

Each :class:`TimePoint` keeps both the response *as read* that day and the final
``response`` used for best response and PFS, which differs only when a later scan
confirmed an equivocal new lesion present at this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from oncotrial.core.response.baseline import Baseline, CriterionBaseline
from oncotrial.core.response.criteria import (
    Criterion,
    NewLesionStatus,
    NonTargetResponse,
    Response,
    ResponseRules,
    TargetResponse,
)
from oncotrial.core.response.lesions import Scan
from oncotrial.core.response.non_target import (
    NonTargetState,
    classify_non_target_response,
    new_lesion_status,
    non_target_state,
    state_from_target_reading,
)
from oncotrial.core.response.overall import overall_response
from oncotrial.core.response.target import TargetAssessment, assess_targets, lesion_value
from oncotrial.core.response.validation import check_scans

_REAPPEARANCE = (Response.PR, Response.SD, Response.NON_CR_NON_PD)


@dataclass(frozen=True, slots=True)
class TimePoint:
    """Response at one scan under one criterion."""

    criterion: Criterion
    scan_date: date
    target_response: TargetResponse
    non_target_response: NonTargetResponse
    new_lesions: NewLesionStatus
    sum_mm: float | None
    """Sum of the assessed targets (partial when ``targets_not_assessed`` is set)."""
    baseline_sum_mm: float | None
    nadir_mm: float | None
    """Smallest complete sum before this scan, baseline included (PD reference)."""
    change_from_baseline_pct: float | None
    change_from_nadir_pct: float | None
    targets_not_assessed: tuple[str, ...]
    response_as_read: Response
    response: Response
    progression_confirmed_on: date | None = None
    """Date of the scan that confirmed a new lesion first seen (equivocal) here."""
    notes: tuple[str, ...] = ()


def _pct(value: Decimal | None, reference: Decimal | None) -> float | None:
    if value is None or reference is None or reference == 0:
        return None
    return float((value - reference) / reference * 100)


def _first_unequivocal(scans: Sequence[Scan]) -> dict[str, date]:
    confirmed: dict[str, date] = {}
    for scan in scans:
        for new in scan.new_lesions:
            if new.status is NewLesionStatus.UNEQUIVOCAL:
                confirmed.setdefault(new.lesion_id, scan.scan_date)
    return confirmed


def _non_target_states(
    baseline: Baseline, view: CriterionBaseline, scan: Scan, rules: ResponseRules
) -> list[NonTargetState]:
    nt_readings = {r.lesion_id: r for r in scan.non_targets}
    t_readings = {r.lesion_id: r for r in scan.targets}
    states: list[NonTargetState] = []
    for lesion_id in view.non_target_ids:
        lesion = baseline.lesion(lesion_id)
        assert lesion is not None
        if lesion.is_target:  # RECIST target followed as an mRECIST non-target
            states.append(
                state_from_target_reading(
                    t_readings.get(lesion_id), is_lymph_node=lesion.is_lymph_node, rules=rules
                )
            )
        else:
            states.append(
                non_target_state(
                    nt_readings.get(lesion_id), is_lymph_node=lesion.is_lymph_node, criterion=rules.criterion
                )
            )
    return states


def _targets(
    view: CriterionBaseline, scan: Scan, nadir: Decimal | None, rules: ResponseRules
) -> TargetAssessment:
    readings = {r.lesion_id: r for r in scan.targets}
    values = [
        lesion_value(readings.get(t.lesion_id), is_lymph_node=t.is_lymph_node, rules=rules)
        for t in view.targets
    ]
    return assess_targets(view.targets, values, nadir_mm=nadir, rules=rules)


def assess_time_points(
    baseline: Baseline,
    scans: Sequence[Scan],
    *,
    randomization_date: date,
    rules: ResponseRules,
) -> tuple[TimePoint, ...]:
    """Response at every scan, in date order, under ``rules.criterion``.

    Raises
    ------
    DomainError
        Any problem found by :func:`~oncotrial.core.response.validation.check_scans`.
    """
    ordered = check_scans(baseline, scans, randomization_date=randomization_date)
    view = baseline.for_criterion(rules.criterion)
    base = view.baseline_sum_mm
    nadir = base
    confirmed = _first_unequivocal(ordered)
    previous: Response | None = None
    points: list[TimePoint] = []
    for scan in ordered:
        notes: list[str] = []
        ta = _targets(view, scan, nadir, rules)
        ntr = classify_non_target_response(_non_target_states(baseline, view, scan, rules))
        new = new_lesion_status(scan.new_lesions)
        as_read = overall_response(ta.response, ntr, new)
        if ta.not_assessed and ta.response is TargetResponse.PD:
            notes.append("targets not assessed, but the assessed ones already meet PD")
        if rules.reappearance_after_cr_is_pd and previous is Response.CR and as_read in _REAPPEARANCE:
            notes.append("disease reappeared after an overall CR at the previous time point")
            as_read = Response.PD
        later = [
            confirmed[n.lesion_id]
            for n in scan.new_lesions
            if n.status is NewLesionStatus.EQUIVOCAL
            and confirmed.get(n.lesion_id, scan.scan_date) > scan.scan_date
        ]
        response, confirmed_on = as_read, None
        if later and as_read is not Response.PD:
            confirmed_on = min(later)
            response = Response.PD
            notes.append(
                f"equivocal new lesion seen here was confirmed on {confirmed_on.isoformat()}: "
                "progression dated at this scan (RECIST 1.1 §4.3.5)"
            )
        complete = not ta.not_assessed and ta.sum_mm is not None
        points.append(
            TimePoint(
                criterion=rules.criterion,
                scan_date=scan.scan_date,
                target_response=ta.response,
                non_target_response=ntr,
                new_lesions=new,
                sum_mm=None if ta.sum_mm is None else float(ta.sum_mm),
                baseline_sum_mm=None if base is None else float(base),
                nadir_mm=None if nadir is None else float(nadir),
                change_from_baseline_pct=_pct(ta.sum_mm, base) if complete else None,
                change_from_nadir_pct=_pct(ta.sum_mm, nadir) if complete else None,
                targets_not_assessed=ta.not_assessed,
                response_as_read=as_read,
                response=response,
                progression_confirmed_on=confirmed_on,
                notes=tuple(notes),
            )
        )
        if complete and ta.sum_mm is not None and nadir is not None:
            nadir = min(nadir, ta.sum_mm)
        previous = as_read
    return tuple(points)
