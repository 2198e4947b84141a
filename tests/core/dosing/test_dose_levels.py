"""Dose levels and starting doses from the protocol regimen.

Sources: LENVIMA HCC table (12 → 8 → 4 → 4 mg every other day; 8 → 4 → 4 mg every other
day → discontinue; 12 mg if ≥60 kg, else 8 mg), oxaliplatin 85 → 65 mg/m² then stop,
toripalimab 240 mg never reduced (clinical-content.md §4.1–4.3; issue 3 §2).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.dosing import LADDERS, Drug, Frequency, ladder_for, regimen_ladder, starting_amount
from oncotrial.core.dosing.levels import (
    GEMCITABINE_LADDER,
    LENVATINIB_FROM_8_MG,
    LENVATINIB_FROM_12_MG,
    OXALIPLATIN_LADDER,
    TORIPALIMAB_LADDER,
    DoseLevel,
    Ladder,
)
from oncotrial.core.errors import DomainError
from support.dose_inputs import protocol

QD, QOD = Frequency.ONCE_DAILY, Frequency.EVERY_OTHER_DAY


def _steps(ladder: Ladder) -> list[tuple[float, Frequency]]:
    return [(lv.amount, lv.frequency) for lv in ladder.levels]


def test_lenvatinib_from_12_mg():
    assert _steps(LENVATINIB_FROM_12_MG) == [(12, QD), (8, QD), (4, QD), (4, QOD)]
    assert LENVATINIB_FROM_12_MG.below(-3) is None


def test_lenvatinib_from_8_mg_then_discontinue():
    assert _steps(LENVATINIB_FROM_8_MG) == [(8, QD), (4, QD), (4, QOD)]
    assert LENVATINIB_FROM_8_MG.below(-2) is None


def test_oxaliplatin_85_then_65_then_stop():
    assert [lv.amount for lv in OXALIPLATIN_LADDER.levels] == [85, 65]
    assert OXALIPLATIN_LADDER.below(0).amount == 65  # type: ignore[union-attr]
    assert OXALIPLATIN_LADDER.below(-1) is None


def test_gemcitabine_full_then_75_percent():
    assert [lv.amount for lv in GEMCITABINE_LADDER.levels] == [1000, 750]


def test_toripalimab_has_one_level_only():
    assert [lv.amount for lv in TORIPALIMAB_LADDER.levels] == [240]
    assert TORIPALIMAB_LADDER.below(0) is None


def test_reductions_are_strictly_monotone_in_every_ladder():
    for ladder in LADDERS.values():
        for upper, lower in itertools.pairwise(ladder.levels):
            assert lower.intensity < upper.intensity


@given(st.sampled_from(list(LADDERS.values())), st.data())
def test_below_is_always_lower_or_none(ladder: Ladder, data: st.DataObject):
    level = data.draw(st.integers(min_value=ladder.lowest_level, max_value=0))
    lower = ladder.below(level)
    assert lower is None or lower.intensity < ladder.at(level).intensity
    assert (lower is None) == (level == ladder.lowest_level)


def test_a_level_outside_the_ladder_is_refused_naming_the_field():
    with pytest.raises(DomainError) as err:
        LENVATINIB_FROM_8_MG.at(-3, field="current_levels.lenvatinib")
    assert err.value.field == "current_levels.lenvatinib"
    with pytest.raises(DomainError):
        LENVATINIB_FROM_8_MG.at(1)


def test_a_ladder_that_does_not_decrease_is_refused():
    with pytest.raises(DomainError):
        Ladder("bad", Drug.LENVATINIB, (DoseLevel(0, 8, "mg", QD), DoseLevel(-1, 8, "mg", QD)), "test")
    with pytest.raises(DomainError):  # 4 mg every other day is below 4 mg daily, not the reverse
        Ladder("bad", Drug.LENVATINIB, (DoseLevel(0, 4, "mg", QOD), DoseLevel(-1, 4, "mg", QD)), "test")


def test_a_starting_dose_without_a_ladder_is_refused():
    with pytest.raises(DomainError):
        ladder_for(Drug.OXALIPLATIN, 100)


@pytest.mark.parametrize(("baseline_kg", "expected_mg"), [(60.0, 12), (59.99, 8), (75, 12), (45, 8)])
def test_lenvatinib_starting_dose_by_baseline_weight(baseline_kg: float, expected_mg: float):
    regimen = protocol().arm("HAIC").drug("lenvatinib")
    assert regimen is not None
    assert starting_amount(regimen, baseline_kg) == expected_mg
    assert regimen_ladder(regimen, baseline_kg).starting.amount == expected_mg


@pytest.mark.parametrize(("arm", "drug", "amount"), [
    ("HAIC", "oxaliplatin", 85), ("GEMOX", "oxaliplatin", 85), ("HAIC", "gemcitabine", 1000),
    ("GEMOX", "toripalimab", 240),
])
def test_starting_doses_come_from_the_protocol(arm: str, drug: str, amount: float):
    regimen = protocol().arm(arm).drug(drug)
    assert regimen is not None and starting_amount(regimen, 70) == amount
