"""Hypertension (adult), CTCAE v5.0, from blood pressure and the intervention indicated.

CTCAE v5.0 text (Vascular disorders, "Hypertension", adult):
G1 "Systolic BP 120 - 139 mm Hg or diastolic BP 80 - 89 mm Hg";
G2 "Systolic BP 140 - 159 mm Hg or diastolic BP 90 - 99 mm Hg if previously WNL; change in
baseline medical intervention indicated; ... monotherapy indicated initiated";
G3 "Systolic BP >=160 mm Hg or diastolic BP >=100 mm Hg; medical intervention indicated;
more than one drug or more intensive therapy than previously used indicated";
G4 "Life-threatening consequences ...; urgent intervention indicated".
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import AntihypertensiveIntervention as Rx
from oncotrial.core.grading import Basis, grade_hypertension


@pytest.mark.parametrize(("systolic", "grade"), [
    (119.0, 0), (120.0, 1), (139.0, 1), (139.9, 1), (140.0, 2), (159.0, 2), (159.9, 2),
    (160.0, 3), (220.0, 3),
])
def test_systolic_boundaries(systolic: float, grade: int) -> None:
    result = grade_hypertension(systolic, 70.0, intervention=Rx.NONE, previously_wnl=True)
    assert (result.grade, result.basis) == (grade, Basis.ABSOLUTE)


@pytest.mark.parametrize(("diastolic", "grade"), [
    (79.0, 0), (80.0, 1), (89.0, 1), (90.0, 2), (99.0, 2), (100.0, 3),
])
def test_diastolic_boundaries(diastolic: float, grade: int) -> None:
    result = grade_hypertension(110.0, diastolic, intervention=Rx.NONE, previously_wnl=True)
    assert result.grade == grade


def test_the_worse_of_systolic_and_diastolic_counts() -> None:
    # "Systolic ... or diastolic": 125 is G1, 95 is G2.
    result = grade_hypertension(125.0, 95.0, intervention=Rx.NONE, previously_wnl=True)
    assert (result.grade, result.rule) == (2, "Adult: diastolic BP 90 - 99 mm Hg if previously WNL")


@pytest.mark.parametrize(("intervention", "grade"), [
    (Rx.MONOTHERAPY, 2),  # G2: "monotherapy indicated initiated"
    (Rx.INTENSIFIED, 3),  # G3: "more than one drug or more intensive therapy"
    (Rx.URGENT, 4),  # G4: "urgent intervention indicated"
])
def test_intervention_sets_the_grade_when_it_is_worse(intervention: Rx, grade: int) -> None:
    result = grade_hypertension(118.0, 76.0, intervention=intervention, previously_wnl=True)
    assert (result.grade, result.basis) == (grade, Basis.INTERVENTION)


def test_blood_pressure_sets_the_grade_when_it_is_worse() -> None:
    result = grade_hypertension(165.0, 85.0, intervention=Rx.MONOTHERAPY, previously_wnl=True)
    assert (result.grade, result.basis) == (3, Basis.ABSOLUTE)


@pytest.mark.parametrize("previously_wnl", [False, None])
def test_grade_two_readings_need_previously_normal_pressure(previously_wnl: bool | None) -> None:
    # "140 - 159 ... if previously WNL": otherwise the reading alone decides nothing.
    result = grade_hypertension(145.0, 85.0, intervention=Rx.NONE, previously_wnl=previously_wnl)
    assert result.grade is None
    assert "previously WNL" in result.reason


@pytest.mark.parametrize(("intervention", "grade"), [(Rx.MONOTHERAPY, 2), (Rx.INTENSIFIED, 3)])
def test_known_hypertensive_is_graded_by_the_treatment_change(intervention: Rx,
                                                              grade: int) -> None:
    result = grade_hypertension(145.0, 92.0, intervention=intervention, previously_wnl=False)
    assert result.grade == grade


def test_grade_one_and_three_readings_do_not_depend_on_history() -> None:
    assert grade_hypertension(130.0, 85.0, intervention=Rx.NONE, previously_wnl=False).grade == 1
    assert grade_hypertension(165.0, 85.0, intervention=Rx.NONE, previously_wnl=None).grade == 3


@pytest.mark.parametrize(("kwargs"), [
    {"systolic": -1.0, "diastolic": 80.0, "intervention": Rx.NONE, "previously_wnl": True},
    {"systolic": 0.0, "diastolic": 80.0, "intervention": Rx.NONE, "previously_wnl": True},
    {"systolic": 130.0, "diastolic": 80.0, "intervention": "none", "previously_wnl": True},
    {"systolic": 130.0, "diastolic": 80.0, "intervention": Rx.NONE, "previously_wnl": "yes"},
])
def test_bad_inputs_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(DomainError):
        grade_hypertension(**kwargs)  # type: ignore[arg-type]


_bp = st.floats(min_value=40.0, max_value=300.0, allow_nan=False)


@given(_bp, _bp, _bp, st.sampled_from(list(Rx)))
def test_grade_never_falls_as_systolic_rises(a: float, b: float, diastolic: float,
                                             intervention: Rx) -> None:
    low, high = sorted((a, b))
    lower = grade_hypertension(low, diastolic, intervention=intervention, previously_wnl=True)
    higher = grade_hypertension(high, diastolic, intervention=intervention,
                                previously_wnl=True)
    assert lower.grade is not None and higher.grade is not None
    assert lower.grade <= higher.grade


@given(_bp, _bp, st.sampled_from(list(Rx)), st.sampled_from([True, False, None]))
def test_a_graded_result_is_never_below_the_intervention_grade(
        systolic: float, diastolic: float, intervention: Rx,
        previously_wnl: bool | None) -> None:
    floor = {Rx.NONE: 0, Rx.MONOTHERAPY: 2, Rx.INTENSIFIED: 3, Rx.URGENT: 4}[intervention]
    result = grade_hypertension(systolic, diastolic, intervention=intervention,
                                previously_wnl=previously_wnl)
    assert result.grade is None or result.grade >= floor
