"""A wrong protocol file gets an error naming the field and what was expected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from oncotrial.core.errors import ProtocolError
from oncotrial.core.protocol.parse import parse_protocol
from oncotrial.protocol_files import default_protocol_text


def data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(default_protocol_text())
    return loaded


def _set(path: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    d = data()
    path(d)
    return d


CASES = [
    (lambda d: d["arms"][0]["regimen"][0]["dose"].update(basis="mg_per_kg"),
     "arms[0].regimen[0].dose.basis", "one of mg_per_m2, flat_mg, weight_banded_mg"),
    (lambda d: d["arms"][1].update(cycle_length_days=0),
     "arms[1].cycle_length_days", "a whole number in [1, 365]"),
    (lambda d: d["arms"][0]["regimen"][1]["schedule"].update(days=[1, 22]),
     "arms[0].regimen[1].schedule.days[1]", "a whole number in [1, 21]"),
    (lambda d: d["arms"][0]["regimen"][2]["dose"]["bands"][1].update(below_kg=55),
     "arms[0].regimen[2].dose.bands", "bands covering all weights exactly once"),
    (lambda d: d["arms"][1].update(code="HAIC"), "arms[1].code", "a code not used earlier"),
    (lambda d: d["design"].pop("target_enrollment"),
     "design.target_enrollment", "a value (the field is required)"),
    (lambda d: d["design"].update(target_enrolment=120),
     "design.target_enrolment", "no such field here"),
    (lambda d: d["eligibility"]["criteria"][5]["rule"].update(unit="mmol/L"),
     "eligibility.criteria[5].rule.unit", "a unit of white blood cell count"),
    (lambda d: d["eligibility"]["criteria"][9]["rule"].update(operator="=<"),
     "eligibility.criteria[9].rule.operator", "one of <, <=, >, >="),
    (lambda d: d["eligibility"]["criteria"][0]["rule"].update(type="magic"),
     "eligibility.criteria[0].rule.type", "one of lab, lab_uln"),
    (lambda d: d["eligibility"]["criteria"][1].update(code="INC01"),
     "eligibility.criteria[1].code", "a code not used earlier"),
    (lambda d: d["randomization"].update(block_sizes=[3]),
     "randomization.block_sizes[0]", "a multiple of the allocation ratio total 2"),
    (lambda d: d["assumptions"].pop("sd_minimum_days"),
     "assumptions.sd_minimum_days", "a value with its rationale"),
    (lambda d: d["assumptions"]["lab_recency_days"].update(value="two weeks"),
     "assumptions.lab_recency_days.value", "a whole number >= 0"),
    (lambda d: d["identification"].update(nct_id="NCT123"),
     "identification.nct_id", "NCT followed by 8 digits"),
    (lambda d: d["stratification"]["factors"][1].update(levels=["0"]),
     "stratification.factors[1].levels", "at least two distinct levels"),
    (lambda d: d.update(endpoints=[{**d["endpoints"][1]}]),
     "endpoints", "at least one primary endpoint"),
]


@pytest.mark.parametrize(("mutate", "field", "expected"), CASES)
def test_a_wrong_value_names_its_field_and_what_is_accepted(mutate, field, expected):
    with pytest.raises(ProtocolError) as err:
        parse_protocol(_set(mutate))
    assert err.value.field == field
    assert expected in err.value.expected


def test_a_document_that_is_not_a_mapping_is_rejected():
    with pytest.raises(ProtocolError, match="<root>: got"):
        parse_protocol(["not", "a", "protocol"])
