"""SDTM specifications of the interventions domains: EX, EC (study treatment) and CM.

SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1. Built by
:mod:`.interventions`.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_variables import ASG, DER, EXP, PERM, PRO, REQ, C, N, _ids, _period, _v

_EXPOSURE_COMMON = (
    ("DOSFRM", "Dose Form", "FRM"),
    ("DOSFRQ", "Dosing Frequency per Interval", "FREQ"),
    ("ROUTE", "Route of Administration", "ROUTE"),
)
EX = DomainSpec(
    "EX",
    "Exposure",
    "INTERVENTIONS",
    "One record per constant-dosing interval per subject",
    ("STUDYID", "USUBJID", "EXTRT", "EXSTDTC"),
    (
        *_ids("EX"),
        _v("EXLNKID", "Link ID", C, PERM, "Identifier", DER, length=40),
        _v("EXTRT", "Name of Treatment", C, REQ, "Topic", PRO, length=40),
        _v("EXDOSE", "Dose", N, EXP, "Record Qualifier", PRO, decimal=True),
        _v("EXDOSU", "Dose Units", C, EXP, "Variable Qualifier", PRO, length=10, codelist="UNIT"),
        *(
            _v(
                f"EX{s}",
                lab,
                C,
                EXP if s == "DOSFRM" else PERM,
                "Variable Qualifier",
                PRO,
                length=20,
                codelist=cl,
            )
            for s, lab, cl in _EXPOSURE_COMMON
        ),
        _v("EXADJ", "Reason for Dose Adjustment", C, PERM, "Record Qualifier", length=40),
        _v("VISITNUM", "Visit Number", N, PERM, "Timing", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Timing", ASG, length=40),
        *_period("EX", "Treatment"),
    ),
)

EC = DomainSpec(
    "EC",
    "Exposure as Collected",
    "INTERVENTIONS",
    "One record per protocol-specified study treatment, collected-dosing interval, per subject, per mood",
    ("STUDYID", "USUBJID", "ECTRT", "ECSTDTC"),
    (
        *_ids("EC"),
        _v("ECLNKID", "Link ID", C, PERM, "Identifier", DER, length=40),
        _v("ECTRT", "Name of Treatment", C, REQ, "Topic", length=40),
        _v("ECMOOD", "Mood", C, PERM, "Record Qualifier", ASG, length=10),
        _v("ECDOSE", "Dose", N, EXP, "Record Qualifier", decimal=True),
        _v("ECDOSU", "Dose Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        *(
            _v(f"EC{s}", lab, C, EXP if s == "DOSFRM" else PERM, "Variable Qualifier", length=20, codelist=cl)
            for s, lab, cl in _EXPOSURE_COMMON
        ),
        _v("VISITNUM", "Visit Number", N, PERM, "Timing", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Timing", ASG, length=40),
        *_period("EC", "Treatment"),
    ),
)


CM = DomainSpec(
    "CM",
    "Concomitant/Prior Medications",
    "INTERVENTIONS",
    "One record per recorded intervention occurrence or constant-dosing interval per subject",
    ("STUDYID", "USUBJID", "CMTRT", "CMSTDTC"),
    (
        *_ids("CM"),
        _v("CMTRT", "Reported Name of Drug, Med, or Therapy", C, REQ, "Topic", length=100),
        _v("CMCAT", "Category for Medication", C, PERM, "Grouping Qualifier", ASG, length=40),
        _v("CMINDC", "Indication", C, PERM, "Record Qualifier", length=100),
        _v("CMDOSE", "Dose per Administration", N, PERM, "Record Qualifier", decimal=True),
        _v("CMDOSU", "Dose Units", C, PERM, "Variable Qualifier", length=10, codelist="UNIT"),
        _v(
            "CMDOSFRQ",
            "Dosing Frequency per Interval",
            C,
            PERM,
            "Variable Qualifier",
            length=20,
            codelist="FREQ",
        ),
        _v("CMROUTE", "Route of Administration", C, PERM, "Variable Qualifier", length=20, codelist="ROUTE"),
        *_period("CM", "Medication"),
    ),
)
