"""ADSL demographics and end of study from the clinical records; analysis values unchanged by them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.errors import DomainError
from oncotrial.exports.adam import AdamPackage, build_adam
from oncotrial.exports.adam.adsl import demographics, end_of_study
from oncotrial.exports.clinical_records import (
    ClinicalRecords,
    DispositionCategory,
    DispositionEvent,
    Subject,
)
from oncotrial.protocol_files import load_default_protocol

ON = date(2024, 5, 1)


def _eos(decoded: str) -> DispositionEvent:
    category = DispositionCategory.DISPOSITION_EVENT
    return DispositionEvent(decoded.title(), decoded, category, ON, "END OF STUDY")


def _subject(demo_records: ClinicalRecords, **changes: object) -> Subject:
    return replace(demo_records.subjects[0], **changes)  # type: ignore[arg-type]


def test_analysis_datasets_do_not_change_when_records_are_added(demo_data: TrialData,
                                                                demo_adam: AdamPackage) -> None:
    alone = build_adam(demo_data, protocol=load_default_protocol())
    assert (alone.adtte.rows, alone.adrs.rows, alone.adae.rows) == (
        demo_adam.adtte.rows, demo_adam.adrs.rows, demo_adam.adae.rows)
    for plain, full in zip(alone.adsl.rows, demo_adam.adsl.rows, strict=True):
        assert all(full[k] == v for k, v in plain.items())


def test_adsl_demographics_are_the_records_values(demo_adam: AdamPackage,
                                                  demo_records: ClinicalRecords) -> None:
    by_id = {s.subject_id: s for s in demo_records.subjects}
    for row in demo_adam.adsl.rows:
        s = by_id[str(row["SUBJID"])]
        assert (row["AGE"], row["SEX"], row["RACE"], row["ETHNIC"], row["COUNTRY"], row["SITEID"]) == (
            s.age_years, s.sex, s.race, s.ethnicity, s.country, s.site_code)
        assert row["AGEU"] == "YEARS"


@pytest.mark.parametrize(("age", "group", "n"), [(64, "<65", 1), (65, ">=65", 2), (78, ">=65", 2)])
def test_age_group_boundary_is_65_years(demo_records: ClinicalRecords, age: int, group: str, n: int) -> None:
    row = demographics(_subject(demo_records, age_years=age))
    assert (row["AGEGR1"], row["AGEGR1N"]) == (group, n)


def test_end_of_study_status_reason_and_date(demo_records: ClinicalRecords) -> None:
    died = end_of_study(_subject(demo_records, disposition=(_eos("DEATH"),)))
    done = end_of_study(_subject(demo_records, disposition=(_eos("COMPLETED"),)))
    ongoing = end_of_study(_subject(demo_records, disposition=()))
    assert died == {"EOSSTT": "DISCONTINUED", "EOSDT": ON, "DCSREAS": "DEATH"}
    assert done == {"EOSSTT": "COMPLETED", "EOSDT": ON, "DCSREAS": None}
    assert ongoing == {"EOSSTT": "ONGOING", "EOSDT": None, "DCSREAS": None}


def test_deaths_agree_between_dthfl_and_the_discontinuation_reason(demo_adam: AdamPackage) -> None:
    for row in demo_adam.adsl.rows:
        assert (row["DTHFL"] == "Y") == (row["DCSREAS"] == "DEATH")


def test_records_of_another_trial_are_rejected(demo_data: TrialData, demo_records: ClinicalRecords) -> None:
    other = replace(demo_records, study=replace(demo_records.study, study_id="NCT00000000"))
    with pytest.raises(DomainError, match=r"records\.study\.study_id"):
        build_adam(demo_data, records=other)


def test_without_records_adsl_says_what_it_lacks(demo_data: TrialData) -> None:
    adsl = build_adam(demo_data).adsl
    assert "AGE" not in adsl.spec.names and "EOSSTT" not in adsl.spec.names
    assert adsl.notes and "demographics" in adsl.notes[0]
