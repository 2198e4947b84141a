"""Clinical, cumulative-neuropathy, HAIC-procedure and fatal adverse events of one patient.

Each generator draws from :class:`~oncotrial.synthetic.draws.Draws` in a fixed order (the
trial is reproducible from its seed); rates, grade splits and sources are in
:mod:`.adverse_event_specs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from oncotrial.synthetic.adverse_event_common import Window, _attribution, _event, _geometric
from oncotrial.synthetic.adverse_event_specs import (
    CLINICAL,
    FATAL_TERMS,
    HA_OCCLUSION_TERM,
    HAIC_PATIENT,
    INFUSION_PAIN,
    NEUROPATHY_TERM,
    P,
    R,
)
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.model import AdverseEventScript, GradeChange


def clinical_events(d: Draws, *, has_haic: bool, drugs: Sequence[str], w: Window) -> list[AdverseEventScript]:
    out = []
    for spec in CLINICAL:
        p = spec.p_haic if has_haic else spec.p_control
        if not d.bernoulli(p):
            d.random()
            d.random()
            continue
        grade = 1 + d.choice(spec.grades)
        onset = w.first_dose + timedelta(days=d.integer(*spec.onset_days))
        if onset >= w.treatment_end + timedelta(days=30):
            continue
        e = _event(d, spec, onset, grade, w, drugs, source="clinical")
        if e is not None:
            out.append(e)
    return out


def neuropathy(
    d: Draws, *, cycle_days: Sequence[date], drugs: Sequence[str], w: Window
) -> AdverseEventScript | None:
    """Cumulative oxaliplatin sensory neuropathy by cycle number (§4.2)."""
    n = len(cycle_days)
    c1 = 2 + _geometric(d, 0.2)
    if c1 > n:
        return None
    changes = [(cycle_days[c1 - 1] + timedelta(days=d.integer(0, 10)), 1)]
    if d.bernoulli(0.45):
        c2 = c1 + 2 + _geometric(d, 0.3)
        if c2 <= n:
            changes.append((cycle_days[c2 - 1] + timedelta(days=d.integer(0, 10)), 2))
            if d.bernoulli(0.15):
                c3 = c2 + 2 + _geometric(d, 0.4)
                if c3 <= n:
                    changes.append((cycle_days[c3 - 1] + timedelta(days=d.integer(0, 10)), 3))
    changes = [(on, g) for on, g in changes if on < w.data_end and (w.death is None or on <= w.death)]
    if not changes:
        return None
    grade = max(g for _, g in changes)
    course = [GradeChange(on, g) for on, g in changes]
    improve = w.treatment_end + timedelta(days=d.integer(30, 120))
    resolution = improve + timedelta(days=d.integer(60, 200))
    end = w.data_end if w.death is None else min(w.data_end, w.death)
    if grade >= 2 and improve < end and improve > course[-1].on:
        course.append(GradeChange(improve, 1))
    resolved = None
    if resolution < end and resolution > course[-1].on:
        course.append(GradeChange(resolution, 0))
        resolved = resolution
    return AdverseEventScript(
        ae_id="",
        term=NEUROPATHY_TERM,
        category="peripheral_neuropathy",
        grade=grade,
        onset_date=course[0].on,
        resolution_date=resolved,
        course=tuple(course),
        serious=grade >= 3 and d.bernoulli(0.3),
        attribution=_attribution((("oxaliplatin", R),), drugs),
        immune_mediated="no",
        source="clinical",
        cycle=c1,
        fatal=False,
    )


def haic_events(
    d: Draws, *, sessions: Sequence[date], drugs: Sequence[str], w: Window
) -> tuple[list[AdverseEventScript], date | None]:
    """Procedure events of the HAIC sessions; the date of a hepatic-artery occlusion, if any."""
    out: list[AdverseEventScript] = []
    occlusion: date | None = None
    for on in sessions:
        if d.bernoulli(INFUSION_PAIN.p_haic):
            e = _event(
                d, INFUSION_PAIN, on, 1 + d.choice(INFUSION_PAIN.grades), w, drugs, source="haic_procedure"
            )
            if e is not None:
                out.append(e)
    for spec in HAIC_PATIENT:
        if not sessions or not d.bernoulli(spec.p_haic):
            continue
        session = sessions[d.integer(0, len(sessions) - 1)]
        onset = session + timedelta(days=d.integer(*spec.onset_days))
        e = _event(d, spec, onset, 1 + d.choice(spec.grades), w, drugs, source="haic_procedure")
        if e is not None:
            out.append(e)
            if spec.term == HA_OCCLUSION_TERM:
                occlusion = onset
    return out, occlusion


def fatal_event(d: Draws, *, death: date, drugs: Sequence[str], w: Window) -> AdverseEventScript:
    term = FATAL_TERMS[d.integer(0, len(FATAL_TERMS) - 1)]
    onset = max(w.first_dose, death - timedelta(days=d.integer(1, 10)))
    course = (GradeChange(onset, 3 if onset < death else 5),) + (
        (GradeChange(death, 5),) if onset < death else ()
    )
    pairs = (("toripalimab", R),) if term == "Pneumonitis" else (("lenvatinib", P), ("oxaliplatin", P))
    return AdverseEventScript(
        ae_id="",
        term=term,
        category="hemorrhage"
        if "hemorrhage" in term
        else "pneumonitis"
        if term == "Pneumonitis"
        else "hepatic_failure"
        if term == "Hepatic failure"
        else "other",
        grade=5,
        onset_date=onset,
        resolution_date=None,
        course=course,
        serious=True,
        attribution=_attribution(pairs, drugs),
        immune_mediated="yes" if term == "Pneumonitis" else "no",
        source="clinical",
        cycle=None,
        fatal=True,
    )
