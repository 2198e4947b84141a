"""ADLB from the clinical records: SI values, baseline, change, CTCAE v5.0 grades, ranges, traceability."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from oncotrial.core.grading import ctcae_v5
from oncotrial.exports.adam import AdamPackage, check_adam
from oncotrial.exports.adam.adlb import build_adlb, lb_sequence
from oncotrial.exports.adam.metadata import Dataset
from oncotrial.exports.clinical_records import ClinicalRecords, LabResult
from oncotrial.exports.sdtm.context import Context
from oncotrial.exports.sdtm.findings import build_lb

ULN_ALT = 40.0


def _alt(value: float, on: date, *, baseline: bool = False, visit: str = "C1D1") -> LabResult:
    """An ALT result graded by core (CTCAE v5.0 'Alanine aminotransferase increased', baseline 30 U/L)."""
    grade = ctcae_v5.grade_alt_increased(value, uln=ULN_ALT, baseline=30.0).grade
    return LabResult("SIM-0001", "ALT", "Alanine Aminotransferase", "CHEMISTRY", value, "U/L", value, "U/L",
                     7.0, ULN_ALT, grade, on, visit, baseline)


def _adlb(demo_records: ClinicalRecords, demo_adam: AdamPackage, *labs: LabResult) -> Dataset:
    return build_adlb(replace(demo_records, labs=labs), demo_adam.adsl)


def test_the_simulated_package_with_records_has_adlb_and_passes_our_checks(demo_adam: AdamPackage) -> None:
    assert demo_adam.adlb is not None and demo_adam.adlb in demo_adam.datasets
    assert check_adam(demo_adam.datasets) == []
    assert demo_adam.adlb.label == "SIMULATED Laboratory Analysis Dataset"


def test_every_lab_result_is_one_adlb_record_in_si_units(demo_adam: AdamPackage,
                                                         demo_records: ClinicalRecords) -> None:
    assert demo_adam.adlb is not None
    assert len(demo_adam.adlb.rows) == len(demo_records.labs)
    bili = demo_adam.adlb.where(PARAMCD="BILI")
    assert {r["AVALU"] for r in bili} == {"umol/L"} and {r["PARAM"] for r in bili} == {"Bilirubin (umol/L)"}


def test_alt_rising_from_normal_to_3_25_times_uln_is_grade_2_with_change_from_baseline(
        demo_records: ClinicalRecords, demo_adam: AdamPackage) -> None:
    # CTCAE v5.0 ALT increased, baseline normal: grade 1 > ULN-3.0 x ULN, grade 2 > 3.0-5.0 x ULN.
    rows = _adlb(demo_records, demo_adam, _alt(130.0, date(2023, 9, 18)),
                 _alt(30.0, date(2023, 8, 20), baseline=True, visit="SCR")).rows
    base, later = rows
    assert (base["ABLFL"], base["BASE"], base["CHG"], base["ATOXGR"], base["ANRIND"]) == (
        "Y", 30.0, None, "0", "NORMAL")
    assert (later["ABLFL"], later["BASE"], later["CHG"], later["ATOXGR"], later["BTOXGR"]) == (
        None, 30.0, 100.0, "2", "0")
    assert (later["ANRLO"], later["ANRHI"], later["ANRIND"], later["BNRIND"]) == (7.0, 40.0, "HIGH", "NORMAL")
    # TRTSDT of SIM-0001 is 2023-08-28: 2023-09-18 is day 22, the day before TRTSDT is -1.
    assert (later["ADY"], base["ADY"]) == (22, -8)


def test_a_result_without_baseline_has_no_base_or_change(demo_records: ClinicalRecords,
                                                         demo_adam: AdamPackage) -> None:
    row = _adlb(demo_records, demo_adam, _alt(50.0, date(2023, 9, 18))).rows[0]
    assert (row["BASE"], row["CHG"], row["BTOXGR"], row["ATOXGR"]) == (None, None, None, "1")


def test_srcseq_points_at_the_sdtm_lb_record_with_the_same_value_and_range_indicator(demo_adam: AdamPackage,
                                                               demo_records: ClinicalRecords) -> None:
    lb = {(r["USUBJID"], r["LBSEQ"]): r for r in build_lb(Context.of(demo_records)).rows}
    assert demo_adam.adlb is not None
    for row in demo_adam.adlb.rows:
        source = lb[(row["USUBJID"], row["SRCSEQ"])]
        assert (source["LBTESTCD"], source["LBDTC"], source["LBSTRESN"], source["LBNRIND"]) == (
            row["PARAMCD"], row["ADT"].isoformat(), row["AVAL"], row["ANRIND"])  # type: ignore[union-attr]
        assert (row["SRCDOM"], row["SRCVAR"]) == ("LB", "LBSTRESN")


def test_lb_sequence_orders_by_date_then_test_within_each_subject() -> None:
    later = _alt(1.0, date(2024, 1, 9))
    early_b = replace(_alt(1.0, date(2024, 1, 2)), test_code="B")
    early_a = replace(_alt(1.0, date(2024, 1, 2)), test_code="A")
    other = replace(later, subject_id="SIM-0002")
    assert lb_sequence([later, early_b, other, early_a]) == [3, 2, 1, 1]


def test_two_baselines_a_wrong_change_and_a_wrong_range_indicator_are_findings(
        demo_records: ClinicalRecords, demo_adam: AdamPackage) -> None:
    adlb = _adlb(demo_records, demo_adam, _alt(30.0, date(2023, 8, 20), baseline=True),
                 _alt(130.0, date(2023, 9, 18)))
    second = dict(adlb.rows[1], ABLFL="Y")
    wrong = dict(adlb.rows[1], CHG=99.0, ANRIND="NORMAL")
    found = [str(f) for f in check_adam([demo_adam.adsl, replace(adlb, rows=(adlb.rows[0], second, wrong))])]
    assert any("ADLB.ABLFL" in f and "2 baseline records" in f for f in found)
    assert any(f.startswith("ADLB.CHG row 2: 99.0 != AVAL - BASE") for f in found)
    assert any(f.startswith("ADLB.ANRIND row 2: 'NORMAL'") and "'HIGH'" in f for f in found)


@pytest.mark.parametrize("grade", ["5", "9"])
def test_a_lab_grade_outside_ctcae_0_to_4_is_a_finding(demo_adam: AdamPackage, grade: str) -> None:
    assert demo_adam.adlb is not None
    row = dict(demo_adam.adlb.rows[0], ATOXGR=grade)
    found = [str(f) for f in check_adam([demo_adam.adsl, replace(demo_adam.adlb, rows=(row,))])]
    assert any(f.startswith("ADLB.ATOXGR row 0") and "LBTOXGR" in f for f in found)
