"""SDTM specifications of the trial design domains TE, TA, TV, TI and TS.

SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1. Built by
:mod:`.trial_design`.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_variables import EXP, PERM, PRO, REQ, C, N, _ids, _v

TE = DomainSpec(
    "TE",
    "Trial Elements",
    "TRIAL DESIGN",
    "One record per planned Element",
    ("STUDYID", "ETCD"),
    (
        *_ids("TE", seq=False, subject=False),
        _v("ETCD", "Element Code", C, REQ, "Topic", PRO, length=8),
        _v("ELEMENT", "Description of Element", C, REQ, "Synonym Qualifier", PRO),
        _v("TESTRL", "Rule for Start of Element", C, REQ, "Rule", PRO),
        _v("TEENRL", "Rule for End of Element", C, PERM, "Rule", PRO),
        _v("TEDUR", "Planned Duration of Element", C, PERM, "Timing", PRO, length=20),
    ),
)

TA = DomainSpec(
    "TA",
    "Trial Arms",
    "TRIAL DESIGN",
    "One record per planned Element per Arm",
    ("STUDYID", "ARMCD", "TAETORD"),
    (
        *_ids("TA", seq=False, subject=False),
        _v("ARMCD", "Planned Arm Code", C, REQ, "Topic", PRO, length=20),
        _v("ARM", "Description of Planned Arm", C, REQ, "Synonym Qualifier", PRO),
        _v("TAETORD", "Planned Order of Element within Arm", N, REQ, "Timing", PRO),
        _v("ETCD", "Element Code", C, REQ, "Record Qualifier", PRO, length=8),
        _v("ELEMENT", "Description of Element", C, PERM, "Synonym Qualifier", PRO),
        _v("TABRANCH", "Branch", C, EXP, "Rule", PRO),
        _v("TATRANS", "Transition Rule", C, EXP, "Rule", PRO),
        _v("EPOCH", "Epoch", C, REQ, "Timing", PRO, length=20, codelist="EPOCH"),
    ),
)

TV = DomainSpec(
    "TV",
    "Trial Visits",
    "TRIAL DESIGN",
    "One record per planned Visit per Arm",
    ("STUDYID", "VISITNUM"),
    (
        *_ids("TV", seq=False, subject=False),
        _v("VISITNUM", "Visit Number", N, REQ, "Topic", PRO),
        _v("VISIT", "Visit Name", C, PERM, "Synonym Qualifier", PRO, length=40),
        _v("VISITDY", "Planned Study Day of Visit", N, PERM, "Timing", PRO),
        _v("ARMCD", "Planned Arm Code", C, EXP, "Record Qualifier", PRO, length=20),
        _v("TVSTRL", "Visit Start Rule", C, REQ, "Rule", PRO),
        _v("TVENRL", "Visit End Rule", C, PERM, "Rule", PRO),
    ),
)

TI = DomainSpec(
    "TI",
    "Trial Inclusion/Exclusion Crit",
    "TRIAL DESIGN",
    "One record per I/E criterion",
    ("STUDYID", "IETESTCD"),
    (
        *_ids("TI", seq=False, subject=False),
        _v("IETESTCD", "Incl/Excl Criterion Short Name", C, REQ, "Topic", PRO, length=8),
        _v("IETEST", "Inclusion/Exclusion Criterion", C, REQ, "Synonym Qualifier", PRO),
        _v(
            "IECAT",
            "Inclusion/Exclusion Category",
            C,
            REQ,
            "Grouping Qualifier",
            PRO,
            length=10,
            codelist="IECAT",
        ),
        _v("TIVERS", "Protocol Criteria Versions", C, PERM, "Record Qualifier", PRO, length=20),
    ),
)

TS = DomainSpec(
    "TS",
    "Trial Summary",
    "TRIAL DESIGN",
    "One record per trial summary parameter value",
    ("STUDYID", "TSPARMCD", "TSSEQ"),
    (
        *_ids("TS", subject=False),
        _v("TSGRPID", "Group ID", C, PERM, "Identifier", PRO, length=20),
        _v(
            "TSPARMCD",
            "Trial Summary Parameter Short Name",
            C,
            REQ,
            "Topic",
            PRO,
            length=8,
            codelist="TSPARMCD",
        ),
        _v("TSPARM", "Trial Summary Parameter", C, REQ, "Synonym Qualifier", PRO, length=40),
        _v("TSVAL", "Parameter Value", C, EXP, "Result Qualifier", PRO),
        _v("TSVALNF", "Parameter Null Flavor", C, PERM, "Result Qualifier", PRO, length=10),
        _v("TSVALCD", "Parameter Value Code", C, EXP, "Result Qualifier", PRO, length=20),
        _v("TSVCDREF", "Name of the Reference Terminology", C, EXP, "Result Qualifier", PRO, length=20),
        _v("TSVCDVER", "Version of the Reference Terminology", C, EXP, "Result Qualifier", PRO, length=20),
    ),
)
