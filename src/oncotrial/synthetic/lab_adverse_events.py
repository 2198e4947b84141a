"""AE episodes from the scripted lab values.

Grade ≥ 2 runs of consecutive draws of one test become one AE episode each [ASSUMP]; lab
episodes are serious only at grade 4 (50 %) [ASSUMP]. Terms: :data:`.adverse_event_specs.LAB_TERMS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from oncotrial.core.units import Measurand
from oncotrial.synthetic.adverse_event_common import Window, _attribution
from oncotrial.synthetic.adverse_event_specs import LAB_TERMS
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.labs import GradedDraw
from oncotrial.synthetic.model import AdverseEventScript, GradeChange, Relatedness


def lab_events(
    graded: Sequence[GradedDraw],
    anemia: Sequence[tuple[date, int, int]],
    *,
    drugs: Sequence[str],
    w: Window,
    skip: dict[Measurand, tuple[date, date]],
    d: Draws,
) -> list[AdverseEventScript]:
    """Grade ≥ 2 runs of consecutive draws of one test become one AE episode each [ASSUMP]."""
    by_test: dict[Measurand, list[tuple[date, int, int]]] = {}
    for g in graded:
        by_test.setdefault(g.test, []).append((g.on, g.grade, g.cycle))
    by_test[Measurand.HEMOGLOBIN] = list(anemia)
    out = []
    for test, rows in by_test.items():
        rows.sort()
        term, category, pairs = LAB_TERMS[test]
        run: list[tuple[date, int, int]] = []
        for i, row in enumerate([*rows, (date.max, 0, 0)]):
            if row[1] >= 2 and row[0] != date.max:
                run.append(row)
                continue
            if run:
                window = skip.get(test)
                if window is None or not (window[0] <= run[0][0] <= window[1]):
                    out.append(_lab_episode(d, term, category, pairs, run, row, drugs, w))
                run = []
            del i
    return out


def _lab_episode(
    d: Draws,
    term: str,
    category: str,
    pairs: tuple[tuple[str, Relatedness], ...],
    run: list[tuple[date, int, int]],
    after: tuple[date, int, int],
    drugs: Sequence[str],
    w: Window,
) -> AdverseEventScript:
    course = [GradeChange(run[0][0], run[0][1])]
    for on, g, _ in run[1:]:
        if g != course[-1].grade:
            course.append(GradeChange(on, g))
    resolved = None
    if after[0] != date.max and after[0] < w.data_end:
        course.append(GradeChange(after[0], 0))
        resolved = after[0]
    grade = max(g for _, g, _ in run)
    return AdverseEventScript(
        ae_id="",
        term=term,
        category=category,
        grade=grade,
        onset_date=run[0][0],
        resolution_date=resolved,
        course=tuple(course),
        serious=grade >= 4 and d.bernoulli(0.5),
        attribution=_attribution(pairs, drugs),
        immune_mediated="no",
        source="lab",
        cycle=run[0][2],
        fatal=False,
    )
