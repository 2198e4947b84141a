"""Assemble one patient's complete script in one arm (the arm the application assigned).

Order of construction: latent outcome → scans (until PD, death, withdrawal, conversion
surgery or cut-off) → death (progression + post-progression survival, or the latent
death without progression) → end of treatment → cycles → adverse events → labs (which
follow the AEs: immune hepatitis raises ALT/AST, proteinuria sets urine protein,
hypertension sets blood pressure) → lab AE episodes → follow-up. Everything is then
cut at death, withdrawal and the data cut-off.

Timing [ASSUMP]: randomization 1–3 days after screening; first dose 1–5 days after
randomization; day-1 labs 0–2 days before day 1 (protocol window −3..0), day-8 labs
0–1 day before; survival contacts every 12 weeks after the end of treatment; safety
follow-up 30 days after it (protocol SAFETY endpoint window); conversion surgery 14–35
days after the 3rd scan; post-surgery survival Weibull(1.2) with median 30 months;
withdrawals (consent 4 %, lost to follow-up 2 %) uniform on days 14–540.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from oncotrial.core.units import Measurand
from oncotrial.synthetic.adverse_events import (
    HEPATITIS_TERM,
    Window,
    clinical_events,
    fatal_event,
    haic_events,
    lab_events,
    neuropathy,
)
from oncotrial.synthetic.calibration import DAYS_PER_MONTH, weibull_scale_for_median
from oncotrial.synthetic.draws import Draws, Stream
from oncotrial.synthetic.labels import SIMULATED_LABEL
from oncotrial.synthetic.labs import Draw, anemia_grade, lab_panels
from oncotrial.synthetic.latent import SharedLatent, arm_latent
from oncotrial.synthetic.model import (
    AdverseEventScript,
    BaselineProfile,
    CycleScript,
    Death,
    EndOfTreatment,
    EndReason,
    LabPanel,
    LatentOutcome,
    PatientScript,
    Progression,
    VitalSigns,
    Withdrawal,
    WithdrawalKind,
)
from oncotrial.synthetic.plan import SURGERY_SCAN, TrialPlan
from oncotrial.synthetic.tumour import tumour_scans

M = Measurand
POST_SURGERY_SHAPE = 1.2
SAFETY_FOLLOW_UP_DAYS = 30
RECHECK_DAYS = 5  # repeat count before a delayed day 1; never on a day-8 draw date [ASSUMP]


def _weibull(u: float, shape: float, scale: float) -> float:
    value: float = scale * (-math.log(1.0 - u)) ** (1.0 / shape)
    return value


def build_script(
    plan: TrialPlan,
    *,
    arm_code: str,
    index: int,
    patient_id: str,
    site_id: str,
    screening_date: date,
    baseline: BaselineProfile,
    shared: SharedLatent,
) -> PatientScript:
    arm = plan.arm(arm_code)
    arm_index = plan.arm_codes.index(arm_code)
    sc = plan.scenario
    seed = sc.seed
    course_d = Draws(seed, index, Stream.COURSE + arm_index)
    labs_d = Draws(seed, index, Stream.LABS + arm_index)
    events_d = Draws(seed, index, Stream.EVENTS + arm_index)
    interval = plan.imaging.interval_days
    randomized = screening_date + timedelta(days=shared.randomization_offset_days)
    first_dose = randomized + timedelta(days=shared.first_dose_offset_days)
    cutoff_day = (sc.cutoff - randomized).days
    if cutoff_day < 0:
        raise ValueError(
            f"{patient_id}: randomized on {randomized}, after the data cut-off {sc.cutoff}; "
            "generate fewer candidates or move the scenario's cutoff"
        )
    latent = arm_latent(arm, shared, interval + shared.scan_jitter[0], sc.response_pfs_correlation)

    # withdrawal, surgery and death without progression bound the imaging
    withdrawal_day: int | None = None
    kind: WithdrawalKind | None = None
    if shared.u_withdraw < sc.consent_withdrawal_probability + sc.loss_to_follow_up_probability:
        kind = (
            WithdrawalKind.CONSENT_WITHDRAWN
            if shared.u_withdraw < sc.consent_withdrawal_probability
            else WithdrawalKind.LOST_TO_FOLLOW_UP
        )
        lo, hi = sc.withdrawal_window_days
        withdrawal_day = lo + int(shared.u_withdraw_time * (hi - lo))
    surgery_day: int | None = None
    if latent.recist_responder and shared.u_surgery < arm.surgery_probability:
        candidate = (
            SURGERY_SCAN * interval
            + shared.scan_jitter[SURGERY_SCAN - 1]
            + 14
            + int(shared.u_surgery_delay * 22)
        )
        if latent.pfs_days > candidate + 1:
            surgery_day = candidate
    dwp_death_day = math.floor(latent.pfs_days) if latent.death_without_progression else None
    stops = [x for x in (withdrawal_day, surgery_day, dwp_death_day, cutoff_day + 1) if x is not None]
    scans, mechanism = tumour_scans(
        baseline.lesions,
        latent,
        randomized=randomized,
        interval=interval,
        jitter=shared.scan_jitter,
        stop_before_day=min(stops),
        d=course_d,
    )
    progression = None
    if mechanism is not None:
        last = scans[-1]
        progression = Progression(last.scan_date, last.number, mechanism)

    # death (latent), then what is observed
    if dwp_death_day is not None:
        death_day = float(dwp_death_day)
    elif surgery_day is not None and (withdrawal_day is None or surgery_day < withdrawal_day):
        scale = weibull_scale_for_median(
            sc.post_surgery_os_median_months * DAYS_PER_MONTH, POST_SURGERY_SHAPE
        )
        death_day = surgery_day + max(30.0, _weibull(shared.u_pps, POST_SURGERY_SHAPE, scale))
    else:
        pd_day = (
            (progression.scan_date - randomized).days
            if progression is not None
            else interval * math.ceil(latent.pfs_days / interval)
        )
        death_day = pd_day + max(
            7.0, _weibull(shared.u_pps, arm.scenario.pps_weibull_shape, arm.pps_scale_days)
        )
    death_date = randomized + timedelta(days=math.floor(death_day))
    withdrawal_date = randomized + timedelta(days=withdrawal_day) if withdrawal_day is not None else None
    surgery_date = randomized + timedelta(days=surgery_day) if surgery_day is not None else None
    observed_death = death_date <= sc.cutoff and (withdrawal_date is None or death_date < withdrawal_date)
    observed_withdrawal = (
        withdrawal_date is not None and withdrawal_date <= sc.cutoff and (withdrawal_date < death_date)
    )
    if surgery_date is not None and (
        surgery_date > sc.cutoff or (withdrawal_date is not None and surgery_date >= withdrawal_date)
    ):
        surgery_date = None
    last_data = min(
        [
            x
            for x in (
                death_date if observed_death else None,
                withdrawal_date if observed_withdrawal else None,
                sc.cutoff,
            )
            if x is not None
        ]
    )
    data_end = last_data + timedelta(days=1)

    # end of treatment
    ends = []
    if progression is not None:
        ends.append((progression.scan_date, EndReason.PROGRESSION))
    if observed_death:
        ends.append((death_date, EndReason.DEATH))
    if observed_withdrawal and withdrawal_date is not None and kind is not None:
        ends.append((withdrawal_date, EndReason(kind.value)))
    if surgery_date is not None:
        ends.append((surgery_date, EndReason.CONVERSION_SURGERY))
    ends.sort()
    eot = EndOfTreatment(*ends[0]) if ends else None
    treatment_end = eot.on if eot is not None else data_end

    # cycles (nominal dates)
    cycle_days: list[date] = []
    day1 = first_dose
    while day1 < treatment_end:
        cycle_days.append(day1)
        day1 += timedelta(days=arm.cycle_length_days)
    w = Window(first_dose, treatment_end, data_end, death_date if observed_death else None)

    # adverse events
    events: list[AdverseEventScript] = clinical_events(events_d, has_haic=arm.has_haic, drugs=arm.drugs, w=w)
    neuro = (
        neuropathy(events_d, cycle_days=cycle_days, drugs=arm.drugs, w=w)
        if "oxaliplatin" in arm.drugs
        else None
    )
    if neuro is not None:
        events.append(neuro)
    occlusion: date | None = None
    if arm.has_haic:
        procedure, occlusion = haic_events(events_d, sessions=cycle_days, drugs=arm.drugs, w=w)
        events += [e for e in procedure if occlusion is None or e.onset_date <= occlusion]
    death_cause = None
    if observed_death:
        death_cause = (
            "progressive disease"
            if progression is not None
            else "death after conversion surgery"
            if surgery_date is not None
            else "disease-related, no radiological progression"
        )
        if (
            latent.death_without_progression
            and shared.u_fatal < arm.scenario.fatal_ae_fraction_of_deaths_without_progression
            and death_date < treatment_end + timedelta(days=SAFETY_FOLLOW_UP_DAYS)
            and death_date >= first_dose
        ):
            fatal = fatal_event(events_d, death=death_date, drugs=arm.drugs, w=w)
            events.append(fatal)
            death_cause = f"adverse event: {fatal.term}"

    hepatitis = next((e for e in events if e.term == HEPATITIS_TERM), None)
    forced: dict[Measurand, tuple[date, int]] = {}
    skip: dict[Measurand, tuple[date, date]] = {}
    if hepatitis is not None:
        forced = {
            M.ALT: (hepatitis.onset_date, hepatitis.grade),
            M.AST: (hepatitis.onset_date, hepatitis.grade),
        }
        end = hepatitis.resolution_date or hepatitis.onset_date + timedelta(days=60)
        skip = {
            M.ALT: (hepatitis.onset_date - timedelta(days=7), end),
            M.AST: (hepatitis.onset_date - timedelta(days=7), end),
        }
    hypertension = next((e for e in events if e.term == "Hypertension"), None)
    proteinuria = next((e for e in events if e.term == "Proteinuria"), None)

    # labs
    draws: list[Draw] = []
    for k, d1 in enumerate(cycle_days, start=1):
        lab1 = max(randomized, d1 - timedelta(days=labs_d.integer(0, 2)))
        draws.append(Draw(k, "d1", lab1))
        recheck = lab1 + timedelta(days=RECHECK_DAYS)
        if recheck < data_end:
            draws.append(Draw(k, "recheck", recheck))
        d8 = d1 + timedelta(days=7)
        if d8 < treatment_end:
            draws.append(Draw(k, "d8", d8 - timedelta(days=labs_d.integer(0, 1))))
    baseline_sum = sum(x.size_mm for x in baseline.targets)

    def tumour_change(on: date) -> float:
        seen = [s for s in scans if s.scan_date <= on]
        return seen[-1].recist_sum_mm / baseline_sum - 1.0 if seen and baseline_sum > 0 else 0.0

    panels, graded = lab_panels(
        labs_d,
        arm.scenario,
        draws=draws,
        baseline=baseline.labs,
        ranges=baseline.ranges,
        forced=forced,
        tumour_change=tumour_change,
        # a draw shows the episode active from the day before to 3 days after it (the AE is
        # dated by the visit that records it, and core treats an AE as active through its
        # resolution day), so the draw carries the urine protein the dose rule then reads
        proteinuria_grade=(
            lambda on: max(proteinuria.grade_on(on + timedelta(days=k)) for k in range(-1, 4))
        )
        if proteinuria is not None
        else (lambda on: 0),
    )
    graded = [g for g in graded if g.on < data_end]
    hgb_lln = baseline.ranges.lln(M.HEMOGLOBIN)
    anemia = [
        (p.collected_on, anemia_grade(p.value(M.HEMOGLOBIN), hgb_lln), x.cycle)
        for p, x in zip(panels, draws, strict=True)
        if x.kind != "recheck" and not (x.cycle == 1 and x.kind == "d1") and p.collected_on < data_end
    ]
    events += lab_events(graded, anemia, drugs=arm.drugs, w=w, skip=skip, d=events_d)

    # cycles with vitals
    slope = course_d.normal(-0.005, 0.006)
    cycles: list[CycleScript] = []
    by_cycle: dict[int, dict[str, LabPanel]] = {}
    for p, x in zip(panels, draws, strict=True):
        by_cycle.setdefault(x.cycle, {})[x.kind] = p
    for k, d1 in enumerate(cycle_days, start=1):
        weight = baseline.weight_kg * max(0.75, 1.0 + slope * (k - 1) + course_d.normal(0.0, 0.008))
        htn = hypertension.grade_on(d1) if hypertension is not None else 0
        if htn >= 3:
            sbp, dbp = course_d.integer(161, 178), course_d.integer(95, 108)
        elif htn == 2:
            sbp, dbp = course_d.integer(141, 158), course_d.integer(82, 96)
        else:
            sbp = min(139, baseline.systolic_bp_mmhg + course_d.integer(-6, 6))
            dbp = min(89, baseline.diastolic_bp_mmhg + course_d.integer(-5, 5))
        got = by_cycle[k]
        cycles.append(
            CycleScript(
                cycle=k,
                day1_date=d1,
                day8_date=d1 + timedelta(days=7),
                labs_day1=got["d1"],
                labs_day8=got.get("d8"),
                recheck_labs=got.get("recheck"),
                vitals=VitalSigns(d1, round(weight, 1), sbp, dbp),
                haic_technically_feasible=(occlusion is None or d1 <= occlusion) if arm.has_haic else None,
            )
        )

    events.sort(key=lambda e: (e.onset_date, e.term))
    events = [_with_id(e, f"{patient_id}-AE{i:03d}", cycle_days) for i, e in enumerate(events, start=1)]

    # follow-up
    safety = None
    follow: list[date] = []
    if eot is not None:
        s = eot.on + timedelta(days=SAFETY_FOLLOW_UP_DAYS)
        safety = s if s < data_end else None
        f = eot.on + timedelta(days=sc.follow_up_interval_days)
        while f < data_end:
            follow.append(f)
            f += timedelta(days=sc.follow_up_interval_days)
    dated = [
        randomized,
        first_dose,
        *(s.scan_date for s in scans),
        *follow,
        *(p.collected_on for p in panels if p.collected_on < data_end),
    ]
    if safety is not None:
        dated.append(safety)
    last_contact = (
        last_data if (observed_death or observed_withdrawal) else max(d for d in dated if d < data_end)
    )
    return PatientScript(
        label=SIMULATED_LABEL,
        patient_id=patient_id,
        site_id=site_id,
        arm=arm_code,
        randomization_date=randomized,
        first_dose_date=first_dose,
        cycles=tuple(cycles),
        scans=scans,
        adverse_events=tuple(events),
        progression=progression,
        conversion_surgery_date=surgery_date,
        withdrawal=Withdrawal(withdrawal_date, kind)
        if observed_withdrawal and withdrawal_date is not None and kind is not None
        else None,
        death=Death(death_date, str(death_cause)) if observed_death else None,
        end_of_treatment=eot,
        safety_follow_up_date=safety,
        follow_up_dates=tuple(follow),
        last_contact_date=last_contact,
        cutoff=sc.cutoff,
        latent=LatentOutcome(
            pfs_days=latent.pfs_days,
            death_without_progression=latent.death_without_progression,
            os_days=death_day,
            recist_responder=latent.recist_responder,
            mrecist_responder=latent.mrecist_responder,
            complete_response=latent.complete_response,
            recist_depth=latent.recist_depth,
            mrecist_depth=latent.mrecist_depth,
        ),
    )


def _with_id(e: AdverseEventScript, ae_id: str, cycle_days: list[date]) -> AdverseEventScript:
    cycle = e.cycle
    if cycle is None:
        started = [k for k, d in enumerate(cycle_days, start=1) if d <= e.onset_date]
        cycle = started[-1] if started else None
    return replace(e, ae_id=ae_id, cycle=cycle)
