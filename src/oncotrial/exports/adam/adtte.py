"""ADTTE: OS, PFS and DoR per subject (ADaM BDS-TTE v1.0), one row per core ``TimeToEvent``.

Every row is the value returned by :mod:`oncotrial.core.endpoints` with the protocol's
censoring rules; nothing is re-derived here. ``CNSR`` follows ADaM (0 = event,
1 = censored); ``AVAL = ADT − STARTDT + 1`` days.
"""

from __future__ import annotations

from datetime import date

from oncotrial.core.endpoints.records import PatientRecord
from oncotrial.core.endpoints.response_endpoints import duration_of_response, first_response_date
from oncotrial.core.endpoints.time_to_event import (
    TimeToEvent,
    overall_survival,
    progression_free_survival,
)
from oncotrial.core.endpoints.trial_data import TrialData
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.adam.metadata import Dataset, Row
from oncotrial.exports.adam.settings import AdamSettings, stratum
from oncotrial.exports.adam.spec import ADTTE

PARAMS: dict[str, tuple[str, Criterion | None]] = {
    "OS": ("Overall Survival", None),
    "PFS": ("Progression-Free Survival (RECIST 1.1)", Criterion.RECIST_1_1),
    "PFSMR": ("Progression-Free Survival (mRECIST)", Criterion.MRECIST),
    "DOR": ("Duration of Response (RECIST 1.1)", Criterion.RECIST_1_1),
    "DORMR": ("Duration of Response (mRECIST)", Criterion.MRECIST),
}


def build_adtte(data: TrialData, settings: AdamSettings) -> Dataset:
    rows: list[Row] = []
    for paramcd in PARAMS:
        for r in data.patients:
            tte, start = _value(paramcd, r, settings)
            if tte is not None and start is not None:
                rows.append(_row(paramcd, r, tte, start, settings))
    return Dataset(ADTTE, tuple(rows), settings.simulated)


def _value(paramcd: str, r: PatientRecord, s: AdamSettings) -> tuple[TimeToEvent | None, date | None]:
    criterion = PARAMS[paramcd][1]
    if criterion is None:
        return overall_survival(r, cutoff=s.cutoff), r.randomized_on
    if paramcd.startswith("PFS"):
        return progression_free_survival(r, criterion=criterion, cutoff=s.cutoff,
                                         rules=s.censoring), r.randomized_on
    start = first_response_date(r, criterion=criterion, cutoff=s.cutoff, settings=s.response)
    return duration_of_response(r, criterion=criterion, cutoff=s.cutoff, settings=s.response,
                                rules=s.censoring), start


def _row(paramcd: str, r: PatientRecord, tte: TimeToEvent, start: date, s: AdamSettings) -> Row:
    param, criterion = PARAMS[paramcd]
    return {
        "STUDYID": s.trial, "USUBJID": s.usubjid(r), "TRT01P": r.arm, "ARMCD": r.arm, "ITTFL": "Y",
        "STRATAR": stratum(r, s.factors), "PARAMCD": paramcd, "PARAM": param,
        "PARCAT1": criterion.value if criterion else None, "AVAL": tte.time_days, "AVALU": "DAYS",
        "STARTDT": start, "ADT": tte.date, "CNSR": 0 if tte.event else 1,
        "EVNTDESC": tte.description, "CNSDTDSC": None if tte.event else tte.description,
    }
