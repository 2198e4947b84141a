"""The dose input document (docs/dose-input.md): parsed with field paths in every error."""

from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.dosing import AeCategory, Drug, ImmuneMediated, decide, dose_request_from_data
from oncotrial.core.dosing.report import decision_to_dict
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand
from support.dose_inputs import example_dose, protocol


def _parse(data: dict[str, Any]):
    return dose_request_from_data(data, protocol())


def test_the_documented_example_is_valid():
    req = _parse(example_dose())
    assert req.arm.code == "HAIC" and (req.cycle, req.day) == (3, 1)
    assert req.labs[Measurand.NEUTROPHILS].value == 1.6
    assert req.uln[Measurand.ALT] == 40
    neuropathy = req.adverse_events[0]
    assert neuropathy.category is AeCategory.PERIPHERAL_NEUROPATHY
    assert neuropathy.related_to == frozenset({Drug.OXALIPLATIN}) and neuropathy.persistent
    assert neuropathy.immune_mediated is ImmuneMediated.NO
    assert req.max_chemotherapy_cycles is None  # the protocol's open-ended default


def test_the_example_decision():
    # BSA recomputed (62 kg is −11.4 % from 70 kg): √(165 × 62 / 3600) = 1.6857 m²;
    # persistent grade 2 neuropathy: 65 × 1.6857 = 109.6 → 110 mg; gemcitabine 1685.7 → 1686 mg;
    # lenvatinib stays 12 mg (baseline ≥60 kg); toripalimab 240 mg.
    result: dict[str, Any] = decision_to_dict(decide(_parse(example_dose())))
    assert result["bsa"]["recomputed"] is True
    doses = {d["drug"]: (d["action"], d["dose"]["dose_mg"]) for d in result["drugs"]}
    assert doses == {"oxaliplatin": ("reduce", 110), "gemcitabine": ("give", 1686),
                     "lenvatinib": ("give", 12), "toripalimab": ("give", 240)}


def _without(data: dict[str, Any], *path: str) -> dict[str, Any]:
    target = data
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return data


@pytest.mark.parametrize(("edit", "field"), [
    (lambda d: d["weight"].update(value=-62), "weight.value"),
    (lambda d: _without(d, "weight", "unit"), "weight.unit"),
    (lambda d: _without(d, "height"), "height"),
    (lambda d: d["labs"][0].pop("unit"), "labs[0](NEUT).unit"),
    (lambda d: d["labs"].append({"test": "NEUT", "value": 2, "unit": "10^9/L"}), "labs[6].test"),
    (lambda d: d["adverse_events"][0].update(related_to=["oxaliplatin", "aspirin"]),
     "adverse_events[0].related_to[1]"),
    (lambda d: d["current_levels"].update(capecitabine=0), "current_levels.capecitabine"),
    (lambda d: d["current_levels"].update(lenvatinib=1), "current_levels.lenvatinib"),
    (lambda d: d.update(arm="PLACEBO"), "arm"),
    (lambda d: d.update(day=22), "day"),
    (lambda d: d.update(colour="blue"), "colour"),
    (lambda d: d["adverse_events"][0].update(grade=6), "adverse_events[0].grade"),
    (lambda d: d["adverse_events"][0].update(category="rash"), "adverse_events[0].category"),
    (lambda d: d["haic"].update(delay_days=-1), "haic.delay_days"),
    (lambda d: d["bsa"].update(cap_m2=0.5), "bsa.cap_m2"),
    (lambda d: d["rounding"].update(banding={"doses_mg": [150, -1]}), "rounding.banding.doses_mg[1]"),
])
def test_invalid_input_names_the_field(edit, field: str):
    data = example_dose()
    edit(data)
    with pytest.raises(DomainError) as err:
        _parse(data)
    assert err.value.field == field


def test_defaults_when_optional_parts_are_absent():
    data = example_dose()
    for key in ("current_levels", "haic", "bsa", "rounding", "adverse_events", "baseline_labs",
                "reference_ranges", "liver_tumour_involvement"):
        del data[key]
    req = _parse(data)
    assert req.state(Drug.LENVATINIB).level == 0 and req.haic_delay_days == 0
    assert req.bsa_policy.cap_m2 is None and req.bsa_policy.recompute_threshold == 0.10
    assert req.rounding.increment_mg == 1 and req.liver_tumour_involvement


def test_discontinued_and_banding_and_override_are_read():
    data = example_dose()
    data["current_levels"]["toripalimab"] = "discontinued"
    data["rounding"] = {"increment_mg": 1,
                        "banding": {"doses_mg": [100, 110, 120], "max_deviation_percent": 5}}
    data["max_chemotherapy_cycles"] = 2
    req = _parse(data)
    assert req.state(Drug.TORIPALIMAB).discontinued
    assert req.rounding.banding is not None and req.rounding.banding.max_deviation == 0.05
    assert req.max_chemotherapy_cycles == 2
    result = decide(req)
    assert result.for_drug(Drug.TORIPALIMAB).action.value == "discontinue"
    assert result.for_drug(Drug.OXALIPLATIN).action.value == "not_due"  # cycle 3 > 2
