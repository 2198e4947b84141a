"""Plain, JSON-serialisable form of an assessment under RECIST 1.1 and mRECIST.

The layout is documented in ``docs/recist-input.md`` (section "Output"): per scan one
entry per criterion, each labelled with its criterion ("RECIST 1.1", "mRECIST"; RECIST
1.1: Eisenhauer et al., Eur J Cancer 2009;45:228–247; mRECIST: Lencioni & Llovet, Semin
Liver Dis 2010;30:52–60), then best overall response and PFS event date per criterion.
"""

from __future__ import annotations

from datetime import date

from oncotrial.core.response.assessment import Assessment, CriterionAssessment
from oncotrial.core.response.timeline import TimePoint


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _time_point(tp: TimePoint) -> dict[str, object]:
    return {
        "criterion": tp.criterion.value,
        "response": tp.response.value,
        "response_as_read": tp.response_as_read.value,
        "target_response": tp.target_response.value,
        "non_target_response": tp.non_target_response.value,
        "new_lesions": tp.new_lesions.value,
        "sum_mm": tp.sum_mm,
        "baseline_sum_mm": tp.baseline_sum_mm,
        "nadir_mm": tp.nadir_mm,
        "change_from_baseline_pct": _round(tp.change_from_baseline_pct),
        "change_from_nadir_pct": _round(tp.change_from_nadir_pct),
        "targets_not_assessed": list(tp.targets_not_assessed),
        "progression_confirmed_on": _iso(tp.progression_confirmed_on),
        "notes": list(tp.notes),
    }


def _summary(ca: CriterionAssessment) -> dict[str, object]:
    bor = ca.best_overall_response
    return {
        "criterion": ca.criterion.value,
        "response": bor.response.value,
        "scan_date": _iso(bor.scan_date),
        "confirmation_required": bor.confirmation_required,
    }


def assessment_to_dict(assessment: Assessment) -> dict[str, object]:
    """Plain, JSON-serialisable form of an :class:`Assessment`."""
    recist, mrecist = assessment.by_criterion
    time_points = [
        {
            "scan_date": r.scan_date.isoformat(),
            "responses": {r.criterion.value: _time_point(r), m.criterion.value: _time_point(m)},
        }
        for r, m in zip(recist.time_points, mrecist.time_points, strict=True)
    ]
    return {
        "criteria": [ca.criterion.value for ca in assessment.by_criterion],
        "time_points": time_points,
        "best_overall_response": {ca.criterion.value: _summary(ca) for ca in assessment.by_criterion},
        "pfs_event_date": {ca.criterion.value: _iso(ca.pfs_event_date) for ca in assessment.by_criterion},
    }
