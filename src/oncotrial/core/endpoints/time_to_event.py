"""Time-to-event endpoints (OS, PFS, DoR, time to response) with their censoring rules.

Times are in days, with the CDISC ADaM convention ``AVAL = ADT − STARTDT + 1``
(ADaM IG, ADTTE examples), so an event on the day of randomization has time 1.

PFS censoring follows the FDA guidance "Clinical Trial Endpoints for the Approval of
Cancer Drugs and Biologics" (2018), Table 2 (default rules, each configurable as
protocol data in :class:`PfsCensoring`):

* no adequate baseline assessment, or no adequate post-baseline assessment and no
  death → censored at randomization;
* new anticancer therapy (conversion surgery included) before progression → censored
  at the last adequate assessment before the therapy started;
* progression or death after two or more missed assessments → censored at the last
  adequate assessment before the gap;
* otherwise progression (first PD) or death, whichever is first, is the event; with
  neither, censored at the last adequate assessment on or before the data cut-off.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from oncotrial.core.endpoints.records import PatientRecord, ScanOutcome
from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import Criterion, Response


@dataclass(frozen=True, slots=True)
class TimeToEvent:
    """One patient's value of a time-to-event parameter (ADTTE row)."""

    patient_id: str
    arm: str
    parameter: str
    time_days: int
    event: bool
    date: date
    description: str
    """EVNTDESC for events, CNSDTDSC for censored times."""

    @property
    def censored(self) -> bool:
        return not self.event


@dataclass(frozen=True, slots=True)
class PfsCensoring:
    """PFS censoring rules (FDA 2018 guidance defaults)."""

    censor_without_adequate_assessment: bool = True
    censor_at_new_anticancer_therapy: bool = True
    max_missed_assessments: int | None = 2
    """Events after this many or more consecutive missed assessments are censored."""
    assessment_interval_days: int = 42
    assessment_window_days: int = 7


def study_day(start: date, on: date) -> int:
    """ADaM analysis value in days: ``on − start + 1``."""
    return (on - start).days + 1


def _check_cutoff(record: PatientRecord, cutoff: date) -> None:
    if cutoff < record.randomized_on:
        raise DomainError("cutoff", cutoff.isoformat(),
                          f"a data cut-off on or after randomization ({record.randomized_on})")


def overall_survival(record: PatientRecord, *, cutoff: date) -> TimeToEvent:
    """OS: death from any cause; else censored at the last date known alive (≤ cut-off)."""
    _check_cutoff(record, cutoff)
    start = record.randomized_on
    if record.death_on is not None and record.death_on <= cutoff:
        return TimeToEvent(record.patient_id, record.arm, "OS", study_day(start, record.death_on),
                           True, record.death_on, "DEATH")
    alive = min(record.last_known_alive_on or start, cutoff)
    alive = max(alive, start)
    return TimeToEvent(record.patient_id, record.arm, "OS", study_day(start, alive), False, alive,
                       "LAST KNOWN ALIVE DATE" if alive < cutoff else "DATA CUT-OFF")


def _scans_before(record: PatientRecord, cutoff: date) -> list[ScanOutcome]:
    scans = sorted((s for s in record.scans if s.scan_date <= cutoff), key=lambda s: s.scan_date)
    for scan in scans:
        if scan.scan_date < record.randomized_on:
            raise DomainError(f"{record.patient_id}.scans", scan.scan_date.isoformat(),
                              f"assessment dates on or after randomization ({record.randomized_on})")
    for earlier, later in itertools.pairwise(scans):
        if earlier.scan_date == later.scan_date:
            raise DomainError(f"{record.patient_id}.scans", later.scan_date.isoformat(),
                              "one assessment per date")
    return scans


def _missed(gap_days: int, rules: PfsCensoring) -> int:
    """Number of scheduled assessments missed in a gap between two dates."""
    allowed = rules.assessment_interval_days + rules.assessment_window_days
    if gap_days <= allowed:
        return 0
    return 1 + (gap_days - allowed - 1) // rules.assessment_interval_days


def progression_free_survival(record: PatientRecord, *, criterion: Criterion, cutoff: date,
                              rules: PfsCensoring | None = None) -> TimeToEvent:
    """PFS per ``criterion`` with the censoring rules of the module docstring."""
    _check_cutoff(record, cutoff)
    rules = rules or PfsCensoring()
    start = record.randomized_on
    param = "PFS" if criterion is Criterion.RECIST_1_1 else "PFS (mRECIST)"

    def censor(on: date, why: str) -> TimeToEvent:
        return TimeToEvent(record.patient_id, record.arm, param, study_day(start, on), False, on, why)

    def event(on: date, what: str) -> TimeToEvent:
        return TimeToEvent(record.patient_id, record.arm, param, study_day(start, on), True, on, what)

    scans = _scans_before(record, cutoff)
    therapy = record.new_anticancer_therapy_on
    if therapy is not None and therapy > cutoff:
        therapy = None
    death = record.death_on if record.death_on is not None and record.death_on <= cutoff else None
    first_pd = next((s for s in scans if s.response(criterion) is Response.PD), None)
    event_date, what = None, ""
    if first_pd is not None and (death is None or first_pd.scan_date <= death):
        event_date, what = first_pd.scan_date, "DISEASE PROGRESSION"
    elif death is not None:
        event_date, what = death, "DEATH"

    adequate = [s for s in scans if s.adequate(criterion)]
    if rules.censor_without_adequate_assessment and (
            record.baseline_scan_on is None or (not adequate and what != "DEATH")):
        return censor(start, "NO ADEQUATE BASELINE OR POST-BASELINE ASSESSMENT")
    if (rules.censor_at_new_anticancer_therapy and therapy is not None
            and (event_date is None or therapy < event_date)):
        before = [s.scan_date for s in adequate if s.scan_date <= therapy]
        return censor(before[-1] if before else start, "NEW ANTICANCER THERAPY")
    if event_date is not None:
        before = [s.scan_date for s in adequate if s.scan_date < event_date]
        last = before[-1] if before else start
        if rules.max_missed_assessments is not None and \
                _missed((event_date - last).days, rules) >= rules.max_missed_assessments:
            return censor(last, f"{what} AFTER {rules.max_missed_assessments} OR MORE MISSED "
                                "ASSESSMENTS")
        return event(event_date, what)
    last_adequate = adequate[-1].scan_date if adequate else start
    return censor(last_adequate, "LAST ADEQUATE ASSESSMENT")
