"""BSA for dosing: recomputed when the weight changes by ≥10 % from baseline; optional cap.

Expected BSAs are Mosteller's formula worked by hand: √(170 × 70 / 3600) = 1.81812 m²;
√(170 × 63 / 3600) = 1.72482 m²; √(190 × 110 / 3600) = 2.40947 m².
"""

from __future__ import annotations

import pytest

from oncotrial.core.calculators.bsa import BsaFormula
from oncotrial.core.dosing import BsaPolicy, dosing_bsa, weight_change
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, measure


def _kg(value: float):
    return measure(Measurand.WEIGHT, value, "kg")


H170 = measure(Measurand.HEIGHT, 170, "cm")


def test_no_weight_change_keeps_the_baseline_bsa():
    bsa = dosing_bsa(H170, _kg(70), _kg(70))
    assert bsa.bsa_m2 == pytest.approx(1.81812, abs=1e-5) and not bsa.recomputed


@pytest.mark.parametrize(("today", "recomputed", "expected"), [
    (63.0, True, 1.72482),    # −10 % exactly: recompute (≥10 %)
    (63.1, False, 1.81812),   # −9.86 %: keep the baseline BSA
    (77.0, True, 1.90686),    # +10 % exactly: √(170 × 77 / 3600)
    (76.9, False, 1.81812),
])
def test_ten_percent_weight_rule_on_both_sides(today: float, recomputed: bool, expected: float):
    bsa = dosing_bsa(H170, _kg(70), _kg(today))
    assert bsa.recomputed is recomputed
    assert bsa.bsa_m2 == pytest.approx(expected, abs=1e-5)


def test_weight_change_is_relative_to_the_reference_weight():
    assert weight_change(70, 63) == -0.1
    assert weight_change(50, 55) == 0.1


def test_a_pound_weight_is_converted_before_the_rule():
    bsa = dosing_bsa(H170, measure(Measurand.WEIGHT, 154.32, "lb"), _kg(70))
    assert not bsa.recomputed  # 154.32 lb = 70.0 kg


@pytest.mark.parametrize(("cap", "expected", "capped"), [(None, 2.40947, False), (2.0, 2.0, True),
                                                         (2.5, 2.40947, False)])
def test_optional_cap(cap: float | None, expected: float, capped: bool):
    bsa = dosing_bsa(measure(Measurand.HEIGHT, 190, "cm"), _kg(110), None, BsaPolicy(cap_m2=cap))
    assert bsa.bsa_m2 == pytest.approx(expected, abs=1e-5)
    assert bsa.capped is capped and bsa.uncapped_m2 == pytest.approx(2.40947, abs=1e-5)


def test_formula_is_a_parameter():
    # DuBois: 0.007184 × 170^0.725 × 70^0.425 = 1.80971 m²
    bsa = dosing_bsa(H170, _kg(70), None, BsaPolicy(formula=BsaFormula.DU_BOIS))
    assert bsa.bsa_m2 == pytest.approx(1.80971, abs=1e-5)


def test_a_negative_weight_is_refused_naming_the_field():
    with pytest.raises(DomainError) as err:
        dosing_bsa(H170, _kg(70), measure(Measurand.WEIGHT, -70, "kg", field="weight"))
    assert err.value.field == "weight.value"


def test_a_weight_without_unit_is_refused_naming_the_field():
    with pytest.raises(DomainError) as err:
        measure(Measurand.WEIGHT, 70, None, field="weight")
    assert err.value.field == "weight.unit"


def test_a_height_passed_as_weight_is_refused():
    with pytest.raises(DomainError) as err:
        dosing_bsa(H170, H170)
    assert err.value.field == "baseline_weight"


@pytest.mark.parametrize("policy", [
    lambda: BsaPolicy(cap_m2=0.5), lambda: BsaPolicy(recompute_threshold=0),
    lambda: BsaPolicy(recompute_threshold=1.5), lambda: BsaPolicy(formula="stevenson"),  # type: ignore[arg-type]
])
def test_invalid_policies_are_refused(policy):
    with pytest.raises(DomainError):
        policy()
