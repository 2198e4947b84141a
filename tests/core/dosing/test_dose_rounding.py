"""Rounding rule: nearest 1 mg by default, configurable increment and mode, 5 % dose banding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.dosing import DoseBanding, RoundingMode, RoundingRule, round_dose
from oncotrial.core.errors import DomainError


@pytest.mark.parametrize(("calculated", "expected"), [
    (154.54, 155), (154.5, 155), (154.49, 154), (1818.12, 1818), (0.4, 0), (0.5, 1),
])
def test_default_is_nearest_one_mg_halves_up(calculated: float, expected: float):
    assert round_dose(calculated).dose_mg == expected


def test_binary_error_does_not_move_a_half_across_the_rule():
    # 0.1 × 1545 = 154.50000000000003 in binary; 1.45 × 100 = 144.99999999999997
    assert round_dose(1.45 * 100).dose_mg == 145
    assert round_dose(0.1 * 1545).dose_mg == 155


@pytest.mark.parametrize(("calculated", "increment", "mode", "expected"), [
    (152.4, 5, RoundingMode.NEAREST, 150), (152.5, 5, RoundingMode.NEAREST, 155),
    (154.9, 1, RoundingMode.DOWN, 154), (155.0, 1, RoundingMode.DOWN, 155),
    (1363.6, 10, RoundingMode.NEAREST, 1360), (1365.0, 10, RoundingMode.NEAREST, 1370),
])
def test_increment_and_mode_are_configurable(calculated: float, increment: float, mode: RoundingMode,
                                             expected: float):
    assert round_dose(calculated, RoundingRule(increment, mode)).dose_mg == expected


@pytest.mark.parametrize(("calculated", "bands", "expected"), [
    (154.54, (150.0, 160.0), 150),   # 2.9 % from 150, nearest band
    (200.0, (210.0,), 210),          # exactly +5 %: accepted
    (200.0, (190.0,), 190),          # exactly −5 %: accepted
    (157.5, (150.0,), 150),          # −4.76 %
    (158.0, (150.0,), 158),          # −5.06 %: no band, nearest 1 mg
    (152.38, (160.0,), 152),         # +5.0006 %: no band
])
def test_dose_banding_within_five_percent(calculated: float, bands: tuple[float, ...], expected: float):
    rule = RoundingRule(banding=DoseBanding(bands))
    assert round_dose(calculated, rule).dose_mg == expected


def test_equidistant_bands_choose_the_lower_dose():
    assert round_dose(155.0, RoundingRule(banding=DoseBanding((150.0, 160.0)))).dose_mg == 150


@pytest.mark.parametrize("make", [
    lambda: RoundingRule(increment_mg=0),
    lambda: RoundingRule(increment_mg=-1),
    lambda: DoseBanding(()),
    lambda: DoseBanding((160.0, 150.0)),
    lambda: DoseBanding((150.0,), max_deviation=0.2),
    lambda: round_dose(-1),
    lambda: round_dose(float("nan")),
])
def test_invalid_rules_and_doses_are_refused(make):
    with pytest.raises(DomainError):
        make()


@given(st.floats(min_value=0, max_value=5000), st.floats(min_value=0, max_value=5000),
       st.sampled_from([1.0, 5.0, 10.0, 0.5]), st.sampled_from(list(RoundingMode)))
def test_increment_rounding_is_monotone(a: float, b: float, increment: float, mode: RoundingMode):
    rule = RoundingRule(increment, mode)
    low, high = sorted((a, b))
    assert round_dose(low, rule).dose_mg <= round_dose(high, rule).dose_mg


@given(st.floats(min_value=1, max_value=5000))
def test_banding_never_moves_a_dose_by_more_than_five_percent(calculated: float):
    rule = RoundingRule(banding=DoseBanding(tuple(float(x) for x in range(50, 5001, 50))))
    rounded = round_dose(calculated, rule)
    assert abs(rounded.dose_mg - calculated) <= max(0.05 * calculated, 0.5) + 1e-9
