"""SDTM specifications of the oncology findings domains TU, TR and RS (RECIST 1.1, mRECIST).

SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1. Built by
:mod:`.oncology`.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_variables import ASG, DER, EXP, PERM, C, N, _findings, _ids, _v, _visit

TU = DomainSpec(
    "TU",
    "Tumor/Lesion Identification",
    "FINDINGS",
    "One record per identified tumor per subject per assessor",
    ("STUDYID", "USUBJID", "TULNKID", "TUEVAL"),
    (
        *_ids("TU"),
        _v("TULNKID", "Link ID", C, EXP, "Identifier", ASG, length=20),
        *_findings("TU", testcd="TUTESTCD", test="TUTEST"),
        _v("TUORRES", "Tumor/Lesion ID Result", C, EXP, "Result Qualifier", length=20, codelist="TUIDRS"),
        _v(
            "TUSTRESC",
            "Tumor/Lesion ID Result Std. Format",
            C,
            EXP,
            "Result Qualifier",
            DER,
            length=20,
            codelist="TUIDRS",
        ),
        _v("TULOC", "Location of the Tumor/Lesion", C, EXP, "Record Qualifier", length=40, codelist="LOC"),
        _v("TUMETHOD", "Method of Identification", C, EXP, "Record Qualifier", length=20, codelist="METHOD"),
        _v("TUEVAL", "Evaluator", C, EXP, "Record Qualifier", ASG, length=40, codelist="EVAL"),
        *_visit("TU"),
    ),
)

TR = DomainSpec(
    "TR",
    "Tumor/Lesion Results",
    "FINDINGS",
    "One record per tumor measurement/assessment per visit per subject per assessor",
    ("STUDYID", "USUBJID", "TRLNKID", "TRTESTCD", "VISITNUM"),
    (
        *_ids("TR"),
        _v("TRLNKGRP", "Link Group ID", C, PERM, "Identifier", ASG, length=20),
        _v("TRLNKID", "Link ID", C, EXP, "Identifier", ASG, length=20),
        *_findings("TR", testcd="TRTESTCD", test="TRTEST"),
        _v("TRORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=40),
        _v("TRORRESU", "Original Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        _v("TRSTRESC", "Character Result/Finding in Std Format", C, EXP, "Result Qualifier", DER, length=40),
        _v(
            "TRSTRESN",
            "Numeric Result/Finding in Standard Units",
            N,
            EXP,
            "Result Qualifier",
            DER,
            decimal=True,
        ),
        _v("TRSTRESU", "Standard Units", C, EXP, "Variable Qualifier", DER, length=10, codelist="UNIT"),
        _v(
            "TRMETHOD",
            "Method Used to Identify the Tumor/Lesion",
            C,
            EXP,
            "Record Qualifier",
            length=20,
            codelist="METHOD",
        ),
        _v("TREVAL", "Evaluator", C, EXP, "Record Qualifier", ASG, length=40, codelist="EVAL"),
        *_visit("TR"),
    ),
)

RS = DomainSpec(
    "RS",
    "Disease Response",
    "FINDINGS",
    "One record per response assessment per time point "
    "per visit per subject per assessor per medical evaluator",
    ("STUDYID", "USUBJID", "RSCAT", "RSTESTCD", "VISITNUM"),
    (
        *_ids("RS"),
        _v("RSLNKGRP", "Link Group ID", C, PERM, "Identifier", ASG, length=20),
        *_findings("RS", testcd="ONCRTSCD", test="ONCRTS"),
        _v(
            "RSCAT",
            "Category for Assessment",
            C,
            EXP,
            "Grouping Qualifier",
            ASG,
            length=20,
            codelist="ONCRSCAT",
        ),
        _v("RSORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=20),
        _v(
            "RSSTRESC",
            "Character Result/Finding in Std Format",
            C,
            EXP,
            "Result Qualifier",
            DER,
            length=20,
            codelist="ONCRSR",
        ),
        _v("RSEVAL", "Evaluator", C, EXP, "Record Qualifier", ASG, length=40, codelist="EVAL"),
        *_visit("RS"),
    ),
)
