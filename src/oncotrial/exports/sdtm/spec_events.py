"""SDTM specifications of the events domains AE and MH (DS is with the subject domains).

SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1. Built by
:mod:`.events`.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_variables import ASG, DER, EXP, PERM, REQ, C, N, _ids, _period, _v

AE = DomainSpec(
    "AE",
    "Adverse Events",
    "EVENTS",
    "One record per adverse event per subject",
    ("STUDYID", "USUBJID", "AEDECOD", "AESTDTC"),
    (
        *_ids("AE"),
        _v("AETERM", "Reported Term for the Adverse Event", C, REQ, "Topic"),
        _v("AEDECOD", "Dictionary-Derived Term", C, REQ, "Synonym Qualifier", ASG),
        _v("AEBODSYS", "Body System or Organ Class", C, EXP, "Record Qualifier", ASG),
        _v("AESOC", "Primary System Organ Class", C, EXP, "Variable Qualifier", ASG),
        _v("AESER", "Serious Event", C, EXP, "Record Qualifier", length=1, codelist="NY"),
        _v(
            "AEACN",
            "Action Taken with Study Treatment",
            C,
            EXP,
            "Record Qualifier",
            length=40,
            codelist="ACN",
        ),
        _v("AEREL", "Causality", C, EXP, "Record Qualifier", length=20),
        _v("AEOUT", "Outcome of Adverse Event", C, PERM, "Record Qualifier", length=40, codelist="OUT"),
        *(
            _v(f"AES{s}", lab, C, PERM, "Record Qualifier", length=1, codelist="NY")
            for s, lab in (
                ("CONG", "Congenital Anomaly or Birth Defect"),
                ("DISAB", "Persist or Signif Disability/Incapacity"),
                ("DTH", "Results in Death"),
                ("HOSP", "Requires or Prolongs Hospitalization"),
                ("LIFE", "Is Life Threatening"),
                ("MIE", "Other Medically Important Serious Event"),
            )
        ),
        _v("AETOXGR", "Standard Toxicity Grade", C, PERM, "Record Qualifier", length=1, codelist="TOXGR"),
        *_period("AE", "Adverse Event"),
    ),
)


MH = DomainSpec(
    "MH",
    "Medical History",
    "EVENTS",
    "One record per medical history event per subject",
    ("STUDYID", "USUBJID", "MHTERM"),
    (
        *_ids("MH"),
        _v("MHTERM", "Reported Term for the Medical History", C, REQ, "Topic"),
        _v("MHCAT", "Category for Medical History", C, PERM, "Grouping Qualifier", ASG, length=40),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("MHDTC", "Date/Time of History Collection", C, PERM, "Timing", length=19),
        _v("MHSTDTC", "Start Date/Time of Medical History Event", C, PERM, "Timing", length=19),
        _v("MHDY", "Study Day of History Collection", N, PERM, "Timing", DER),
        _v("MHSTDY", "Study Day of Start of Observation", N, PERM, "Timing", DER),
        _v("MHENRTPT", "End Relative to Reference Time Point", C, PERM, "Timing", length=10),
        _v("MHENTPT", "End Reference Time Point", C, PERM, "Timing", length=40),
    ),
)
