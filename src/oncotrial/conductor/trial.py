"""The trial conductor: a SIMULATED NCT07304388 run through the real services, day by day.

Virtual patients (:mod:`oncotrial.synthetic`) arrive at the sites from 2023-08-01. For
each one the conductor does what the site team would do in the application, in calendar
order across all patients, each call inside :func:`~oncotrial.services.clock.simulated_clock`
for its day:

* coordinator: screen (core eligibility engine), record consent, randomize (the stored
  stratified list; the arm is the application's, never the generator's), enter the
  baseline scan, start treatment;
* each treatment day: vitals (day 1), labs, the exposure form whose dose decision comes
  from core (with the rule that fired), pharmacist verification, then the doses given;
  a cycle the decision delays is retried a week later with the recheck labs, and every
  later cycle moves with it;
* adverse events at onset, their resolution later; scans every 6 weeks with RECIST 1.1
  and mRECIST derived by core; end of treatment, survival follow-up and death.

Nothing is written to the database directly. A service refusal is a bug to fix, not to
bypass: it stops the run with the patient, the day and the error.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, cast

from oncotrial.conductor import forms_data as fd
from oncotrial.conductor.lab_panels import dated, merged, with_urine_protein
from oncotrial.conductor.parameters import build_parameters
from oncotrial.conductor.patient_state import (
    CONSENT_VERSION,
    EOT_REASON,
    MAX_DELAYS_PER_CYCLE,
    ConductorError,
    PatientState,
    Staff,
    Summary,
)
from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import FormRecord, User, Visit
from oncotrial.services import clock
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from oncotrial.services.demo_staff import do_build_demo_staff
from oncotrial.services.protocol import current_protocol
from oncotrial.services.randomization import check_randomize_subject
from oncotrial.services.record_states import do_verify_dose
from oncotrial.services.simulated import SIMULATED_LABEL, do_mark_simulated
from oncotrial.services.subjects import check_screen_subject, do_record_consent
from oncotrial.services.visits import do_end_treatment, do_record_visit, do_start_treatment
from oncotrial.synthetic.generator import SyntheticCandidate, generate_trial
from oncotrial.synthetic.sites import site_ranges

Event = tuple[date, int, int, Callable[[], None]]
"""A queued action: (day, order within the day, insertion count, the call)."""


class Conductor:
    def __init__(self, candidates: Iterable[SyntheticCandidate], summary: Summary, staff: Staff) -> None:
        self.summary = summary
        self.staff = staff
        self.queue: list[Event] = []
        self.counter = itertools.count()
        for c in candidates:
            self.at(c.screening_date, 0, partial(self.screen, c))

    # -- scheduling -------------------------------------------------------------------
    def at(self, day: date, order: int, action: Callable[[], None]) -> None:
        if day <= self.summary.cutoff:
            heapq.heappush(self.queue, (day, order, next(self.counter), action))

    def run(self, progress: Callable[[date], None] | None = None, *, until: date | None = None) -> None:
        """Carry out every queued event in calendar order (those up to ``until`` when given)."""
        while self.queue and (until is None or self.queue[0][0] <= until):
            day, _, _, action = heapq.heappop(self.queue)
            with clock.simulated_clock(datetime.combine(day, time(10, 0), tzinfo=UTC)):
                action()
            if progress is not None:
                progress(day)

    def ctx(self, state: PatientState, reason: str = "") -> AuditContext:
        return AuditContext(
            self.staff.coordinator[state.candidate.site_id], request_id="conductor", reason=reason
        )

    # -- screening and randomization ---------------------------------------------------
    def screen(self, c: SyntheticCandidate) -> None:
        coordinator = self.staff.coordinator[c.site_id]
        ctx = AuditContext(coordinator, request_id="conductor")
        screening = _call(
            c.patient_id,
            "screen",
            lambda: check_screen_subject(ctx, c.screening_document(), on=c.screening_date),
        )
        self.summary.screened += 1
        if screening.status != "eligible":
            if c.eligible:
                raise ConductorError(f"{c.patient_id}: generated eligible but screened {screening.status}")
            self.summary.screen_failures += 1
            return
        state = PatientState(c, screening.subject)
        _call(
            c.patient_id,
            "consent",
            lambda: do_record_consent(
                ctx,
                state.subject,
                version=CONSENT_VERSION,
                consent_date=min(c.baseline.consent_date, c.screening_date),
            ),
        )
        randomize_on = c.script(_any_arm()).randomization_date
        self.at(randomize_on, 1, lambda: self.randomize(state))

    def randomize(self, state: PatientState) -> None:
        c = state.candidate
        allocation = _call(
            c.patient_id,
            "randomize",
            lambda: check_randomize_subject(self.ctx(state), state.subject, f"conductor-{c.patient_id}"),
        )
        state.arm = allocation.slot.arm
        state.script = c.script(state.arm)
        self.summary.randomized += 1
        self.summary.by_arm[state.arm] = self.summary.by_arm.get(state.arm, 0) + 1
        self.save(
            state, "tumour_assessment", fd.baseline_scan_data(c.baseline.lesions, c.baseline.imaging_date)
        )
        self.schedule_patient(state)

    def schedule_patient(self, state: PatientState) -> None:
        s = state.script
        assert s is not None
        self.at(s.first_dose_date, 2, lambda: self.start(state))
        for cycle in s.cycles:
            self.at(cycle.day1_date, 4, partial(self.treat, state, cycle, 1))
            if cycle.labs_day8 is not None:
                self.at(cycle.day8_date, 4, partial(self.treat, state, cycle, 8))
        for ae in s.adverse_events:
            self.at(ae.onset_date, 3, partial(self.adverse_event, state, ae))
            if ae.resolution_date is not None:
                self.at(ae.resolution_date, 3, partial(self.resolve, state, ae))
        for scan in s.scans:
            self.at(scan.scan_date, 6, partial(self.scan, state, scan))
        if s.end_of_treatment is not None:
            eot = s.end_of_treatment
            self.at(eot.on, 7, lambda: self.end_treatment(state, eot.on, EOT_REASON[eot.reason.value]))
        for day in s.follow_up_dates:
            self.at(day, 8, partial(self.follow_up, state, day))
        if s.death is not None:
            death = s.death
            self.at(death.on, 9, lambda: self.death(state, death.on, death.cause))

    def start(self, state: PatientState) -> None:
        script = state.script
        assert script is not None
        _call(
            state.candidate.patient_id,
            "start treatment",
            lambda: do_start_treatment(self.ctx(state), state.subject, start_date=script.first_dose_date),
        )
        state.treating = True

    # -- treatment ---------------------------------------------------------------------
    def treat(self, state: PatientState, cycle: Any, day: int, *, retry: int = 0, labs: Any = None) -> None:
        if not state.treating or state.ended:
            return
        on = clock.today()
        nominal = cycle.day1_date if day == 1 else cycle.day8_date
        if retry == 0 and state.shift_days and on == nominal:
            shifted = nominal + timedelta(days=state.shift_days)
            self.at(shifted, 4, lambda: self.treat(state, cycle, day, retry=-1))
            return
        panel = labs or (cycle.labs_day1 if day == 1 else cycle.labs_day8)
        if panel is None:
            return
        if day == 8 and state.levels.get("gemcitabine") == "discontinued":
            return  # day 8 is a gemcitabine visit; lenvatinib continues at home
        visit = self.visit(state, f"C{cycle.cycle}D{day}", on)
        if day == 1 and retry <= 0:
            height = state.candidate.baseline.height_cm if not state.height_recorded else None
            self.save(
                state,
                "vitals",
                fd.vitals_data(cycle, on, height_cm=height, ecog=state.candidate.baseline.ecog),
                visit=visit,
            )
            state.height_recorded = True
        if labs is not None:  # a retried (delayed) day: the recheck draw, completed from day 1's panel
            panel = merged(labs, cycle.labs_day1)
        if on != nominal:  # a moved day: the draw shows the proteinuria of the actual day
            panel = with_urine_protein(panel, state.script, on)
        self.save(
            state,
            "labs",
            fd.labs_data(dated(panel, panel.collected_on if labs is not None else nominal, on)),
            visit=visit if retry <= 0 else None,
        )
        exposure = self.save(
            state,
            "exposure",
            fd.exposure_data(on, cycle.cycle, day, haic_feasible=cycle.haic_technically_feasible),
            visit=visit if retry <= 0 else None,
        )
        derived = exposure.derived
        state.levels = dict(derived.get("levels_after", {}))
        if derived.get("cycle_delayed") and day == 1:
            self.summary.delayed_cycles += 1
            if retry >= MAX_DELAYS_PER_CYCLE or cycle.recheck_labs is None:
                self.end_treatment(state, on, "toxicity")
                return
            state.shift_days += 7
            self.at(
                on + timedelta(days=7),
                4,
                lambda: self.treat(state, cycle, day, retry=max(retry, 0) + 1, labs=cycle.recheck_labs),
            )
            return
        rows = fd.administered_rows(derived)
        if not rows:
            if fd.all_discontinued(derived):
                self.end_treatment(state, on, "toxicity")
            return
        pharmacist = self.staff.pharmacist[state.candidate.site_id]
        _call(
            state.candidate.patient_id,
            "verify dose",
            lambda: do_verify_dose(AuditContext(pharmacist, request_id="conductor"), exposure),
        )
        data = dict(exposure.data) | {"administered": rows}
        self.save(state, "exposure", data, record=exposure, reason="doses given as verified")
        self.summary.treatment_days += 1
        self.summary.reduced_doses += sum(1 for a, _, _ in derived["prescription"].values() if a == "reduce")
        state.last_dose = on
        if fd.all_discontinued(derived):
            self.end_treatment(state, on, "toxicity")

    def visit(self, state: PatientState, code: str, on: date) -> Visit | None:
        visit = Visit.objects.filter(subject=state.subject, code=code).order_by("pk").first()
        if visit is None or visit.actual_date is not None:
            return None
        visit.subject = state.subject  # the subject in hand (and its site): no lazy reads
        return cast(
            Visit,
            _call(
                state.candidate.patient_id,
                f"visit {code}",
                lambda: do_record_visit(self.ctx(state), visit, visit_date=on),
            ),
        )

    # -- safety, efficacy, follow-up ---------------------------------------------------
    def adverse_event(self, state: PatientState, ae: Any) -> None:
        record = self.save(state, "adverse_event", fd.adverse_event_data(ae, resolved_by=clock.today()))
        state.ae_records[ae.ae_id] = record
        self.summary.adverse_events += 1

    def resolve(self, state: PatientState, ae: Any) -> None:
        record = state.ae_records.get(ae.ae_id)
        if record is None:
            return
        if "resolution_date" in record.data:  # the record as this patient's last save left it
            return
        state.ae_records[ae.ae_id] = self.save(
            state,
            "adverse_event",
            fd.adverse_event_data(ae, resolved_by=clock.today()),
            record=record,
            reason="adverse event resolved",
        )

    def scan(self, state: PatientState, scan: Any) -> None:
        visit = (
            Visit.objects.filter(
                subject=state.subject,
                kind="assessment",
                actual_date__isnull=True,
                planned_date__lte=scan.scan_date + timedelta(days=7),
                planned_date__gte=scan.scan_date - timedelta(days=7),
            )
            .order_by("planned_date", "code")
            .first()
        )  # the model's order within one subject
        if visit is not None:
            visit.subject = state.subject  # the subject in hand (and its site): no lazy reads
            visit = _call(
                state.candidate.patient_id,
                f"visit {visit.code}",
                lambda: do_record_visit(self.ctx(state), visit, visit_date=scan.scan_date),
            )
        self.save(
            state,
            "tumour_assessment",
            fd.follow_up_scan_data(scan, state.candidate.baseline.lesions),
            visit=visit,
        )
        self.summary.scans += 1

    def end_treatment(self, state: PatientState, on: date, reason: str) -> None:
        if state.ended or not state.treating:
            state.ended = True
            return
        state.ended = True
        last = state.last_dose or on
        self.save(
            state,
            "end_of_treatment",
            {
                "eot_date": on.isoformat(),
                "last_dose_date": last.isoformat(),
                "reason": reason,
                **({"reason_detail": "conversion surgery"} if reason == "other" else {}),
            },
        )
        _call(
            state.candidate.patient_id,
            "end treatment",
            lambda: do_end_treatment(self.ctx(state), state.subject, eot_date=on, reason=reason),
        )

    def follow_up(self, state: PatientState, day: date) -> None:
        s = state.script
        assert s is not None
        surgery = s.conversion_surgery_date
        therapy = surgery is not None and surgery <= day
        self.save(
            state,
            "follow_up",
            {
                "contact_date": day.isoformat(),
                "survival_status": "alive",
                "last_known_alive_date": day.isoformat(),
                "subsequent_therapy": therapy,
                **(
                    {
                        "subsequent_therapy_name": "conversion surgery (resection)",
                        "conversion_surgery": True,
                        "subsequent_therapy_start": surgery.isoformat(),
                    }
                    if surgery is not None and therapy
                    else {}
                ),
            },
        )

    def death(self, state: PatientState, on: date, cause: str) -> None:
        if state.treating and not state.ended:
            self.end_treatment(state, on, "death")
        kind = (
            "adverse_event"
            if cause.startswith("adverse event")
            else ("disease_progression" if "progress" in cause else "other")
        )
        data: dict[str, Any] = {"death_date": on.isoformat(), "cause": kind}
        if kind in ("other", "adverse_event"):
            data["cause_detail"] = cause
        self.save(state, "death", data)
        self.summary.deaths += 1

    # -- one service call --------------------------------------------------------------
    def save(
        self,
        state: PatientState,
        form: str,
        data: dict[str, Any],
        *,
        visit: Visit | None = None,
        record: FormRecord | None = None,
        reason: str = "",
    ) -> FormRecord:
        ctx = self.ctx(state, reason)
        return cast(
            FormRecord,
            _call(
                state.candidate.patient_id,
                form,
                lambda: do_save_form(ctx, state.subject, form, data, visit=visit, record=record),
            ),
        )


def _call(patient_id: str, what: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except DomainError as exc:
        raise ConductorError(f"{patient_id} on {clock.today().isoformat()}: {what} refused: {exc}") from exc


def _any_arm() -> str:
    return current_protocol().arms[0].code




def conduct_trial(
    *,
    patients: int = 120,
    sites: int = 5,
    seed: int = 20230801,
    progress: Callable[[date], None] | None = None,
    workers: int = 1,
) -> Summary:
    """Build the SIMULATED trial in the (empty, migrated) database; returns what was done.

    ``workers`` > 1 (PostgreSQL only) conducts the sites in that many processes at once
    (:mod:`oncotrial.conductor.parallel`): a scale and load run, not reproducible run to run.
    """
    if workers > 1:
        from oncotrial.conductor.parallel import check_parallel_database

        check_parallel_database(workers)
    protocol = current_protocol()
    trial = generate_trial(protocol, patients=patients, sites=sites, seed=seed)
    cutoff = trial.cutoff
    scenario = trial.plan.scenario
    summary = Summary(SIMULATED_LABEL, seed, cutoff)
    site_rows = [
        (
            code,
            "Cancer Center Sun Yat-sen University (SIMULATED)" if i == 0 else f"Simulated centre {i + 1:02d}",
        )
        for i, code in enumerate(scenario.sites)
    ]
    ranges = {
        code: [(r.test.value, r.lln, r.uln, r.unit) for r in site_ranges(code, i).ranges]
        for i, code in enumerate(scenario.sites)
    }
    with clock.simulated_clock(
        datetime.combine(scenario.start_date - timedelta(days=30), time(9, 0), tzinfo=UTC)
    ):
        summary.accounts = do_build_demo_staff(site_rows, ranges, seed=seed, per_stratum=max(60, patients))
        admin = User.objects.get(username="admin")
        do_mark_simulated(
            AuditContext(admin, reason="demo trial build"),
            seed=seed,
            data_cutoff=cutoff,
            parameters=build_parameters(patients, sites, seed, workers),
        )
    if workers > 1:
        from oncotrial.conductor.parallel import conduct_in_parallel

        return conduct_in_parallel(trial.candidates, summary, scenario.sites, workers, progress)
    conductor = Conductor(trial.candidates, summary, Staff.load())
    conductor.run(progress)
    return summary
