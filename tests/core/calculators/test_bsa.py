"""BSA formulas against published worked examples and hand calculations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.calculators.bsa import (
    BsaFormula,
    body_surface_area,
    bsa_du_bois,
    bsa_gehan_george,
    bsa_haycock,
    bsa_mosteller,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, Measurement, measure


def height(value: float, unit: str = "cm") -> Measurement:
    return measure(Measurand.HEIGHT, value, unit)


def weight(value: float, unit: str = "kg") -> Measurement:
    return measure(Measurand.WEIGHT, value, unit)


def test_mosteller_of_180_cm_and_80_kg_is_exactly_2_m2() -> None:
    # Hand calculation: sqrt(180 × 80 / 3600) = sqrt(14400 / 3600) = sqrt(4) = 2.0
    assert bsa_mosteller(height(180), weight(80)) == pytest.approx(2.0, abs=1e-12)


def test_mosteller_of_175_cm_and_70_kg_is_1_845() -> None:
    # https://omnicalc-8ti.pages.dev/health/body-surface-area-calculator
    # 175 × 70 = 12,250; / 3600 = 3.4028; sqrt = 1.845 m²
    assert bsa_mosteller(height(175), weight(70)) == pytest.approx(1.845, abs=5e-4)


def test_mosteller_of_170_cm_and_70_kg_is_1_818() -> None:
    # https://www.medicalequations.com/body-surface-area/ ("about 1.818 m²")
    assert bsa_mosteller(height(170), weight(70)) == pytest.approx(1.818, abs=5e-4)


def test_mosteller_accepts_inches_as_in_published_example() -> None:
    # http://www.ehow.co.uk/how_5718169_calculate-dosage-based-height-weight.html
    # "a man who is 61 inches tall and weighs 90.7 kg ... Mosteller ... 1.98 m²"
    assert bsa_mosteller(height(61, "in"), weight(90.7)) == pytest.approx(1.98, abs=5e-3)


@pytest.mark.parametrize(
    ("formula", "published"),
    [
        # https://www.calcipedia.org/calculators/body-surface-area-calculator/
        # 170 cm, 70 kg: Mosteller 1.82, Du Bois 1.81, Haycock 1.83, Gehan & George 1.83 m²
        (BsaFormula.MOSTELLER, 1.82),
        (BsaFormula.DU_BOIS, 1.81),
        (BsaFormula.HAYCOCK, 1.83),
        (BsaFormula.GEHAN_GEORGE, 1.83),
    ],
)
def test_each_formula_matches_the_published_170_cm_70_kg_example(
    formula: BsaFormula, published: float
) -> None:
    bsa = body_surface_area(height(170), weight(70), formula)
    assert bsa == pytest.approx(published, abs=5e-3)


def test_du_bois_agrees_with_its_metre_form() -> None:
    # https://harderworld.com/2013/03/13/here-we-go-again-2/ gives the equivalent form
    # BSA = 0.20247 × H[m]^0.725 × W[kg]^0.425 ("virtually identical results").
    metre_form = 0.20247 * 1.65**0.725 * 62.0**0.425
    assert bsa_du_bois(height(165), weight(62)) == pytest.approx(metre_form, rel=1e-4)


def test_mosteller_agrees_with_its_inch_pound_form() -> None:
    # https://harderworld.com/2013/03/13/here-we-go-again-2/ gives
    # BSA = sqrt(H[in] × W[lb] / 3131); 3131 is a rounded constant (exact 3124.7),
    # so the two forms agree to about 0.1 %.
    inch_pound_form = math.sqrt(68 * 190 / 3131)
    assert bsa_mosteller(height(68, "in"), weight(190, "lb")) == pytest.approx(
        inch_pound_form, rel=2e-3
    )


def test_default_formula_is_mosteller() -> None:
    assert body_surface_area(height(160), weight(55)) == bsa_mosteller(height(160), weight(55))


def test_formula_may_be_given_by_its_string_value() -> None:
    assert body_surface_area(height(160), weight(55), "du_bois") == bsa_du_bois(  # type: ignore[arg-type]
        height(160), weight(55)
    )


def test_unknown_formula_is_rejected_naming_the_field() -> None:
    with pytest.raises(DomainError) as caught:
        body_surface_area(height(160), weight(55), "boyd")  # type: ignore[arg-type]
    assert caught.value.field == "formula"


@pytest.mark.parametrize(
    "function", [bsa_mosteller, bsa_du_bois, bsa_haycock, bsa_gehan_george]
)
def test_weight_passed_as_height_is_rejected_naming_the_field(function: object) -> None:
    assert callable(function)
    with pytest.raises(DomainError) as caught:
        function(weight(70), weight(70))
    assert caught.value.field == "height"


def test_creatinine_passed_as_weight_is_rejected_naming_the_field() -> None:
    creatinine = measure(Measurand.CREATININE, 80, "µmol/L")
    with pytest.raises(DomainError) as caught:
        bsa_mosteller(height(170), creatinine)
    assert caught.value.field == "weight"


def test_a_bare_number_is_rejected() -> None:
    with pytest.raises(DomainError) as caught:
        bsa_mosteller(170, weight(70))  # type: ignore[arg-type]
    assert caught.value.field == "height"


def test_an_implausible_hand_built_measurement_is_rejected() -> None:
    bogus = Measurement(Measurand.WEIGHT, -5.0, -5.0, "kg")
    with pytest.raises(DomainError) as caught:
        bsa_mosteller(height(170), bogus)
    assert caught.value.field == "weight.value"


heights = st.floats(min_value=100, max_value=250)
weights = st.floats(min_value=20, max_value=349)


@given(
    h=heights, w=weights, extra=st.floats(min_value=0.5, max_value=20),
    formula=st.sampled_from(BsaFormula),
)
def test_bsa_increases_with_weight(
    h: float, w: float, extra: float, formula: BsaFormula
) -> None:
    heavier = min(w + extra, 350.0)
    assert body_surface_area(height(h), weight(heavier), formula) > body_surface_area(
        height(h), weight(w), formula
    )


@given(h=st.floats(min_value=100, max_value=240), w=weights, formula=st.sampled_from(BsaFormula))
def test_bsa_increases_with_height(h: float, w: float, formula: BsaFormula) -> None:
    assert body_surface_area(height(h + 5), weight(w), formula) > body_surface_area(
        height(h), weight(w), formula
    )


@given(h=heights, w=weights)
def test_mosteller_squared_is_height_times_weight_over_3600(h: float, w: float) -> None:
    assert bsa_mosteller(height(h), weight(w)) ** 2 == pytest.approx(h * w / 3600, rel=1e-12)


# https://calculators.im/body-surface-area-calculator: the formulas "typically agree
# within 5% for adults"; 10 % leaves room for tall-thin and short-heavy extremes.
@given(h=st.floats(min_value=150, max_value=200), w=st.floats(min_value=45, max_value=100))
def test_formulas_agree_within_ten_percent_for_ordinary_adults(h: float, w: float) -> None:
    values = [body_surface_area(height(h), weight(w), f) for f in BsaFormula]
    assert max(values) / min(values) < 1.10
