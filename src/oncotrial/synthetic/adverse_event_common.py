"""The treatment-emergent window and the parts every adverse-event generator shares.

Attribution per drug (not related unless the spec says otherwise), the grade course (a
grade ≥ 2 event that resolves steps down to grade 1 at 40 % of its duration), the event
itself, and seriousness. Serious [ASSUMP]: every grade 4–5 event; grade 3: 50 % (clinical),
100 % (immune-mediated, HAIC procedure). Rates: :mod:`.adverse_event_specs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from oncotrial.synthetic.adverse_event_specs import AeSpec, N
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.model import AdverseEventScript, Attribution, GradeChange, Relatedness


@dataclass(frozen=True, slots=True)
class Window:
    """Treatment-emergent window: first dose .. end (exclusive), data end (exclusive)."""

    first_dose: date
    treatment_end: date  # last possible dosing day + 1
    data_end: date  # death, withdrawal or cut-off + 1: nothing on or after (death itself is allowed)
    death: date | None


def _attribution(pairs: Sequence[tuple[str, Relatedness]], drugs: Sequence[str]) -> tuple[Attribution, ...]:
    given = dict(pairs)
    return tuple(Attribution(drug, given.get(drug, N)) for drug in drugs)


def _course(
    onset: date, grade: int, resolution: date | None, w: Window
) -> tuple[tuple[GradeChange, ...], date | None]:
    changes = [GradeChange(onset, grade)]
    if resolution is not None and grade >= 2:
        step = onset + timedelta(days=max(1, (resolution - onset).days * 2 // 5))
        if step < resolution and step < w.data_end:
            changes.append(GradeChange(step, 1))
    if resolution is not None and resolution < w.data_end and (w.death is None or resolution < w.death):
        changes.append(GradeChange(resolution, 0))
        return tuple(changes), resolution
    return tuple(changes), None


def _serious(d: Draws, grade: int, immune: str, procedure: bool) -> bool:
    if grade >= 4:
        return True
    if grade == 3:
        return True if immune == "yes" or procedure else d.bernoulli(0.5)
    return False


def _event(
    d: Draws,
    spec: AeSpec,
    onset: date,
    grade: int,
    w: Window,
    drugs: Sequence[str],
    *,
    source: str,
    cycle_of: dict[date, int] | None = None,
) -> AdverseEventScript | None:
    if onset < w.first_dose or onset >= w.data_end or (w.death is not None and onset > w.death):
        return None
    if spec.duration_days is None:  # lasts while treated: resolves 2–8 weeks after the later of the two
        resolution = max(w.treatment_end, onset) + timedelta(days=d.integer(14, 60))
    else:
        resolution = onset + timedelta(days=d.integer(*spec.duration_days))
    course, resolved = _course(onset, grade, resolution, w)
    return AdverseEventScript(
        ae_id="",
        term=spec.term,
        category=spec.category,
        grade=grade,
        onset_date=onset,
        resolution_date=resolved,
        course=course,
        serious=_serious(d, grade, spec.immune, source != "clinical"),
        attribution=_attribution(spec.attribution, drugs),
        immune_mediated=spec.immune,
        source=source,
        cycle=None,
        fatal=False,
    )


def _geometric(d: Draws, p: float) -> int:
    """Failures before the first success, P(success) = p."""
    k = 0
    while not d.bernoulli(p) and k < 60:
        k += 1
    return k
