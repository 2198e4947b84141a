"""Cockcroft–Gault creatinine clearance, Devine IBW and adjusted body weight."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.calculators.creatinine_clearance import (
    Sex,
    WeightBasis,
    adjusted_body_weight,
    creatinine_clearance_cockcroft_gault,
    ideal_body_weight_devine,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, Measurement, measure


def kg(value: float) -> Measurement:
    return measure(Measurand.WEIGHT, value, "kg")


def inches(value: float) -> Measurement:
    return measure(Measurand.HEIGHT, value, "in")


def scr(value: float, unit: str = "mg/dL") -> Measurement:
    return measure(Measurand.CREATININE, value, unit)


def crcl(age: float, weight: float, creatinine: float, sex: Sex, **options: object) -> float:
    return creatinine_clearance_cockcroft_gault(
        age_years=age, weight=kg(weight), creatinine=scr(creatinine), sex=sex,
        **options,  # type: ignore[arg-type]
    ).ml_per_min


# --- published worked examples ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("age", "weight", "creatinine", "sex", "published", "source"),
    [
        # [(140 − 70) × 75] / [72 × 1.0] = 5,250 / 72 = 72.9 mL/min
        (70, 75, 1.0, Sex.MALE, 72.9,
         "https://www.droracle.ai/articles/797449/how-to-calculate-creatinine-clearance-in-a-patient-with"),
        # (140 − 60) × 80 / (72 × 1.2) = 6400 / 86.4 ≈ 74.1 mL/min
        (60, 80, 1.2, Sex.MALE, 74.1,
         "https://superglobalcalculator.com/formulas/health/creatinine-clearance"),
        # (140 − 65) × 70 / (72 × 1.4) = 5250 / 100.8 = 52.1 mL/min
        (65, 70, 1.4, Sex.MALE, 52.1,
         "https://superglobalcalculator.com/formulas/pharmacology/creatinine-clearance"),
        # [(140 − 45) × 60 / (72 × 0.9)] × 0.85 = [5,700 / 64.8] × 0.85 = 74.8 mL/min
        (45, 60, 0.9, Sex.FEMALE, 74.8,
         "https://superglobalcalculator.com/formulas/pharmacology/creatinine-clearance"),
        # (140 − 50) × 80 / (72 × 1.0) = 7200 / 72 = 100 mL/min
        (50, 80, 1.0, Sex.MALE, 100.0,
         "https://theprimecalculator.com/health/creatinine-clearance/formula"),
    ],
)
def test_matches_published_worked_example(
    age: float, weight: float, creatinine: float, sex: Sex, published: float, source: str
) -> None:
    assert crcl(age, weight, creatinine, sex) == pytest.approx(published, abs=0.05), source


def test_creatinine_in_umol_per_l_matches_the_published_si_form() -> None:
    # https://primarycarenotebook.com/pages/general-information/creatinine-clearance/calculation
    # CrCl = (140 − age) × weight × 1.23 / SCr[µmol/L] (men). 1.23 rounds 88.42/72 = 1.2281,
    # so the forms agree to 0.2 %.
    result = creatinine_clearance_cockcroft_gault(
        age_years=62, weight=kg(78), creatinine=scr(110, "µmol/L"), sex=Sex.MALE)
    assert result.ml_per_min == pytest.approx((140 - 62) * 78 * 1.23 / 110, rel=2e-3)


@pytest.mark.parametrize(
    ("height_in", "male", "female"),
    [(62, 54.6, 50.1), (66, 63.8, 59.3), (70, 73.0, 68.5), (74, 82.2, 77.7)],
)
def test_devine_ideal_body_weight_matches_published_table(
    height_in: float, male: float, female: float
) -> None:
    # https://creatinineclearancecalculator.net/ibw/ ("IBW by Height" table)
    assert ideal_body_weight_devine(inches(height_in), Sex.MALE) == pytest.approx(male, abs=1e-6)
    assert ideal_body_weight_devine(inches(height_in), Sex.FEMALE) == pytest.approx(
        female, abs=1e-6)


@pytest.mark.parametrize(
    ("height_in", "actual", "sex", "published", "source"),
    [
        # IBW = 50 + 2.3 × 10 = 73; AdjBW = 73 + 0.4 × (110 − 73) = 87.8 kg
        (70, 110, Sex.MALE, 87.8,
         "https://theprimecalculator.com/health/adult-dosing-weight/formula"),
        # IBW = 45.5 + 2.3 × 4 = 54.7; ABW = 54.7 + 0.4 × (80 − 54.7) = 64.8 kg
        (64, 80, Sex.FEMALE, 64.8, "http://manuelsweb.com/IBW.htm"),
        # IBW = 54.7; AjBW = 54.7 + 0.4 × 55.3 = 76.8 kg
        (64, 110, Sex.FEMALE, 76.8,
         "https://bmihealthchecker.com/articles/adjusted-body-weight-calculator"),
    ],
)
def test_adjusted_body_weight_matches_published_example(
    height_in: float, actual: float, sex: Sex, published: float, source: str
) -> None:
    assert adjusted_body_weight(kg(actual), inches(height_in), sex) == pytest.approx(
        published, abs=0.05), source


def test_adjusted_weight_is_the_actual_weight_when_below_ideal() -> None:
    # Adjustment applies only when actual > IBW (http://rxkinetics.com/online_crcl.html).
    assert adjusted_body_weight(kg(60), inches(70), Sex.MALE) == pytest.approx(60.0)


def test_ideal_weight_basis_uses_devine_weight() -> None:
    # 70 in man: IBW 73 kg (https://creatinineclearancecalculator.net/ibw/). Age 68 makes
    # (140 − 68) = 72 cancel the 72, so with SCr 1.0 mg/dL: CrCl = 73 × 72 / 72 = 73.0.
    result = creatinine_clearance_cockcroft_gault(
        age_years=68, weight=kg(110), height=inches(70), creatinine=scr(1.0), sex=Sex.MALE,
        weight_basis=WeightBasis.IDEAL)
    assert result.weight_kg == pytest.approx(73.0)
    assert result.ml_per_min == pytest.approx(73.0)


def test_adjusted_weight_basis_uses_adjusted_weight() -> None:
    # 70 in, 110 kg man: AdjBW 87.8 kg (theprimecalculator.com, above); age 68, SCr 1.0:
    # CrCl = 87.8 × 72 / 72 = 87.8 mL/min.
    result = creatinine_clearance_cockcroft_gault(
        age_years=68, weight=kg(110), height=inches(70), creatinine=scr(1.0), sex=Sex.MALE,
        weight_basis="adjusted")  # type: ignore[arg-type]
    assert result.weight_basis is WeightBasis.ADJUSTED
    assert result.ml_per_min == pytest.approx(87.8)


def test_creatinine_floor_raises_low_creatinine_to_1_mg_per_dl() -> None:
    # 80-year-old man, 60 kg, SCr 0.6 mg/dL floored to 1.0: 60 × 60 / (72 × 1.0) = 50.0;
    # unfloored: 3600 / 43.2 = 83.33 mL/min.
    floored = creatinine_clearance_cockcroft_gault(
        age_years=80, weight=kg(60), creatinine=scr(0.6), sex=Sex.MALE, floor_creatinine=True)
    assert floored.ml_per_min == pytest.approx(50.0)
    assert (floored.creatinine_mg_dl, floored.creatinine_floored) == (1.0, True)
    assert crcl(80, 60, 0.6, Sex.MALE) == pytest.approx(3600 / 43.2)


def test_floor_leaves_creatinine_above_1_unchanged() -> None:
    result = creatinine_clearance_cockcroft_gault(
        age_years=50, weight=kg(80), creatinine=scr(1.5), sex=Sex.MALE, floor_creatinine=True)
    assert not result.creatinine_floored
    assert result.creatinine_mg_dl == pytest.approx(1.5)


# --- input errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("age", [17, 121, True, "60", math.nan, None])
def test_implausible_age_is_rejected(age: object) -> None:
    with pytest.raises(DomainError) as caught:
        crcl(age, 70, 1.0, Sex.MALE)  # type: ignore[arg-type]
    assert caught.value.field == "age_years"


@pytest.mark.parametrize("basis", [WeightBasis.IDEAL, WeightBasis.ADJUSTED])
def test_ideal_or_adjusted_basis_without_height_is_rejected(basis: WeightBasis) -> None:
    with pytest.raises(DomainError) as caught:
        crcl(60, 70, 1.0, Sex.MALE, weight_basis=basis)
    assert caught.value.field == "height"


def test_devine_weight_below_five_feet_is_rejected() -> None:
    with pytest.raises(DomainError) as caught:
        ideal_body_weight_devine(inches(59), Sex.FEMALE)
    assert caught.value.field == "height"


def test_wrong_measurand_for_creatinine_is_rejected_naming_the_field() -> None:
    with pytest.raises(DomainError) as caught:
        creatinine_clearance_cockcroft_gault(
            age_years=60, weight=kg(70), creatinine=kg(70), sex=Sex.MALE)
    assert caught.value.field == "creatinine"


def test_wrong_measurand_for_weight_is_rejected_naming_the_field() -> None:
    with pytest.raises(DomainError) as caught:
        creatinine_clearance_cockcroft_gault(
            age_years=60, weight=scr(1.0), creatinine=scr(1.0), sex=Sex.MALE)
    assert caught.value.field == "weight"


@pytest.mark.parametrize(
    ("field", "value"), [("sex", "x"), ("weight_basis", "lean"), ("floor_creatinine", 1)])
def test_unknown_option_is_rejected_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(DomainError) as caught:
        creatinine_clearance_cockcroft_gault(
            **{"age_years": 60, "weight": kg(70), "creatinine": scr(1.0), "sex": Sex.MALE,
               field: value})  # type: ignore[arg-type]
    assert caught.value.field == field


# --- properties -----------------------------------------------------------------------------------

ages = st.floats(min_value=18, max_value=120)
weights = st.floats(min_value=20, max_value=350)
creatinines = st.floats(min_value=0.1, max_value=30)


@given(age=ages, weight=weights, creatinine=creatinines)
def test_female_clearance_is_085_times_male(age: float, weight: float, creatinine: float) -> None:
    male = crcl(age, weight, creatinine, Sex.MALE)
    assert crcl(age, weight, creatinine, Sex.FEMALE) == pytest.approx(0.85 * male, rel=1e-12)


@given(a=ages, b=ages, weight=weights, creatinine=creatinines)
def test_clearance_falls_with_age(a: float, b: float, weight: float, creatinine: float) -> None:
    younger, older = sorted((a, b))
    assert crcl(older, weight, creatinine, Sex.MALE) <= crcl(younger, weight, creatinine, Sex.MALE)


@given(age=st.floats(min_value=18, max_value=119), weight=weights, c1=creatinines, c2=creatinines)
def test_clearance_falls_as_creatinine_rises(
    age: float, weight: float, c1: float, c2: float
) -> None:
    low, high = sorted((c1, c2))
    assert crcl(age, weight, high, Sex.MALE) <= crcl(age, weight, low, Sex.MALE)


@given(age=ages, weight=weights, creatinine=creatinines)
def test_flooring_never_raises_clearance(age: float, weight: float, creatinine: float) -> None:
    floored = crcl(age, weight, creatinine, Sex.FEMALE, floor_creatinine=True)
    assert floored <= crcl(age, weight, creatinine, Sex.FEMALE) + 1e-9


@given(height_in=st.floats(min_value=60, max_value=98), weight=weights,
       sex=st.sampled_from(Sex))
def test_adjusted_weight_lies_between_ideal_and_actual(
    height_in: float, weight: float, sex: Sex
) -> None:
    ideal = ideal_body_weight_devine(inches(height_in), sex)
    adjusted = adjusted_body_weight(kg(weight), inches(height_in), sex)
    assert min(ideal, weight) - 1e-9 <= adjusted <= max(ideal, weight) + 1e-9
