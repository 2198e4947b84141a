"""Structural checks of the SDTM export of the SIMULATED trial (names, labels, Req, SEQ, links)."""

from __future__ import annotations

import dataclasses
from datetime import date

from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.clinical_records import ClinicalRecords
from oncotrial.exports.sdtm.checks import check_sdtm
from oncotrial.exports.sdtm.package import SdtmPackage
from oncotrial.exports.sdtm.spec import CODELISTS, DOMAINS, SPECS
from oncotrial.exports.sdtm.timing import study_day

EXPECTED = {
    "DM",
    "DS",
    "SV",
    "EX",
    "EC",
    "AE",
    "LB",
    "VS",
    "CM",
    "MH",
    "TU",
    "TR",
    "RS",
    "SE",
    "TS",
    "TA",
    "TE",
    "TV",
    "TI",
}


def _replace_row(ds: Dataset, i: int, **values: Value) -> Dataset:
    rows = list(ds.rows)
    rows[i] = {**rows[i], **values}
    return dataclasses.replace(ds, rows=tuple(rows))


def _swap(package: SdtmPackage, ds: Dataset) -> list[Dataset]:
    return [ds if d.name == ds.name else d for d in package.datasets]


def test_the_export_has_every_domain_of_issue_8(demo_sdtm: SdtmPackage) -> None:
    assert {d.name for d in demo_sdtm.datasets} == EXPECTED


def test_the_simulated_trial_passes_every_structural_check(demo_sdtm: SdtmPackage) -> None:
    assert [str(f) for f in check_sdtm(demo_sdtm.datasets)] == []


def test_names_fit_8_characters_and_labels_40_including_the_simulated_prefix(demo_sdtm: SdtmPackage) -> None:
    for ds in demo_sdtm.datasets:
        assert ds.label.startswith("SIMULATED ") and len(ds.label) <= 40
    for spec in DOMAINS:
        assert all(len(v.name) <= 8 and len(v.label) <= 40 for v in spec.variables), spec.name


def test_every_domain_uses_only_subjects_of_dm(demo_sdtm: SdtmPackage) -> None:
    dm = set(demo_sdtm.dataset("DM").column("USUBJID"))
    for ds in demo_sdtm.datasets:
        if "USUBJID" in ds.spec.names:
            assert set(ds.column("USUBJID")) <= dm, ds.name


def test_a_duplicated_sequence_number_is_reported(demo_sdtm: SdtmPackage) -> None:
    ae = demo_sdtm.dataset("AE")
    first = ae.rows[0]
    twin = next(i for i, r in enumerate(ae.rows) if i > 0 and r["USUBJID"] == first["USUBJID"])
    broken = _replace_row(ae, twin, AESEQ=first["AESEQ"])
    assert any(f.variable == "AESEQ" for f in check_sdtm(_swap(demo_sdtm, broken)))


def test_a_subject_missing_from_dm_is_reported(demo_sdtm: SdtmPackage) -> None:
    broken = _replace_row(demo_sdtm.dataset("LB"), 0, USUBJID="NCT07304388-NOBODY")
    findings = check_sdtm(_swap(demo_sdtm, broken))
    assert any("NOBODY is not in DM" in f.message for f in findings)


def test_a_tr_record_of_an_unidentified_lesion_is_reported(demo_sdtm: SdtmPackage) -> None:
    broken = _replace_row(demo_sdtm.dataset("TR"), 0, TRLNKID="T99")
    findings = check_sdtm(_swap(demo_sdtm, broken))
    assert any(f.dataset == "TR" and f.variable == "TRLNKID" for f in findings)


def test_a_value_outside_its_codelist_and_a_missing_required_value_are_reported(
    demo_sdtm: SdtmPackage,
) -> None:
    rs = _replace_row(demo_sdtm.dataset("RS"), 0, RSSTRESC="GOOD", RSTESTCD=None)
    messages = [f.message for f in check_sdtm(_swap(demo_sdtm, rs))]
    assert any("not in codelist ONCRSR" in m for m in messages)
    assert "required variable is missing" in messages


def test_tu_tr_rs_links_resolve_per_subject(demo_sdtm: SdtmPackage) -> None:
    tu, tr, rs = (demo_sdtm.dataset(n) for n in ("TU", "TR", "RS"))
    lesions = set(zip(tu.column("USUBJID"), tu.column("TULNKID"), strict=True))
    assert set(zip(tr.column("USUBJID"), tr.column("TRLNKID"), strict=True)) == lesions
    groups = {(r["USUBJID"], r["TRLNKGRP"]) for r in tr.rows}
    assert {(r["USUBJID"], r["RSLNKGRP"]) for r in rs.rows if r["RSLNKGRP"]} <= groups


def test_recist_and_mrecist_responses_are_told_apart_by_rscat(demo_sdtm: SdtmPackage) -> None:
    rs = demo_sdtm.dataset("RS")
    assert set(rs.column("RSCAT")) == {"RECIST 1.1", "mRECIST"}
    assert set(rs.column("RSTESTCD")) == {"TRGRESP", "NTRGRESP", "NEWLPROG", "OVRLRESP", "BESTRESP"}
    assert set(rs.column("RSSTRESC")) <= set(CODELISTS["ONCRSR"][2])


def test_study_day_has_no_day_zero() -> None:
    # SDTMIG v3.4 §4.4.4: the reference date is day 1, the day before is day -1.
    assert study_day(date(2024, 1, 10), date(2024, 1, 10)) == 1
    assert study_day(date(2024, 1, 9), date(2024, 1, 10)) == -1
    assert study_day(date(2024, 2, 9), date(2024, 1, 10)) == 31


def test_tr_measurements_give_the_recorded_recist_response(demo_records: ClinicalRecords) -> None:
    """RECIST 1.1 §4.3.1 from the TR sums: PR ≤ −30 % of baseline, CR = all targets gone."""
    sums: dict[tuple[str, date], float] = {}
    for m in demo_records.measurements:
        if m.longest_diameter_mm is not None:
            sums[(m.subject_id, m.scan_on)] = sums.get((m.subject_id, m.scan_on), 0.0) + m.longest_diameter_mm
    baseline = {
        s.subject_id: sums[(s.subject_id, min(d for (sid, d) in sums if sid == s.subject_id))]
        for s in demo_records.subjects
    }
    for r in demo_records.responses:
        if r.criterion.value != "RECIST 1.1":
            continue
        change = sums[(r.subject_id, r.scan_on)] / baseline[r.subject_id] - 1
        if r.overall == "CR":
            assert sums[(r.subject_id, r.scan_on)] == 0
        elif r.overall == "PR":
            assert change <= -0.30 + 1e-9
        elif r.overall == "SD":
            assert -0.30 < change < 0.20


def test_the_spec_lists_each_domain_once() -> None:
    assert len(SPECS) == len(DOMAINS) == len(EXPECTED)
