"""ADaM datasets: the spec table, conformance checks, the SIMULATED marker and hand-built cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from oncotrial.core.endpoints.records import AdverseEventRecord, PatientRecord, ScanOutcome
from oncotrial.core.endpoints.trial_data import TrialData, trial_data_from_mapping
from oncotrial.core.response.criteria import Criterion, Response
from oncotrial.exports.adam import AdamPackage, build_adam, check_adam
from oncotrial.exports.adam.metadata import Dataset, DatasetSpec, VarType
from oncotrial.exports.adam.settings import DEFAULT_FACTORS
from oncotrial.exports.adam.spec import ADAE, ADRS, ADTTE, CODELISTS, adsl_spec
from oncotrial.protocol_files import load_default_protocol
from oncotrial.simulation.trial_outcomes import simulated_trial

R = date(2024, 1, 1)
SPECS = (adsl_spec(DEFAULT_FACTORS), ADTTE, ADRS, ADAE)


@pytest.fixture(scope="module")
def simulated() -> AdamPackage:
    return build_adam(trial_data_from_mapping(simulated_trial()), protocol=load_default_protocol())


def _scan(day: int, recist: str, mrecist: str | None = None) -> ScanOutcome:
    return ScanOutcome(R + timedelta(days=day), {Criterion.RECIST_1_1: Response(recist),
                                                 Criterion.MRECIST: Response(mrecist or recist)})


def _trial(*patients: PatientRecord, simulated: bool = False) -> TrialData:
    return TrialData("NCT07304388", date(2025, 1, 1), simulated, ("HAIC", "GEMOX"), "GEMOX", patients)


def _patient(pid: str = "P-1", **fields: object) -> PatientRecord:
    base: dict[str, object] = {"patient_id": pid, "arm": "HAIC", "randomized_on": R,
                               "baseline_scan_on": R, "first_dose_on": R + timedelta(days=2),
                               "actual_arm": "HAIC", "last_known_alive_on": date(2024, 12, 1)}
    base.update(fields)
    return PatientRecord(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_table_fits_sas_transport_and_its_codelists_exist(spec: DatasetSpec) -> None:
    assert len(spec.name) <= 8 and len(spec.label) <= 30
    names = [v.name for v in spec.variables]
    assert len(names) == len(set(names))
    for v in spec.variables:
        assert len(v.name) <= 8 and v.name.isupper() and len(v.label) <= 40 and v.label.isascii()
        assert v.codelist is None or v.codelist in CODELISTS
        assert v.length <= 200 if v.type is VarType.CHAR else v.length == 8


def test_simulated_trial_passes_our_conformance_checks(simulated: AdamPackage) -> None:
    assert check_adam(simulated.datasets) == []


def test_simulated_data_say_so_in_every_dataset_label_and_keep_the_trial_id(simulated: AdamPackage) -> None:
    for ds in simulated.datasets:
        assert ds.label.startswith("SIMULATED ") and len(ds.label) <= 40
        assert set(ds.column("STUDYID")) == {"NCT07304388"}


def test_real_data_labels_carry_no_marker() -> None:
    adam = build_adam(_trial(_patient()))
    assert adam.adsl.label == "Subject-Level Analysis Dataset"


def test_adsl_has_one_record_per_subject_with_protocol_strata(simulated: AdamPackage) -> None:
    assert len(simulated.adsl.rows) == len(set(simulated.adsl.column("USUBJID"))) == 120
    row = simulated.adsl.rows[0]
    assert row["SITEID"] == "SYSUCC"
    assert row["STRATAR"] == f"extrahepatic_metastasis={row['STRAT1R']};ecog={row['STRAT2R']}"


def test_never_dosed_patient_is_out_of_the_safety_population() -> None:
    adsl = build_adam(_trial(_patient(first_dose_on=None, actual_arm=None))).adsl.rows[0]
    assert (adsl["SAFFL"], adsl["PPROTFL"], adsl["TRT01A"], adsl["ACTARMCD"]) == ("N", "N", None, "NOTTRT")


def test_adtte_aval_is_adt_minus_startdt_plus_one_and_cnsr_is_zero_for_events() -> None:
    death = _patient(death_on=R + timedelta(days=99), scans=(_scan(42, "SD"),))
    rows = {r["PARAMCD"]: r for r in build_adam(_trial(death)).adtte.rows}
    assert (rows["OS"]["AVAL"], rows["OS"]["CNSR"], rows["OS"]["EVNTDESC"], rows["OS"]["CNSDTDSC"]) == (
        100, 0, "DEATH", None)
    assert rows["OS"]["STARTDT"] == R and rows["OS"]["ADT"] == R + timedelta(days=99)


def test_censored_pfs_carries_the_censoring_description_in_both_variables() -> None:
    rows = {r["PARAMCD"]: r for r in build_adam(_trial(_patient(scans=(_scan(42, "SD"),)))).adtte.rows}
    pfs = rows["PFS"]
    assert (pfs["AVAL"], pfs["CNSR"], pfs["EVNTDESC"], pfs["CNSDTDSC"]) == (
        43, 1, "LAST ADEQUATE ASSESSMENT", "LAST ADEQUATE ASSESSMENT")


def test_dor_only_for_responders_and_starts_at_the_first_response() -> None:
    responder = _patient("P-1", scans=(_scan(42, "SD", "PR"), _scan(84, "PR"), _scan(126, "PD")))
    stable = _patient("P-2", scans=(_scan(42, "SD"), _scan(84, "SD")))
    adtte = build_adam(_trial(responder, stable)).adtte
    dor = adtte.where(PARAMCD="DOR")
    assert [r["USUBJID"] for r in dor] == ["NCT07304388-P-1"]
    assert (dor[0]["STARTDT"], dor[0]["AVAL"], dor[0]["CNSR"]) == (R + timedelta(days=84), 43, 0)
    assert adtte.where(PARAMCD="DORMR")[0]["STARTDT"] == R + timedelta(days=42)


def test_adrs_distinguishes_criteria_and_confirmation() -> None:
    unconfirmed = _patient(scans=(_scan(42, "PR", "CR"), _scan(84, "PD")))
    adrs = build_adam(_trial(unconfirmed)).adrs
    value = {r["PARAMCD"]: r["AVALC"] for r in adrs.rows if r["PARAMCD"] not in ("OVR", "OVRMR")}
    assert value == {"BOR": "PR", "CBOR": "SD", "RSP": "Y", "BORMR": "CR", "CBORMR": "SD", "RSPMR": "Y"}
    ovr = adrs.where(PARAMCD="OVRMR")
    assert [(r["AVALC"], r["AVAL"], r["PARCAT1"], r["ADY"]) for r in ovr] == [
        ("CR", 1, "mRECIST", 43), ("PD", 5, "mRECIST", 85)]


def test_scans_after_new_therapy_are_listed_but_not_flagged_for_analysis() -> None:
    switched = _patient(scans=(_scan(42, "SD"), _scan(84, "PR")),
                        new_anticancer_therapy_on=R + timedelta(days=60))
    ovr = build_adam(_trial(switched)).adrs.where(PARAMCD="OVR")
    assert [r["ANL01FL"] for r in ovr] == ["Y", None]


def test_adverse_event_before_first_dose_is_not_treatment_emergent() -> None:
    early = AdverseEventRecord("Fatigue", 2, R + timedelta(days=1))
    later = AdverseEventRecord("Hypertension", 3, R + timedelta(days=9), serious=True, related=True,
                               haic_procedure=True)
    rows = build_adam(_trial(_patient(adverse_events=(later, early)))).adae.rows
    assert [(r["AESEQ"], r["AEDECOD"], r["ASTDY"], r["TRTEMFL"]) for r in rows] == [
        (1, "Fatigue", -1, None), (2, "Hypertension", 8, "Y")]
    assert (rows[1]["AETOXGR"], rows[1]["AESER"], rows[1]["AREL"], rows[1]["APROCFL"]) == (
        "3", "Y", "RELATED", "Y")


def test_conformance_checks_name_dataset_variable_and_row(simulated: AdamPackage) -> None:
    bad_tte = dict(simulated.adtte.rows[0], CNSR=2)
    adtte = replace(simulated.adtte, rows=(bad_tte, *simulated.adtte.rows[1:]))
    adsl = replace(simulated.adsl, rows=(*simulated.adsl.rows, simulated.adsl.rows[0]))
    found = {str(f) for f in check_adam([adsl, adtte])}
    assert "ADTTE.CNSR row 0: 2 is not in codelist CNSR ('0', '1')" in found
    assert "ADSL.USUBJID: NCT07304388-SIM-0001 has 2 records; expected one" in found


def test_a_missing_required_value_and_a_long_paramcd_are_findings() -> None:
    adam = build_adam(_trial(_patient()))
    row = dict(adam.adtte.rows[0], PARAMCD="OVERALLSURV", AVAL=None)
    found = [str(f) for f in check_adam([adam.adsl, Dataset(ADTTE, (row,), False)])]
    assert any("ADTTE.AVAL row 0: required variable is missing" in f for f in found)
    assert any("ADTTE.PARAMCD row 0" in f and "longer than" in f for f in found)
