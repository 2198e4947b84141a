"""Proteinuria (adult), CTCAE v5.0, from a 24-hour urine protein or a dipstick.

CTCAE v5.0 text as recalled, not checked against the NCI document [RECALL]:
G1 "1+ proteinuria; urinary protein ≥ULN - <1.0 g/24 hrs";
G2 "Adult: 2+ and 3+ proteinuria; urinary protein 1.0 - <3.5 g/24 hrs";
G3 "Adult: urinary protein ≥3.5 g/24 hrs" (4+ dipstick in grade 3).
Negative and trace dipsticks are grade 0 [ASSUMP]: CTCAE grade 1 starts at 1+.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import Basis, Dipstick, grade_proteinuria


@pytest.mark.parametrize(("protein", "grade"), [
    (0.0, 0), (0.149, 0), (0.15, 1), (0.99, 1), (1.0, 2), (3.49, 2), (3.5, 3), (12.0, 3),
])
def test_24_hour_protein_boundaries(protein: float, grade: int) -> None:
    assert grade_proteinuria(protein_g_24h=protein, uln_g_24h=0.15).grade == grade


def test_below_one_gram_needs_the_uln() -> None:
    result = grade_proteinuria(protein_g_24h=0.5)
    assert result.grade is None
    assert "ULN" in result.reason


@pytest.mark.parametrize(("protein", "grade"), [(1.0, 2), (3.5, 3)])
def test_fixed_thresholds_are_graded_without_uln(protein: float, grade: int) -> None:
    result = grade_proteinuria(protein_g_24h=protein)
    assert (result.grade, result.basis) == (grade, Basis.ABSOLUTE)


def test_fixed_thresholds_win_over_a_high_uln() -> None:
    # G2 is "1.0 - <3.5 g/24 hrs" whatever the ULN.
    assert grade_proteinuria(protein_g_24h=1.1, uln_g_24h=1.2).grade == 2


@pytest.mark.parametrize(("reading", "grade"), [
    (Dipstick.NEGATIVE, 0), (Dipstick.TRACE, 0), (Dipstick.ONE_PLUS, 1),
    (Dipstick.TWO_PLUS, 2), (Dipstick.THREE_PLUS, 2), (Dipstick.FOUR_PLUS, 3),
])
def test_dipstick_grades(reading: Dipstick, grade: int) -> None:
    result = grade_proteinuria(dipstick=reading)
    assert (result.grade, result.basis) == (grade, Basis.DIPSTICK)


def test_24_hour_measurement_wins_over_dipstick() -> None:
    result = grade_proteinuria(dipstick=Dipstick.THREE_PLUS, protein_g_24h=0.5, uln_g_24h=0.15)
    assert (result.grade, result.basis) == (1, Basis.ULN)


def test_something_must_be_measured() -> None:
    with pytest.raises(DomainError):
        grade_proteinuria()


@pytest.mark.parametrize("kwargs", [
    {"dipstick": "2+"},
    {"protein_g_24h": -0.1},
    {"protein_g_24h": 0.5, "uln_g_24h": 0.0},
])
def test_bad_inputs_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(DomainError):
        grade_proteinuria(**kwargs)  # type: ignore[arg-type]


_grams = st.floats(min_value=0.0, max_value=50.0, allow_nan=False)


@given(_grams, _grams, st.floats(min_value=0.01, max_value=2.0))
def test_grade_never_falls_as_protein_rises(a: float, b: float, uln: float) -> None:
    low, high = sorted((a, b))
    lower = grade_proteinuria(protein_g_24h=low, uln_g_24h=uln).grade
    higher = grade_proteinuria(protein_g_24h=high, uln_g_24h=uln).grade
    assert lower is not None and higher is not None and lower <= higher
