"""Properties of the response engine, checked on generated patients (hypothesis).

* Adding a new lesion never improves the response at that scan or before it, never
  delays the PFS event and never improves best overall response (clinical order,
  PD worst).
* PR is never declared when the target sum decreased by less than 30 % (RECIST 1.1
  §4.3.1), computed here independently with exact fractions.
* With viable diameters equal to the RECIST diameters, enhancement present whenever a
  lesion is present, and the 5 mm floor switched on, mRECIST and RECIST agree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.response.assessment import Assessment, AssessmentSettings, assess
from oncotrial.core.response.criteria import NewLesionStatus, Response, TargetResponse
from oncotrial.core.response.lesions import (
    BaselineLesion,
    LesionStatus,
    NewLesion,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
)

R0 = date(2024, 1, 1)
CLINICAL_ORDER = [
    Response.CR,
    Response.PR,
    Response.SD,
    Response.NON_CR_NON_PD,
    Response.NE,
    Response.PD,
    Response.MISSING,
]
"""Best first; PD is worse than NE (unknown). MISSING only occurs with no scan."""

tenths = st.integers(min_value=0, max_value=1500).map(lambda n: n / 10)


@st.composite
def baselines(draw: st.DrawFn) -> list[BaselineLesion]:
    lesions: list[BaselineLesion] = []
    n_targets = draw(st.integers(1, 5))
    n_nodes = draw(st.integers(0, min(2, n_targets)))
    for i in range(n_targets):
        if i < n_nodes:
            sa = draw(st.integers(150, 600)) / 10
            lesions.append(
                BaselineLesion(f"T{i}", "node", is_lymph_node=True, is_target=True, short_axis_mm=sa)
            )
        else:
            ld = draw(st.integers(100, 1000)) / 10
            lesions.append(
                BaselineLesion(
                    f"T{i}",
                    f"organ{i}",
                    is_lymph_node=False,
                    is_target=True,
                    longest_diameter_mm=ld,
                    viable_diameter_mm=ld,
                )
            )
    if draw(st.booleans()):
        lesions.append(BaselineLesion("NT0", "peritoneum", is_lymph_node=False, is_target=False))
    if draw(st.booleans()):
        lesions.append(
            BaselineLesion(
                "NN0",
                "node",
                is_lymph_node=True,
                is_target=False,
                short_axis_mm=draw(st.integers(100, 149)) / 10,
            )
        )
    return lesions


@st.composite
def target_readings(draw: st.DrawFn, lesion: BaselineLesion) -> TargetReading | None:
    kind = draw(st.sampled_from(["measured"] * 6 + ["gone", "small", "na", "missing"]))
    if kind == "measured":
        value = draw(tenths)
        return TargetReading(
            lesion.lesion_id, diameter_mm=value, viable_diameter_mm=None if lesion.is_lymph_node else value
        )
    if kind == "gone":
        return TargetReading(lesion.lesion_id, LesionStatus.DISAPPEARED)
    if kind == "small":
        return TargetReading(lesion.lesion_id, LesionStatus.TOO_SMALL)
    if kind == "na":
        return TargetReading(lesion.lesion_id, LesionStatus.NOT_ASSESSED)
    return None


@st.composite
def non_target_readings(draw: st.DrawFn, lesion: BaselineLesion) -> NonTargetReading:
    status = draw(
        st.sampled_from(
            [
                NonTargetStatus.PRESENT,
                NonTargetStatus.PRESENT,
                NonTargetStatus.ABSENT,
                NonTargetStatus.NOT_ASSESSED,
                NonTargetStatus.UNEQUIVOCAL_PROGRESSION,
            ]
        )
    )
    if lesion.is_lymph_node and status is NonTargetStatus.PRESENT:
        return NonTargetReading(lesion.lesion_id, status, short_axis_mm=draw(st.integers(50, 200)) / 10)
    # Enhancement present exactly when the lesion is present (for the agreement property).
    return NonTargetReading(lesion.lesion_id, status, enhancing=status is NonTargetStatus.PRESENT)


@st.composite
def patients(draw: st.DrawFn) -> tuple[list[BaselineLesion], list[Scan]]:
    lesions = draw(baselines())
    days = draw(st.lists(st.integers(1, 400), min_size=1, max_size=4, unique=True))
    scans = []
    for day in sorted(days):
        targets = [draw(target_readings(les)) for les in lesions if les.is_target]
        scans.append(
            Scan(
                R0 + timedelta(days=day),
                tuple(t for t in targets if t is not None),
                tuple(draw(non_target_readings(les)) for les in lesions if not les.is_target),
            )
        )
    return lesions, scans


def _rank(response: Response) -> int:
    return CLINICAL_ORDER.index(response)


@settings(max_examples=300, deadline=None)
@given(patients(), st.data())
def test_adding_a_new_lesion_can_only_worsen_the_response(
    patient: tuple[list[BaselineLesion], list[Scan]], data: st.DataObject
) -> None:
    lesions, scans = patient
    k = data.draw(st.integers(0, len(scans) - 1), label="scan index")
    status = data.draw(st.sampled_from([NewLesionStatus.EQUIVOCAL, NewLesionStatus.UNEQUIVOCAL]))
    confirm_at = data.draw(st.sampled_from([None, *range(k + 1, len(scans))]), label="confirm")
    changed = list(scans)
    changed[k] = replace(scans[k], new_lesions=(NewLesion("NEW", status),))
    if status is NewLesionStatus.EQUIVOCAL and confirm_at is not None:
        later = changed[confirm_at]
        changed[confirm_at] = replace(later, new_lesions=(NewLesion("NEW", NewLesionStatus.UNEQUIVOCAL),))
    before = assess(lesions, scans, randomization_date=R0)
    after = assess(lesions, changed, randomization_date=R0)
    for old, new in zip(before.by_criterion, after.by_criterion, strict=True):
        for i in range(k + 1):
            assert _rank(new.time_points[i].response) >= _rank(old.time_points[i].response)
        if status is NewLesionStatus.UNEQUIVOCAL:
            assert new.time_points[k].response is Response.PD
        if old.pfs_event_date is not None:
            assert new.pfs_event_date is not None
            assert new.pfs_event_date <= old.pfs_event_date
        assert _rank(new.best_overall_response.response) >= _rank(old.best_overall_response.response)


def _exact_sum(assessment: Assessment, index: int) -> Fraction | None:
    point = assessment.recist_1_1.time_points[index]
    return None if point.sum_mm is None else Fraction(str(point.sum_mm))


@settings(max_examples=300, deadline=None)
@given(patients())
def test_partial_response_is_never_declared_below_a_30_percent_decrease(
    patient: tuple[list[BaselineLesion], list[Scan]],
) -> None:
    lesions, scans = patient
    baseline = sum(
        Fraction(str(les.short_axis_mm if les.is_lymph_node else les.longest_diameter_mm))
        for les in lesions
        if les.is_target
    )
    result = assess(lesions, scans, randomization_date=R0)
    for i, point in enumerate(result.recist_1_1.time_points):
        if point.target_response is TargetResponse.PR or point.response is Response.PR:
            total = _exact_sum(result, i)
            assert total is not None and not point.targets_not_assessed
            assert (baseline - total) / baseline >= Fraction(3, 10)


@settings(max_examples=300, deadline=None)
@given(patients())
def test_mrecist_agrees_with_recist_when_viable_equals_total_and_the_floor_is_on(
    patient: tuple[list[BaselineLesion], list[Scan]],
) -> None:
    lesions, scans = patient
    result = assess(
        lesions, scans, randomization_date=R0, settings=AssessmentSettings(mrecist_absolute_floor=True)
    )
    recist, mrecist = result.by_criterion
    for r, m in zip(recist.time_points, mrecist.time_points, strict=True):
        assert (r.target_response, r.non_target_response, r.response, r.sum_mm) == (
            m.target_response,
            m.non_target_response,
            m.response,
            m.sum_mm,
        )
    assert recist.best_overall_response.response is mrecist.best_overall_response.response
    assert recist.pfs_event_date == mrecist.pfs_event_date
