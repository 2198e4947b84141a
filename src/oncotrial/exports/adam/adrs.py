"""ADRS: time-point (OVR), best (BOR), confirmed best (CBOR) overall response and response
(RSP, Y/N) per criterion (admiralonco ``ad_adrs.R`` parameters; research/standards.md §2.1).

RECIST 1.1 and mRECIST are separate parameters (suffix ``MR``), and ``PARCAT1`` names the
criterion, as SDTM ``RSEVAL``/``RSCAT`` do. BOR is
:func:`oncotrial.core.endpoints.response_endpoints.best_response` with the protocol's
settings (the value the report's ORR counts); CBOR requires confirmation.
"""

from __future__ import annotations

from datetime import date

from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import best_response, is_objective_response
from oncotrial.core.endpoints.time_to_event import study_day
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.adam.metadata import Dataset, Row, Value
from oncotrial.exports.adam.settings import AdamSettings
from oncotrial.exports.adam.spec import ADRS, RESPONSE_CODES

SUFFIX = {Criterion.RECIST_1_1: "", Criterion.MRECIST: "MR"}
PARAM_TEXT = {
    "OVR": "Overall Response by Investigator",
    "BOR": "Best Overall Response by Investigator",
    "CBOR": "Best Confirmed Overall Response by Investigator",
    "RSP": "Objective Response (CR or PR) by Investigator",
}


def build_adrs(data: TrialData, settings: AdamSettings) -> Dataset:
    rows: list[Row] = []
    for criterion in (Criterion.RECIST_1_1, Criterion.MRECIST):
        for r in data.patients:
            rows.extend(_patient_rows(r, criterion, settings))
    return Dataset(ADRS, tuple(rows), settings.simulated)


def _patient_rows(r: PatientRecord, criterion: Criterion, s: AdamSettings) -> list[Row]:
    therapy = r.new_anticancer_therapy_on
    rows = [_row("OVR", r, criterion, s, scan.response(criterion).value, scan.scan_date,
                 anl01fl=therapy is None or scan.scan_date <= therapy)
            for scan in sorted(r.scans, key=lambda x: x.scan_date) if scan.scan_date <= s.cutoff]
    bor = best_response(r, criterion=criterion, cutoff=s.cutoff, settings=s.response)
    cbor = best_response(r, criterion=criterion, cutoff=s.cutoff, settings=s.confirmed)
    rows.append(_row("BOR", r, criterion, s, bor.response.value, bor.scan_date))
    rows.append(_row("CBOR", r, criterion, s, cbor.response.value, cbor.scan_date))
    rows.append(_row("RSP", r, criterion, s, "Y" if is_objective_response(bor) else "N",
                     bor.scan_date))
    return rows


def _row(code: str, r: PatientRecord, criterion: Criterion, s: AdamSettings, avalc: str,
         on: date | None, *, anl01fl: bool = False) -> Row:
    aval: Value = (1 if avalc == "Y" else 0) if code == "RSP" else RESPONSE_CODES[avalc]
    return {
        "STUDYID": s.trial, "USUBJID": s.usubjid(r), "TRT01P": r.arm, "ARMCD": r.arm, "ITTFL": "Y",
        "PARAMCD": code + SUFFIX[criterion], "PARAM": f"{PARAM_TEXT[code]} ({criterion.value})",
        "PARCAT1": criterion.value, "AVALC": avalc, "AVAL": aval, "ADT": on,
        "ADY": study_day(r.randomized_on, on) if on is not None else None,
        "ANL01FL": "Y" if anl01fl else None,
    }
