"""Builders of the SDTM variable specifications the domains of :mod:`.spec` share.

Identifier, timing (visit, period) and findings topic variables with their SDTMIG v3.4 labels
(SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1), and the short
names of core status (Req/Exp/Perm), origin and type that the domain modules use.
"""

from __future__ import annotations

from oncotrial.exports.adam.metadata import VarType
from oncotrial.exports.sdtm.metadata import Core, SdtmOrigin, SdtmVariable

REQ, EXP, PERM = Core.REQ, Core.EXP, Core.PERM
COL, DER, ASG, PRO = SdtmOrigin.COLLECTED, SdtmOrigin.DERIVED, SdtmOrigin.ASSIGNED, SdtmOrigin.PROTOCOL
C, N = VarType.CHAR, VarType.NUM


def _v(
    name: str,
    label: str,
    kind: VarType,
    core: Core,
    role: str,
    origin: SdtmOrigin = COL,
    *,
    length: int = 200,
    codelist: str | None = None,
    decimal: bool = False,
) -> SdtmVariable:
    return SdtmVariable(name, label, kind, 8 if kind is N else length, core, role, origin, codelist, decimal)


def _ids(domain: str, *, seq: bool = True, subject: bool = True) -> tuple[SdtmVariable, ...]:
    out = [
        _v("STUDYID", "Study Identifier", C, REQ, "Identifier", ASG, length=20),
        _v("DOMAIN", "Domain Abbreviation", C, REQ, "Identifier", ASG, length=2),
    ]
    if subject:
        out.append(_v("USUBJID", "Unique Subject Identifier", C, REQ, "Identifier", DER, length=40))
    if seq:
        out.append(_v(f"{domain}SEQ", "Sequence Number", N, REQ, "Identifier", DER))
    return tuple(out)


def _visit(domain: str, dtc: str = "DTC") -> tuple[SdtmVariable, ...]:
    return (
        _v("VISITNUM", "Visit Number", N, EXP, "Timing", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Timing", ASG, length=40),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v(
            f"{domain}{dtc}",
            "Date/Time of Collection" if dtc == "DTC" else "Start Date/Time",
            C,
            EXP,
            "Timing",
            length=19,
        ),
        _v(f"{domain}DY", "Study Day of Visit/Collection/Exam", N, PERM, "Timing", DER),
    )


def _period(domain: str, what: str) -> tuple[SdtmVariable, ...]:
    return (
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v(f"{domain}STDTC", f"Start Date/Time of {what}", C, EXP, "Timing", length=19),
        _v(f"{domain}ENDTC", f"End Date/Time of {what}", C, EXP, "Timing", length=19),
        _v(f"{domain}STDY", f"Study Day of Start of {what}", N, PERM, "Timing", DER),
        _v(f"{domain}ENDY", f"Study Day of End of {what}", N, PERM, "Timing", DER),
    )


def _findings(domain: str, *, testcd: str, test: str) -> tuple[SdtmVariable, ...]:
    short, name = _TESTLABELS[domain]
    return (
        _v(f"{domain}TESTCD", short, C, REQ, "Topic", ASG, length=8, codelist=testcd),
        _v(f"{domain}TEST", name, C, REQ, "Synonym Qualifier", ASG, length=40, codelist=test),
    )


#: SDTMIG v3.4 labels of --TESTCD and --TEST.
_TESTLABELS = {
    "LB": ("Lab Test or Examination Short Name", "Lab Test or Examination Name"),
    "VS": ("Vital Signs Test Short Name", "Vital Signs Test Name"),
    "TU": ("Tumor/Lesion ID Short Name", "Tumor/Lesion ID Test Name"),
    "TR": ("Tumor/Lesion Assessment Short Name", "Tumor/Lesion Assessment Test Name"),
    "RS": ("Assessment Short Name", "Assessment Name"),
}
