"""The ADaM specification table: every dataset, variable, label, type, length, origin,
derivation and codelist, as typed data (ADaMIG v1.3; ADaM Basic Data Structure for
Time-to-Event Analyses v1.0; ADaM OCCDS v1.1; pharmaverse admiral/admiralonco for the
oncology parameters, research/standards.md §2).

This table is the only place these facts live: the builders fill the variables it
lists, in its order, and :mod:`oncotrial.exports.xpt`, :mod:`oncotrial.exports.dataset_json`
and :mod:`.conformance` read names, labels, lengths and codelists from it.
"""

from __future__ import annotations

from collections.abc import Sequence

from oncotrial.core.protocol.model import StratificationFactor
from oncotrial.exports.adam.metadata import DatasetSpec, Origin, Variable, VarType

PRED, DER, ASG = Origin.PREDECESSOR, Origin.DERIVED, Origin.ASSIGNED

#: CDISC controlled terminology (ADaM CT / SDTM CT spellings); values must come from these.
#: RSAVALC: the responses for OVR/BOR/CBOR, Y/N for RSP (value-level metadata).
CODELISTS: dict[str, tuple[str, ...]] = {
    "NY": ("Y", "N"),
    "YONLY": ("Y",),
    "CNSR": ("0", "1"),
    "AVALU": ("DAYS",),
    "RSRESP": ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING"),
    "RSAVALC": ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING", "Y", "N"),
    "CRITERION": ("RECIST 1.1", "mRECIST"),
    "TTEPARM": ("OS", "PFS", "PFSMR", "DOR", "DORMR"),
    "RSPARM": ("OVR", "OVRMR", "BOR", "BORMR", "CBOR", "CBORMR", "RSP", "RSPMR"),
    "TOXGR": ("1", "2", "3", "4", "5"),
    "AREL": ("RELATED", "NOT RELATED"),
    "AEACN": ("DRUG WITHDRAWN",),
    "AGEU": ("YEARS",),
    "AGEGR1": ("<65", ">=65"),
    "SEX": ("M", "F", "U", "UNDIFFERENTIATED"),
    "EOSSTT": ("COMPLETED", "DISCONTINUED", "ONGOING"),
    "LBTOXGR": ("0", "1", "2", "3", "4"),
    "NRIND": ("LOW", "NORMAL", "HIGH"),
}

#: admiralonco ``aval_resp()``: numeric code of each response (CR=1 … MISSING=7).
RESPONSE_CODES: dict[str, int] = {r: i for i, r in enumerate(CODELISTS["RSRESP"], start=1)}


def _c(name: str, label: str, length: int, origin: Origin, derivation: str, *,
       codelist: str | None = None, required: bool = False, key: bool = False) -> Variable:
    return Variable(name, label, VarType.CHAR, length, origin, derivation, codelist,
                    required=required, key=key)


def _n(name: str, label: str, origin: Origin, derivation: str, *, codelist: str | None = None,
       required: bool = False, key: bool = False) -> Variable:
    return Variable(name, label, VarType.NUM, 8, origin, derivation, codelist, required=required,
                    key=key)


def _d(name: str, label: str, origin: Origin, derivation: str, *, required: bool = False) -> Variable:
    return Variable(name, label, VarType.NUM, 8, origin, derivation, display_format="DATE9.",
                    required=required)


STUDYID = _c("STUDYID", "Study Identifier", 20, ASG, "Trial data file `trial`.", required=True, key=True)
USUBJID = _c("USUBJID", "Unique Subject Identifier", 40, DER, "STUDYID || '-' || SUBJID.",
             required=True, key=True)
TRT01P = _c("TRT01P", "Planned Treatment for Period 01", 40, PRED, "ADSL.TRT01P.", required=True)
ITTFL = _c("ITTFL", "Intent-To-Treat Population Flag", 1, PRED, "ADSL.ITTFL.", codelist="NY")

ADSL_IDS: tuple[Variable, ...] = (
    STUDYID, USUBJID,
    _c("SUBJID", "Subject Identifier for the Study", 20, ASG, "Trial data file `patient_id`.",
       required=True),
    _c("SITEID", "Study Site Identifier", 20, ASG,
       "Clinical records' site code; else attribute `site`; else the protocol's only site code.",
       required=True),
)

#: ADaMIG v1.3 §3.2 demographics, from the clinical records (SDTM DM). AGEGR1: ICH E7's
#: geriatric boundary (65 years), the grouping ClinicalTrials.gov results also report.
ADSL_DEMOGRAPHICS: tuple[Variable, ...] = (
    _n("AGE", "Age", PRED, "DM.AGE (clinical records `age_years`).", required=True),
    _c("AGEU", "Age Units", 5, ASG, "'YEARS'.", codelist="AGEU", required=True),
    _c("AGEGR1", "Pooled Age Group 1", 4, DER, "'<65' when AGE < 65, else '>=65' (ICH E7).",
       codelist="AGEGR1"),
    _n("AGEGR1N", "Pooled Age Group 1 (N)", DER, "1 for '<65', 2 for '>=65'."),
    _c("SEX", "Sex", 16, PRED, "DM.SEX.", codelist="SEX", required=True),
    _c("RACE", "Race", 60, PRED, "DM.RACE.", required=True),
    _c("ETHNIC", "Ethnicity", 40, PRED, "DM.ETHNIC."),
    _c("COUNTRY", "Country", 3, PRED, "DM.COUNTRY (ISO 3166-1 alpha-3)."),
)

#: End of study (ADaMIG v1.3 §3.2 "Trial Experience"), from the END OF STUDY disposition event (DS).
ADSL_DISPOSITION: tuple[Variable, ...] = (
    _c("EOSSTT", "End of Study Status", 12, DER,
       "'COMPLETED' when the END OF STUDY disposition is COMPLETED, 'DISCONTINUED' for any other "
       "END OF STUDY disposition, 'ONGOING' without one.", codelist="EOSSTT"),
    _d("EOSDT", "End of Study Date", DER, "Date of the END OF STUDY disposition event (DS.DSSTDTC)."),
    _c("DCSREAS", "Reason for Discontinuation from Study", 60, DER,
       "DS.DSDECOD of the END OF STUDY disposition when it is not COMPLETED."),
)

ADSL_BASE: tuple[Variable, ...] = (
    _c("ARMCD", "Planned Arm Code", 20, ASG, "Randomized arm `arm`.", required=True),
    _c("ARM", "Description of Planned Arm", 40, ASG, "Randomized arm `arm`.", required=True),
    _c("ACTARMCD", "Actual Arm Code", 20, DER,
       "`actual_arm` (else `arm`) when dosed; 'NOTTRT' when never dosed.", required=True),
    _c("ACTARM", "Description of Actual Arm", 40, DER,
       "`actual_arm` (else `arm`) when dosed; 'Not Treated' when never dosed.", required=True),
    _c("TRT01P", "Planned Treatment for Period 01", 40, DER, "ARM.", required=True),
    _c("TRT01A", "Actual Treatment for Period 01", 40, DER,
       "Safety arm (core.endpoints.populations.safety_arm) when dosed; missing otherwise.",
       required=True),
    _d("RANDDT", "Date of Randomization", PRED, "`randomized_on`."),
    _d("TRTSDT", "Date of First Exposure to Treatment", PRED, "`first_dose_on`."),
    _d("TRTEDT", "Date of Last Exposure to Treatment", PRED, "`last_dose_on`."),
    _c("ITTFL", "Intent-To-Treat Population Flag", 1, DER,
       "'Y' for every randomized subject (populations.intention_to_treat).", codelist="NY"),
    _c("SAFFL", "Safety Population Flag", 1, DER,
       "'Y' when dosed at least once (populations.safety_population).", codelist="NY"),
    _c("PPROTFL", "Per-Protocol Population Flag", 1, DER,
       "'Y' when eligible, dosed, no major deviation (populations.per_protocol).", codelist="NY"),
    _c("DTHFL", "Subject Death Flag", 1, DER, "'Y' when `death_on` is on or before the cut-off.",
       codelist="YONLY"),
    _d("DTHDT", "Date of Death", DER, "`death_on` when on or before the cut-off."),
    _d("LSTALVDT", "Date Last Known Alive", DER,
       "ADT of the OS parameter (death, last known alive or cut-off; time_to_event.overall_survival)."),
    _c("STRATAR", "Stratum as Randomized", 100, DER,
       "'factor=level' joined with ';' over the protocol's stratification factors, as the "
       "stratified log-rank of analysis.trial_analysis."),
)


def adsl_spec(factors: Sequence[StratificationFactor] = (), *, records: bool = True) -> DatasetSpec:
    """ADSL with one ``STRATwR`` variable per protocol stratification factor (w = 1, 2, …).

    ``records``: the clinical records are available, so the demographics and end-of-study
    variables are part of the dataset (a trial data file alone carries neither).
    """
    strat = tuple(_c(f"STRAT{i}R", f"Strat Factor {i} as Randomized"[:40], 40, DER,
                     f"Attribute `{f.attribute}` ({f.label}).")
                  for i, f in enumerate(factors, start=1))
    extra = ADSL_DEMOGRAPHICS if records else ()
    end = ADSL_DISPOSITION if records else ()
    return DatasetSpec("ADSL", "Subject-Level Analysis Dataset", "SUBJECT LEVEL ANALYSIS DATASET",
                       "One record per subject", ADSL_IDS + extra + ADSL_BASE + end + strat)


ADTTE = DatasetSpec(
    "ADTTE", "Time-to-Event Analysis Dataset", "BASIC DATA STRUCTURE",
    "One record per subject per parameter", (
        STUDYID, USUBJID, TRT01P,
        _c("ARMCD", "Planned Arm Code", 20, PRED, "ADSL.ARMCD."), ITTFL,
        _c("STRATAR", "Stratum as Randomized", 100, PRED, "ADSL.STRATAR."),
        _c("PARAMCD", "Parameter Code", 8, ASG, "OS; PFS/DOR (RECIST 1.1); PFSMR/DORMR (mRECIST).",
           codelist="TTEPARM", required=True, key=True),
        _c("PARAM", "Parameter", 40, ASG, "Text of PARAMCD.", required=True),
        _c("PARCAT1", "Parameter Category 1", 12, ASG, "Response criterion (missing for OS).",
           codelist="CRITERION"),
        _n("AVAL", "Analysis Value", DER,
           "ADT - STARTDT + 1 (time_to_event.study_day).", required=True),
        _c("AVALU", "Analysis Value Unit", 4, ASG, "'DAYS'.", codelist="AVALU"),
        _d("STARTDT", "Time-to-Event Origin Date for Subject", DER,
           "RANDDT; for DOR the first CR/PR date (response_endpoints.first_response_date).",
           required=True),
        _d("ADT", "Analysis Date", DER, "Event or censoring date of the core derivation.",
           required=True),
        _n("CNSR", "Censor", DER, "0 = event, 1 = censored (not TimeToEvent.event).",
           codelist="CNSR", required=True),
        _c("EVNTDESC", "Event or Censoring Description", 60, DER,
           "TimeToEvent.description (e.g. DEATH, DISEASE PROGRESSION)."),
        _c("CNSDTDSC", "Censor Date Description", 60, DER,
           "TimeToEvent.description when censored; missing for events."),
    ))

ADRS = DatasetSpec(
    "ADRS", "Response Analysis Dataset", "BASIC DATA STRUCTURE",
    "One record per subject per parameter per analysis date", (
        STUDYID, USUBJID, TRT01P,
        _c("ARMCD", "Planned Arm Code", 20, PRED, "ADSL.ARMCD."), ITTFL,
        _c("PARAMCD", "Parameter Code", 8, ASG,
           "OVR/BOR/CBOR/RSP (RECIST 1.1), suffix MR for mRECIST.", codelist="RSPARM",
           required=True, key=True),
        _c("PARAM", "Parameter", 60, ASG, "Text of PARAMCD, naming the criterion.", required=True),
        _c("PARCAT1", "Parameter Category 1", 12, ASG, "Response criterion (as RSEVAL/RSCAT).",
           codelist="CRITERION"),
        _c("AVALC", "Analysis Value (C)", 13, DER,
           "OVR: scan response; BOR/CBOR: response_endpoints.best_response; RSP: Y/N.",
           codelist="RSAVALC", required=True),
        _n("AVAL", "Analysis Value", DER, "CR=1 PR=2 SD=3 NON-CR/NON-PD=4 PD=5 NE=6 MISSING=7 "
           "(admiralonco aval_resp); RSP: Y=1, N=0."),
        _d("ADT", "Analysis Date", DER, "Scan date; BOR/CBOR: date of the best response."),
        _n("ADY", "Analysis Relative Day", DER, "ADT - RANDDT + 1."),
        _c("ANL01FL", "Analysis Flag 01", 1, DER,
           "OVR: 'Y' when the scan counts for BOR (on or before the new anticancer therapy).",
           codelist="YONLY"),
    ))

ADAE = DatasetSpec(
    "ADAE", "Adverse Event Analysis Dataset", "OCCDS", "One record per adverse event", (
        STUDYID, USUBJID,
        _n("AESEQ", "Sequence Number", DER, "Order of the event within the subject.", required=True,
           key=True),
        _c("TRTA", "Actual Treatment", 40, DER, "Safety arm (populations.safety_arm).", required=True),
        _c("SAFFL", "Safety Population Flag", 1, PRED, "ADSL.SAFFL.", codelist="NY"),
        _c("AETERM", "Reported Term for the Adverse Event", 200, PRED, "CTCAE v5.0 term `term`.",
           required=True),
        _c("AEDECOD", "Dictionary-Derived Term", 200, DER,
           "The CTCAE v5.0 term (no MedDRA coding is shipped; research/standards.md §7).",
           required=True),
        _d("ASTDT", "Analysis Start Date", PRED, "`start_date`."),
        _n("ASTDY", "Analysis Start Relative Day", DER, "ASTDT - TRTSDT + 1 (when dosed)."),
        _c("AETOXGR", "Standard Toxicity Grade", 1, PRED, "CTCAE v5.0 grade `grade`.",
           codelist="TOXGR"),
        _c("ATOXGR", "Analysis Toxicity Grade", 1, DER, "AETOXGR.", codelist="TOXGR"),
        _n("ATOXGRN", "Analysis Toxicity Grade (N)", DER, "Numeric ATOXGR."),
        _c("AESER", "Serious Event", 1, PRED, "`serious`.", codelist="NY"),
        _c("AREL", "Analysis Causality", 11, DER, "`related`: RELATED / NOT RELATED.",
           codelist="AREL"),
        _c("AEACN", "Action Taken with Study Treatment", 20, DER,
           "'DRUG WITHDRAWN' when `led_to_discontinuation`; missing otherwise.", codelist="AEACN"),
        _c("TRTEMFL", "Treatment Emergent Analysis Flag", 1, DER,
           "'Y' when dosed and ASTDT >= TRTSDT (safety summaries count these events).",
           codelist="YONLY"),
        _c("APROCFL", "HAIC Procedure Complication Flag", 1, DER, "`haic_procedure`.",
           codelist="YONLY"),
    ))


def _f(name: str, label: str, origin: Origin, derivation: str, *, required: bool = False) -> Variable:
    """A numeric with fractions (lab values: Dataset-JSON ``double``, Define-XML ``float``)."""
    return Variable(name, label, VarType.NUM, 8, origin, derivation, required=required, decimal=True)


ADLB = DatasetSpec(
    "ADLB", "Laboratory Analysis Dataset", "BASIC DATA STRUCTURE",
    "One record per subject per parameter per analysis date", (
        STUDYID, USUBJID,
        _c("TRTA", "Actual Treatment", 40, PRED, "ADSL.TRT01A (missing when never dosed)."),
        _c("SAFFL", "Safety Population Flag", 1, PRED, "ADSL.SAFFL.", codelist="NY"),
        _c("PARAMCD", "Parameter Code", 8, ASG, "LB.LBTESTCD.", required=True, key=True),
        _c("PARAM", "Parameter", 60, ASG, "LB.LBTEST || ' (' || LB.LBSTRESU || ')'.", required=True),
        _c("PARCAT1", "Parameter Category 1", 20, PRED, "LB.LBCAT."),
        _f("AVAL", "Analysis Value", PRED, "LB.LBSTRESN: the result in SI units.", required=True),
        _c("AVALU", "Analysis Value Unit", 10, PRED, "LB.LBSTRESU (SI)."),
        _d("ADT", "Analysis Date", DER, "Date of LB.LBDTC.", required=True),
        _n("ADY", "Analysis Relative Day", DER, "ADT - TRTSDT + 1 on or after TRTSDT, else ADT - TRTSDT."),
        _c("AVISIT", "Analysis Visit", 40, PRED, "LB.VISIT."),
        _n("AVISITN", "Analysis Visit (N)", PRED, "LB.VISITNUM."),
        _c("ABLFL", "Baseline Record Flag", 1, DER,
           "'Y' on the last result before the first dose (LB.LBLOBXFL, SDTMIG v3.4).",
           codelist="YONLY"),
        _f("BASE", "Baseline Value", DER, "AVAL of the ABLFL='Y' record of the subject and parameter."),
        _f("CHG", "Change from Baseline", DER,
           "AVAL - BASE on records after the baseline date (rounded to 6 decimals)."),
        _c("ATOXGR", "Analysis Toxicity Grade", 1, PRED,
           "LB.LBTOXGR: CTCAE v5.0 grade (core.grading.ctcae_v5).", codelist="LBTOXGR"),
        _n("ATOXGRN", "Analysis Toxicity Grade (N)", DER, "Numeric ATOXGR."),
        _c("BTOXGR", "Baseline Toxicity Grade", 1, DER, "ATOXGR of the ABLFL='Y' record.",
           codelist="LBTOXGR"),
        _f("ANRLO", "Analysis Normal Range Lower Limit", PRED, "LB.LBSTNRLO (SI)."),
        _f("ANRHI", "Analysis Normal Range Upper Limit", PRED, "LB.LBSTNRHI (SI)."),
        _c("ANRIND", "Analysis Reference Range Indicator", 6, DER,
           "LOW when AVAL < ANRLO, HIGH when AVAL > ANRHI, else NORMAL (as LB.LBNRIND).",
           codelist="NRIND"),
        _c("BNRIND", "Baseline Reference Range Indicator", 6, DER, "ANRIND of the ABLFL='Y' record.",
           codelist="NRIND"),
        _c("SRCDOM", "Source Data", 8, ASG, "'LB'."),
        _c("SRCVAR", "Source Variable", 8, ASG, "'LBSTRESN'."),
        _n("SRCSEQ", "Source Sequence Number", DER, "LB.LBSEQ of the source record."),
    ))
