"""SDTM specifications of the findings domains LB (laboratory) and VS (vital signs).

SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1. Built by
:mod:`.findings`.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_variables import ASG, DER, EXP, PERM, C, N, _findings, _ids, _v, _visit

LB = DomainSpec(
    "LB",
    "Laboratory Test Results",
    "FINDINGS",
    "One record per lab test per time point per visit per subject",
    ("STUDYID", "USUBJID", "LBTESTCD", "VISITNUM"),
    (
        *_ids("LB"),
        *_findings("LB", testcd="LBTESTCD", test="LBTEST"),
        _v("LBCAT", "Category for Lab Test", C, EXP, "Grouping Qualifier", ASG, length=20, codelist="LBCAT"),
        _v("LBORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=20),
        _v("LBORRESU", "Original Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        _v("LBORNRLO", "Reference Range Lower Limit in Orig Unit", C, EXP, "Variable Qualifier", length=20),
        _v("LBORNRHI", "Reference Range Upper Limit in Orig Unit", C, EXP, "Variable Qualifier", length=20),
        _v("LBSTRESC", "Character Result/Finding in Std Format", C, EXP, "Result Qualifier", DER, length=20),
        _v(
            "LBSTRESN",
            "Numeric Result/Finding in Standard Units",
            N,
            EXP,
            "Result Qualifier",
            DER,
            decimal=True,
        ),
        _v("LBSTRESU", "Standard Units", C, EXP, "Variable Qualifier", DER, length=10, codelist="UNIT"),
        _v(
            "LBSTNRLO",
            "Reference Range Lower Limit-Std Units",
            N,
            EXP,
            "Variable Qualifier",
            DER,
            decimal=True,
        ),
        _v(
            "LBSTNRHI",
            "Reference Range Upper Limit-Std Units",
            N,
            EXP,
            "Variable Qualifier",
            DER,
            decimal=True,
        ),
        _v(
            "LBNRIND",
            "Reference Range Indicator",
            C,
            EXP,
            "Variable Qualifier",
            DER,
            length=10,
            codelist="NRIND",
        ),
        _v("LBSPEC", "Specimen Type", C, PERM, "Record Qualifier", ASG, length=20, codelist="SPECTYPE"),
        _v(
            "LBLOBXFL",
            "Last Observation Before Exposure Flag",
            C,
            EXP,
            "Record Qualifier",
            DER,
            length=1,
            codelist="NY",
        ),
        _v(
            "LBTOXGR", "Standard Toxicity Grade", C, PERM, "Record Qualifier", DER, length=1, codelist="TOXGR"
        ),
        *_visit("LB"),
    ),
)

VS = DomainSpec(
    "VS",
    "Vital Signs",
    "FINDINGS",
    "One record per vital sign measurement per time point per visit per subject",
    ("STUDYID", "USUBJID", "VSTESTCD", "VISITNUM"),
    (
        *_ids("VS"),
        *_findings("VS", testcd="VSTESTCD", test="VSTEST"),
        _v("VSORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=20),
        _v("VSORRESU", "Original Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        _v("VSSTRESC", "Character Result/Finding in Std Format", C, EXP, "Result Qualifier", DER, length=20),
        _v(
            "VSSTRESN",
            "Numeric Result/Finding in Standard Units",
            N,
            EXP,
            "Result Qualifier",
            DER,
            decimal=True,
        ),
        _v("VSSTRESU", "Standard Units", C, EXP, "Variable Qualifier", DER, length=10, codelist="UNIT"),
        _v(
            "VSLOBXFL",
            "Last Observation Before Exposure Flag",
            C,
            EXP,
            "Record Qualifier",
            DER,
            length=1,
            codelist="NY",
        ),
        *_visit("VS"),
    ),
)
