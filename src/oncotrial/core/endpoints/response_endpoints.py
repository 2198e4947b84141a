"""Best overall response, objective response and disease control, duration of response.

BOR uses :func:`oncotrial.core.response.best_overall_response` (RECIST 1.1 §4.4;
SD minimum duration and optional confirmation from the protocol). Assessments after
the start of a new anticancer therapy do not count (RECIST 1.1 §4.4.3, "until the
start of subsequent therapy"). Duration of response runs from the first documented
CR or PR to progression or death, with the PFS censoring rules; time to response from
randomization to the first CR or PR (responders only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.time_to_event import (
    PfsCensoring,
    TimeToEvent,
    progression_free_survival,
    study_day,
)
from oncotrial.core.response.best_response import (
    BestOverallResponse,
    Confirmation,
    ResponseAt,
    best_overall_response,
)
from oncotrial.core.response.criteria import Criterion, Response

RESPONDERS = frozenset({Response.CR, Response.PR})
DISEASE_CONTROL = frozenset({Response.CR, Response.PR, Response.SD, Response.NON_CR_NON_PD})


@dataclass(frozen=True, slots=True)
class ResponseSettings:
    sd_min_days: int = 42
    confirmation: Confirmation | None = None


def best_response(record: PatientRecord, *, criterion: Criterion, cutoff: date,
                  settings: ResponseSettings | None = None) -> BestOverallResponse:
    """BOR from randomization to the first PD, cut-off or new anticancer therapy."""
    settings = settings or ResponseSettings()
    end = cutoff
    therapy = record.new_anticancer_therapy_on
    if therapy is not None and therapy < end:
        end = therapy
    points = [ResponseAt(s.scan_date, s.response(criterion))
              for s in record.scans if s.scan_date <= end]
    return best_overall_response(points, randomization_date=record.randomized_on,
                                 sd_min_days=settings.sd_min_days,
                                 confirmation=settings.confirmation, end_date=end)


def is_objective_response(bor: BestOverallResponse) -> bool:
    return bor.response in RESPONDERS


def is_disease_control(bor: BestOverallResponse) -> bool:
    return bor.response in DISEASE_CONTROL


def first_response_date(record: PatientRecord, *, criterion: Criterion, cutoff: date,
                        settings: ResponseSettings | None = None) -> date | None:
    """Date of the first CR or PR when the BOR is a response, else None."""
    bor = best_response(record, criterion=criterion, cutoff=cutoff, settings=settings)
    if not is_objective_response(bor):
        return None
    first = next(s.scan_date for s in sorted(record.scans, key=lambda s: s.scan_date)
                 if s.response(criterion) in RESPONDERS)
    return first


def duration_of_response(record: PatientRecord, *, criterion: Criterion, cutoff: date,
                         settings: ResponseSettings | None = None,
                         rules: PfsCensoring | None = None) -> TimeToEvent | None:
    """DoR for a responder (None otherwise): first CR/PR to the PFS event or censoring."""
    start = first_response_date(record, criterion=criterion, cutoff=cutoff, settings=settings)
    if start is None:
        return None
    pfs = progression_free_survival(record, criterion=criterion, cutoff=cutoff, rules=rules)
    end = max(pfs.date, start)
    param = "DOR" if criterion is Criterion.RECIST_1_1 else "DOR (mRECIST)"
    return TimeToEvent(record.patient_id, record.arm, param, study_day(start, end), pfs.event, end,
                       pfs.description)


def time_to_response(record: PatientRecord, *, criterion: Criterion, cutoff: date,
                     settings: ResponseSettings | None = None) -> TimeToEvent | None:
    """Time from randomization to the first CR or PR, for responders."""
    start = first_response_date(record, criterion=criterion, cutoff=cutoff, settings=settings)
    if start is None:
        return None
    param = "TTR" if criterion is Criterion.RECIST_1_1 else "TTR (mRECIST)"
    return TimeToEvent(record.patient_id, record.arm, param,
                       study_day(record.randomized_on, start), True, start, "FIRST RESPONSE")
