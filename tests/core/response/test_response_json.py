"""The JSON-friendly entry point ``assess_from_dict`` and the documented example file.

Expected values for ``docs/examples/assessments.json`` are derived by hand:

* baseline RECIST sum 62 + 35 + 18 (node SA) = 115 mm; mRECIST viable sum 48 + 30 + 18 = 96;
* 2024-02-19 (day 42): RECIST 50 + 28 + 14 = 92 (−20 %) → SD; mRECIST 30 + 15 + 14 = 59
  (−38.5 %) → PR;
* 2024-04-01: RECIST 40 + 22 + 10 = 72 (−37.4 %) → PR as read; mRECIST 12 + 0 + 10 = 22
  → PR as read; the equivocal new lesion N1 is confirmed on 2024-05-13, so both become
  PD dated 2024-04-01 (RECIST 1.1 §4.3.5);
* best response (up to the first PD): RECIST SD (day 42 ≥ 42), mRECIST PR;
* PFS event 2024-04-01 under both.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.response.json_format import assess_from_dict

EXAMPLE = Path(__file__).parents[3] / "docs" / "examples" / "assessments.json"


@pytest.fixture
def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_example_file_gives_the_hand_derived_results(example: dict[str, Any]) -> None:
    out: Any = assess_from_dict(example)
    assert out["criteria"] == ["RECIST 1.1", "mRECIST"]
    points = out["time_points"]
    assert [p["scan_date"] for p in points] == ["2024-02-19", "2024-04-01", "2024-05-13"]
    first = points[0]["responses"]
    assert first["RECIST 1.1"]["criterion"] == "RECIST 1.1"
    assert (first["RECIST 1.1"]["sum_mm"], first["RECIST 1.1"]["response"]) == (92.0, "SD")
    assert (first["mRECIST"]["sum_mm"], first["mRECIST"]["response"]) == (59.0, "PR")
    assert first["RECIST 1.1"]["baseline_sum_mm"] == 115.0
    assert first["mRECIST"]["baseline_sum_mm"] == 96.0
    second = points[1]["responses"]
    for criterion in ("RECIST 1.1", "mRECIST"):
        assert second[criterion]["response_as_read"] == "PR"
        assert second[criterion]["response"] == "PD"
        assert second[criterion]["progression_confirmed_on"] == "2024-05-13"
        assert points[2]["responses"][criterion]["response"] == "PD"
    assert out["best_overall_response"]["RECIST 1.1"]["response"] == "SD"
    assert out["best_overall_response"]["mRECIST"]["response"] == "PR"
    assert out["best_overall_response"]["mRECIST"]["scan_date"] == "2024-02-19"
    assert out["pfs_event_date"] == {"RECIST 1.1": "2024-04-01", "mRECIST": "2024-04-01"}


def test_output_is_json_serialisable(example: dict[str, Any]) -> None:
    text = json.dumps(assess_from_dict(example))
    assert json.loads(text)["randomization_date"] == "2024-01-08"


def test_minimal_input_uses_the_defaults() -> None:
    data = {
        "randomization_date": "2024-01-01",
        "lesions": [
            {
                "lesion_id": "T1",
                "organ": "liver",
                "is_target": True,
                "longest_diameter_mm": 40,
                "viable_diameter_mm": 40,
            }
        ],
        "scans": [
            {
                "scan_date": "2024-02-12",
                "targets": [{"lesion_id": "T1", "diameter_mm": 28, "viable_diameter_mm": 28}],
            }
        ],
    }
    out: Any = assess_from_dict(data)
    # 40 → 28 is −30 %: PR under both criteria (viable = total).
    assert out["best_overall_response"]["RECIST 1.1"]["response"] == "PR"
    assert out["best_overall_response"]["mRECIST"]["response"] == "PR"
    assert out["pfs_event_date"] == {"RECIST 1.1": None, "mRECIST": None}


def test_confirmation_setting_is_read(example: dict[str, Any]) -> None:
    example["settings"]["confirmation"] = {"min_interval_days": 28}
    out: Any = assess_from_dict(example)
    # mRECIST PR on 2024-02-19 is followed by PD (backdated) on 2024-04-01: unconfirmed,
    # so it counts as SD (day 42 ≥ 42).
    assert out["best_overall_response"]["mRECIST"]["response"] == "SD"
    assert out["best_overall_response"]["mRECIST"]["confirmation_required"] is True


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d.update(randomization_date="08/01/2024"), "randomization_date"),
        (lambda d: d["lesions"][0].update(longest_diameter_mm="62"), "lesions[0].longest_diameter_mm"),
        (lambda d: d["lesions"][0].update(longest_diameter_mm=-62), "lesions[0].longest_diameter_mm"),
        (lambda d: d["lesions"][0].pop("is_target"), "lesions[0].is_target"),
        (
            lambda d: d["lesions"][2].update(short_axis_mm=None, longest_diameter_mm=25),
            "lesions[2].longest_diameter_mm",
        ),
        (lambda d: d["scans"][0].update(scan_date="2024-01-07"), "scans[0].scan_date"),
        (lambda d: d["scans"][1].update(scan_date="2024-02-19"), "scans[1].scan_date"),
        (lambda d: d["scans"][0]["targets"][0].update(lesion_id="T9"), "scans[0].targets[0].lesion_id"),
        (lambda d: d["scans"][0]["targets"][0].update(status="gone"), "scans[0].targets[0].status"),
        (lambda d: d["scans"][0]["targets"][0].update(diamter_mm=3), "scans[0].targets[0].diamter_mm"),
        (lambda d: d["settings"].update(sd_min_days="42"), "settings.sd_min_days"),
    ],
)
def test_invalid_input_names_the_field(example: dict[str, Any], mutate: Any, field: str) -> None:
    data = copy.deepcopy(example)
    mutate(data)
    with pytest.raises(DomainError) as info:
        assess_from_dict(data)
    assert info.value.field == field
    assert info.value.expected
    assert json.dumps(info.value.as_dict())
