"""Units: accepted spellings, conversions and plausibility checks.

Conversion factors are the published SI factors (AMA Manual of Style SI table):
haemoglobin/albumin 1 g/dL = 10 g/L; cell counts 1/mm³ = 10⁻³ × 10⁹/L;
bilirubin 1 mg/dL = 17.104 µmol/L; creatinine 1 mg/dL = 88.42 µmol/L.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.errors import ImplausibleValueError, UnitError
from oncotrial.core.units import Measurand, from_canonical, measure


@pytest.mark.parametrize(("measurand", "value", "unit", "canonical"), [
    (Measurand.HEMOGLOBIN, 9.0, "g/dL", 90.0),
    (Measurand.ALBUMIN, 3.0, "g/dL", 30.0),
    (Measurand.WBC, 2000, "cells/mm³", 2.0),
    (Measurand.WBC, 2000, "cells/mm3", 2.0),
    (Measurand.PLATELETS, 75000, "/µL", 75.0),
    (Measurand.PLATELETS, 75, "x10^9/L", 75.0),
    (Measurand.BILIRUBIN, 1.0, "mg/dL", 17.104),
    (Measurand.BILIRUBIN, 17.1, "umol/L", 17.1),
    (Measurand.CREATININE, 1.0, "mg/dL", 88.42),
    (Measurand.CREATININE, 88, "μmol/L", 88.0),  # Greek mu spelling
    (Measurand.PROTHROMBIN_TIME, 12.5, "s", 12.5),
    (Measurand.INR, 1.1, "INR", 1.1),
    (Measurand.WEIGHT, 154, "lb", 154 * 0.45359237),
    (Measurand.HEIGHT, 1.7, "m", 170.0),
])
def test_accepted_units_convert_to_the_canonical_unit(measurand, value, unit, canonical):
    assert measure(measurand, value, unit).value == pytest.approx(canonical, rel=1e-12)


@pytest.mark.parametrize("unit", [None, "", "  ", "g", "mmol/L", "10^6/L", 12])
def test_missing_or_unknown_units_are_rejected(unit):
    with pytest.raises(UnitError) as err:
        measure(Measurand.HEMOGLOBIN, 120, unit, field="labs.HGB")
    assert err.value.field == "labs.HGB.unit"
    assert "g/L" in err.value.expected and "g/dL" in err.value.expected


@pytest.mark.parametrize(("measurand", "value", "unit"), [
    (Measurand.HEMOGLOBIN, 120, "g/dL"),   # g/L entered as g/dL
    (Measurand.ALBUMIN, 0, "g/L"),
    (Measurand.WBC, -1, "10^9/L"),
    (Measurand.INR, 0.1, "INR"),
    (Measurand.WEIGHT, 700, "kg"),
    (Measurand.PLATELETS, float("nan"), "10^9/L"),
    (Measurand.PLATELETS, "75", "10^9/L"),
    (Measurand.PLATELETS, True, "10^9/L"),
])
def test_implausible_or_non_numeric_values_are_rejected(measurand, value, unit):
    with pytest.raises(ImplausibleValueError):
        measure(measurand, value, unit)


def test_the_error_states_the_plausible_range_in_the_unit_entered():
    with pytest.raises(ImplausibleValueError) as err:
        measure(Measurand.HEMOGLOBIN, 300, "g/L", field="HGB")
    assert str(err.value).startswith("HGB.value: got 300; expected a plausible haemoglobin in [10, 260] g/L")


@given(st.floats(min_value=0.1, max_value=80))
def test_bilirubin_round_trips_between_units(mg_per_dl):
    m = measure(Measurand.BILIRUBIN, mg_per_dl, "mg/dL")
    assert from_canonical(Measurand.BILIRUBIN, m.value, "mg/dL") == pytest.approx(mg_per_dl)
    assert m.original_unit == "mg/dL"
