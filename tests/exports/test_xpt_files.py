"""SAS XPORT v5: round trip through pyreadstat and an independent reader, and our pre-write checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from oncotrial.core.endpoints.trial_data import trial_data_from_mapping
from oncotrial.core.errors import DomainError
from oncotrial.exports.adam import AdamPackage, build_adam
from oncotrial.exports.adam.metadata import Dataset, DatasetSpec
from oncotrial.exports.xpt import check_xpt, read_xpt, verify_xpt, write_xpt, xpt_problems
from oncotrial.simulation.trial_outcomes import simulated_trial


@pytest.fixture(scope="module")
def adam() -> AdamPackage:
    return build_adam(trial_data_from_mapping(simulated_trial()))


@pytest.mark.parametrize("name", ["ADSL", "ADTTE", "ADRS", "ADAE"])
def test_every_dataset_round_trips_with_identical_values(adam: AdamPackage, tmp_path: Path,
                                                         name: str) -> None:
    ds = next(d for d in adam.datasets if d.name == name)
    path = write_xpt(ds, tmp_path)
    assert path.name == f"{name.lower()}.xpt"
    verify_xpt(ds, path)
    table, label, labels, rows = read_xpt(path)
    assert (table, label) == (name, ds.label)
    assert list(labels) == list(ds.spec.names)
    for want, got in zip(ds.rows, rows, strict=True):
        assert {k: (float(v) if isinstance(v, int) else v) for k, v in want.items()} == got


def test_independent_reader_sees_sas_dates_and_trimmed_lengths(adam: AdamPackage, tmp_path: Path) -> None:
    from pandas.io.sas.sas_xport import XportReader

    path = write_xpt(adam.adtte, tmp_path)
    frame = pd.read_sas(path, format="xport", encoding="ascii")
    first = adam.adtte.rows[0]
    assert frame["ADT"].iloc[0] == (first["ADT"] - pd.Timestamp("1960-01-01").date()).days  # type: ignore[operator]
    fields = {f["name"].decode(): f["field_length"] for f in XportReader(str(path)).fields}
    assert fields["PARAMCD"] == max(len(str(v)) for v in adam.adtte.column("PARAMCD"))
    _, meta = pyreadstat.read_xport(str(path), metadataonly=True)
    assert meta.original_variable_types["ADT"] == "DATE9"


def _one(name: str = "X", label: str = "Label", value: str = "ok", table: str = "ADXX") -> Dataset:
    var = replace(build_adam(trial_data_from_mapping(simulated_trial(patients=2))).adsl.spec.variables[0],
                  name=name, label=label)
    return Dataset(DatasetSpec(table, "Test", "BDS", "rows", (var,)), ({name: value},), False)


@pytest.mark.parametrize(("dataset", "field", "value"), [
    (_one(name="LONGNAME9"), "ADXX.LONGNAME9", "LONGNAME9"),
    (_one(name="aval"), "ADXX.aval", "aval"),
    (_one(label="L" * 41), "ADXX.X.label", "L" * 41),
    (_one(value="v" * 201), "ADXX.X[0]", "v" * 201),
    (_one(value="Hépatite"), "ADXX.X[0]", "Hépatite"),
    (_one(table="ADVERYLONG"), "ADVERYLONG", "ADVERYLONG"),
], ids=["long-name", "lower-case-name", "long-label", "201-char-value", "non-ascii", "long-dataset-name"])
def test_each_pre_write_check_names_the_field(dataset: Dataset, field: str, value: str,
                                              tmp_path: Path) -> None:
    with pytest.raises(DomainError) as caught:
        write_xpt(dataset, tmp_path)
    assert (caught.value.field, caught.value.value) == (field, value)
    assert not (tmp_path / f"{dataset.name.lower()}.xpt").exists()


def test_a_value_of_exactly_200_ascii_bytes_is_accepted() -> None:
    check_xpt(_one(value="v" * 200))


def test_all_problems_are_listed_and_the_first_is_raised_with_a_count() -> None:
    ds = _one(name="TOOLONGNAME", label="L" * 41, value="é")
    assert [p.field for p in xpt_problems(ds)] == ["ADXX.TOOLONGNAME", "ADXX.TOOLONGNAME.label",
                                                   "ADXX.TOOLONGNAME[0]"]
    with pytest.raises(DomainError, match="2 more problem"):
        check_xpt(ds)


def test_long_dataset_label_is_rejected_not_truncated() -> None:
    ds = Dataset(replace(_one().spec, label="A" * 41), ({"X": "ok"},), False)
    assert [p.field for p in xpt_problems(ds)] == ["ADXX.label"]


def test_verify_reports_the_first_value_that_differs(adam: AdamPackage, tmp_path: Path) -> None:
    path = write_xpt(adam.adsl, tmp_path)
    changed = dict(adam.adsl.rows[3], SUBJID="SIM-9999")
    other = replace(adam.adsl, rows=(*adam.adsl.rows[:3], changed, *adam.adsl.rows[4:]))
    with pytest.raises(DomainError) as caught:
        verify_xpt(other, path)
    assert caught.value.field.endswith("ADSL.SUBJID[3]")
