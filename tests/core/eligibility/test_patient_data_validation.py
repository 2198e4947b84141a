"""Bad patient input gets a clear error naming the field, the value and what is accepted."""

from __future__ import annotations

import pytest

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.errors import DomainError, ImplausibleValueError, UnitError


def test_a_lab_without_a_unit_is_rejected(patient):
    patient["labs"][0].pop("unit")
    with pytest.raises(UnitError) as err:
        candidate_from_data(patient)
    assert err.value.field == "labs[0](WBC).unit"
    assert "10^9/L" in err.value.expected


def test_an_unknown_unit_is_rejected_not_guessed(patient):
    patient["labs"][2]["unit"] = "mmol/L"  # haemoglobin in mmol/L is not accepted
    with pytest.raises(UnitError, match=r"labs\[2\]\(HGB\)\.unit: got 'mmol/L'; expected"):
        candidate_from_data(patient)


def test_an_implausible_value_is_rejected_with_the_accepted_range(patient):
    patient["labs"][2].update(value=118, unit="g/dL")  # g/L typed as g/dL
    with pytest.raises(ImplausibleValueError) as err:
        candidate_from_data(patient)
    assert err.value.field == "labs[2](HGB).value"
    assert "[1, 26] g/dL" in err.value.expected


def test_an_unknown_lab_code_lists_the_accepted_codes(patient):
    patient["labs"][0]["test"] = "WBCX"
    with pytest.raises(DomainError, match=r"labs\[0\]\.test: got 'WBCX'; expected one of WBC"):
        candidate_from_data(patient)


def test_an_unknown_field_is_rejected(patient):
    patient["ecgo"] = 1
    with pytest.raises(DomainError, match="ecgo: got 1; expected no such field here"):
        candidate_from_data(patient)


@pytest.mark.parametrize("ecog", [6, -1, "1", True])
def test_ecog_must_be_a_whole_number_from_0_to_5(patient, ecog):
    patient["ecog"] = ecog
    with pytest.raises(DomainError, match="ecog"):
        candidate_from_data(patient)


def test_a_reference_range_with_lln_above_uln_is_rejected(patient):
    patient["reference_ranges"]["ranges"][1].update(lln=50, uln=40)
    with pytest.raises(DomainError, match=r"reference_ranges\.ranges\[1\]"):
        candidate_from_data(patient)


def test_a_negative_diameter_is_rejected(patient):
    patient["lesions"][0]["longest_diameter_mm"] = -3
    with pytest.raises(DomainError, match=r"lesions\[0\]\.longest_diameter_mm"):
        candidate_from_data(patient)


def test_a_bad_date_names_the_field(patient):
    patient["labs"][0]["date"] = "04/03/2024"
    with pytest.raises(DomainError, match=r"labs\[0\]\.date: got '04/03/2024'; expected a date"):
        candidate_from_data(patient)
