"""ECOG performance status (Oken et al., Am J Clin Oncol 1982;5:649–655)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.calculators.ecog import EcogPerformanceStatus, ecog_status
from oncotrial.core.errors import DomainError

# Key phrases of each grade as published by ECOG-ACRIN, reproduced at
# https://acori-glossary.accc-cancer.org/definition/eastern-cooperative-oncology-group-performance-status
# and http://www.ackc.org/kidney-cancer-information/ecog-status/
PUBLISHED_PHRASES = {
    0: "able to carry on all pre-disease performance without restriction",
    1: "restricted in physically strenuous activity but ambulatory",
    2: "up and about more than 50% of waking hours",
    3: "confined to bed or chair more than 50% of waking hours",
    4: "totally confined to bed or chair",
    5: "dead",
}


@pytest.mark.parametrize("grade", range(6))
def test_each_grade_carries_the_published_description(grade: int) -> None:
    status = ecog_status(grade)
    assert status == grade
    assert PUBLISHED_PHRASES[grade] in status.description.lower()


def test_there_are_exactly_six_grades_0_to_5() -> None:
    assert [int(s) for s in EcogPerformanceStatus] == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("value", [True, False, 6, -1, "1", 1.0, None, 2.5])
def test_non_grades_are_rejected(value: object) -> None:
    with pytest.raises(DomainError) as caught:
        ecog_status(value)
    assert caught.value.field == "ecog"
    assert caught.value.value == value


def test_error_names_the_given_field() -> None:
    with pytest.raises(DomainError) as caught:
        ecog_status(7, field="baseline.ecog")
    assert caught.value.field == "baseline.ecog"


def test_a_status_member_is_accepted_unchanged() -> None:
    assert ecog_status(EcogPerformanceStatus.DEAD) is EcogPerformanceStatus.DEAD


@given(st.integers())
def test_exactly_the_integers_0_to_5_are_accepted(value: int) -> None:
    if 0 <= value <= 5:
        assert ecog_status(value) == value
    else:
        with pytest.raises(DomainError):
            ecog_status(value)
