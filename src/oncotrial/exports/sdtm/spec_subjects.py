"""SDTM specifications of the subject domains: DM, SE, SV (special purpose) and DS (events).

SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1. Built by
:mod:`.subjects`.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_variables import ASG, DER, EXP, PERM, PRO, REQ, C, N, _ids, _v

DM = DomainSpec(
    "DM",
    "Demographics",
    "SPECIAL PURPOSE",
    "One record per subject",
    ("STUDYID", "USUBJID"),
    (
        *_ids("DM", seq=False),
        _v("SUBJID", "Subject Identifier for the Study", C, REQ, "Topic", length=20),
        _v("RFSTDTC", "Subject Reference Start Date/Time", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFENDTC", "Subject Reference End Date/Time", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFXSTDTC", "Date/Time of First Study Treatment", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFXENDTC", "Date/Time of Last Study Treatment", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFICDTC", "Date/Time of Informed Consent", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFPENDTC", "Date/Time of End of Participation", C, EXP, "Record Qualifier", DER, length=19),
        _v("DTHDTC", "Date/Time of Death", C, EXP, "Record Qualifier", DER, length=19),
        _v("DTHFL", "Subject Death Flag", C, EXP, "Record Qualifier", DER, length=1, codelist="NY"),
        _v("SITEID", "Study Site Identifier", C, REQ, "Record Qualifier", ASG, length=20),
        _v("AGE", "Age", N, EXP, "Record Qualifier"),
        _v("AGEU", "Age Units", C, EXP, "Variable Qualifier", ASG, length=10, codelist="AGEU"),
        _v("SEX", "Sex", C, REQ, "Record Qualifier", length=2, codelist="SEX"),
        _v("RACE", "Race", C, EXP, "Record Qualifier", length=60, codelist="RACE"),
        _v("ETHNIC", "Ethnicity", C, PERM, "Record Qualifier", length=40, codelist="ETHNIC"),
        _v("ARMCD", "Planned Arm Code", C, EXP, "Record Qualifier", ASG, length=20),
        _v("ARM", "Description of Planned Arm", C, EXP, "Synonym Qualifier", ASG),
        _v("ACTARMCD", "Actual Arm Code", C, EXP, "Record Qualifier", DER, length=20),
        _v("ACTARM", "Description of Actual Arm", C, EXP, "Synonym Qualifier", DER),
        _v("ARMNRS", "Reason Arm and/or Actual Arm is Null", C, EXP, "Record Qualifier", DER, length=40),
        _v("ACTARMUD", "Description of Unplanned Actual Arm", C, EXP, "Record Qualifier", DER),
        _v("COUNTRY", "Country", C, REQ, "Record Qualifier", ASG, length=3, codelist="COUNTRY"),
        _v("DMDTC", "Date/Time of Collection", C, PERM, "Timing", length=19),
        _v("DMDY", "Study Day of Collection", N, PERM, "Timing", DER),
    ),
)

SE = DomainSpec(
    "SE",
    "Subject Elements",
    "SPECIAL PURPOSE",
    "One record per actual Element per subject",
    ("STUDYID", "USUBJID", "ETCD", "SESTDTC"),
    (
        *_ids("SE"),
        _v("ETCD", "Element Code", C, REQ, "Topic", DER, length=8),
        _v("ELEMENT", "Description of Element", C, PERM, "Synonym Qualifier", DER),
        _v("TAETORD", "Planned Order of Element within Arm", N, PERM, "Timing", DER),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("SESTDTC", "Start Date/Time of Element", C, REQ, "Timing", DER, length=19),
        _v("SEENDTC", "End Date/Time of Element", C, EXP, "Timing", DER, length=19),
        _v("SESTDY", "Study Day of Start of Element", N, PERM, "Timing", DER),
        _v("SEENDY", "Study Day of End of Element", N, PERM, "Timing", DER),
    ),
)

SV = DomainSpec(
    "SV",
    "Subject Visits",
    "SPECIAL PURPOSE",
    "One record per actual visit per subject",
    ("STUDYID", "USUBJID", "VISITNUM"),
    (
        *_ids("SV", seq=False),
        _v("VISITNUM", "Visit Number", N, REQ, "Topic", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Synonym Qualifier", ASG, length=40),
        _v("VISITDY", "Planned Study Day of Visit", N, PERM, "Timing", PRO),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("SVSTDTC", "Start Date/Time of Observation", C, EXP, "Timing", length=19),
        _v("SVENDTC", "End Date/Time of Observation", C, EXP, "Timing", length=19),
        _v("SVSTDY", "Study Day of Start of Observation", N, PERM, "Timing", DER),
        _v("SVENDY", "Study Day of End of Observation", N, PERM, "Timing", DER),
    ),
)

DS = DomainSpec(
    "DS",
    "Disposition",
    "EVENTS",
    "One record per disposition status or protocol milestone per subject",
    ("STUDYID", "USUBJID", "DSDECOD", "DSSTDTC"),
    (
        *_ids("DS"),
        _v("DSTERM", "Reported Term for the Disposition Event", C, REQ, "Topic"),
        _v("DSDECOD", "Standardized Disposition Term", C, REQ, "Synonym Qualifier", ASG, length=40),
        _v(
            "DSCAT",
            "Category for Disposition Event",
            C,
            EXP,
            "Grouping Qualifier",
            ASG,
            length=20,
            codelist="DSCAT",
        ),
        _v("DSSCAT", "Subcategory for Disposition Event", C, PERM, "Grouping Qualifier", ASG, length=40),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("DSSTDTC", "Start Date/Time of Disposition Event", C, EXP, "Timing", length=19),
        _v("DSSTDY", "Study Day of Start of Disposition Event", N, PERM, "Timing", DER),
    ),
)
