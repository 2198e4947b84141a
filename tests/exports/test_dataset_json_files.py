"""CDISC Dataset-JSON 1.1: structure, schema checks, values equal to the datasets, SIMULATED label."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.errors import DomainError
from oncotrial.exports.adam import AdamPackage, build_adam
from oncotrial.exports.dataset_json import check_dataset_json, dataset_json, write_dataset_json
from oncotrial.simulation.trial_outcomes import simulated_trial

CREATED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def adam() -> AdamPackage:
    return build_adam(trial_data_from_mapping(simulated_trial()))


@pytest.fixture(scope="module")
def adtte(adam: AdamPackage) -> dict[str, Any]:
    return dataset_json(adam.adtte, created=CREATED)


def test_file_and_dataset_metadata(adtte: dict[str, Any]) -> None:
    assert adtte["datasetJSONVersion"] == "1.1.0"
    assert adtte["datasetJSONCreationDateTime"] == "2025-06-02T09:30:00+00:00"
    assert (adtte["itemGroupOID"], adtte["name"], adtte["studyOID"]) == ("IG.ADTTE", "ADTTE", "NCT07304388")
    assert adtte["label"] == "SIMULATED Time-to-Event Analysis Dataset"
    assert adtte["records"] == len(adtte["rows"]) == 450


def test_columns_come_from_the_spec_table(adam: AdamPackage, adtte: dict[str, Any]) -> None:
    columns = {c["name"]: c for c in adtte["columns"]}
    assert list(columns) == list(adam.adtte.spec.names)
    assert columns["ADT"] | {} == {"itemOID": "IT.ADTTE.ADT", "name": "ADT", "label": "Analysis Date",
                                   "dataType": "date", "targetDataType": "integer",
                                   "displayFormat": "DATE9."}
    assert columns["CNSR"]["dataType"] == "integer"
    assert columns["PARAMCD"]["length"] == 5 and columns["PARAMCD"]["keySequence"] == 3


@pytest.mark.parametrize("name", ["ADSL", "ADTTE", "ADRS", "ADAE"])
def test_rows_equal_the_dataset_values(adam: AdamPackage, name: str, tmp_path: Path) -> None:
    ds = next(d for d in adam.datasets if d.name == name)
    doc = json.loads(write_dataset_json(ds, tmp_path, created=CREATED).read_text(encoding="utf-8"))
    check_dataset_json(doc)
    names = [c["name"] for c in doc["columns"]]
    for want, got in zip(ds.rows, doc["rows"], strict=True):
        back = {n: (date.fromisoformat(v) if ds.spec.variable(n).is_date and v else v)
                for n, v in zip(names, got, strict=True)}
        assert back == dict(want)


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d.pop("itemGroupOID"), "dataset-json:(root)"),
    (lambda d: d.update(records=3), "dataset-json:records"),
    (lambda d: d["columns"][0].update(dataType="text"), "dataset-json:columns/0/dataType"),
    (lambda d: d.update(extra=1), "dataset-json:(root)"),
    (lambda d: d["rows"][2].pop(), "dataset-json:rows/2"),
    (lambda d: d["rows"][1].__setitem__(9, "439"), "dataset-json:rows/1/AVAL"),
    (lambda d: d.update(datasetJSONVersion="1.0.0"), "dataset-json:datasetJSONVersion"),
], ids=["missing-key", "record-count", "data-type", "extra-key", "short-row", "text-in-integer", "version"])
def test_structural_problems_are_reported_with_their_path(adtte: dict[str, Any], mutate: Any,
                                                         field: str) -> None:
    doc = copy.deepcopy(adtte)
    mutate(doc)
    with pytest.raises(DomainError) as caught:
        check_dataset_json(doc)
    assert caught.value.field == field


def test_real_data_keep_the_standard_label() -> None:
    raw = simulated_trial(patients=4) | {"simulated": False}
    doc = dataset_json(build_adam(trial_data_from_mapping(raw)).adsl, created=CREATED)
    assert doc["label"] == "Subject-Level Analysis Dataset"
