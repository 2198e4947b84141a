"""The SDTM specification table: every domain, variable, label, type, length, core status, role,
origin and codelist (SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1).

This table is the only place these facts live: the builders fill the variables it lists, in
its order, and the XPT/Dataset-JSON writers, Define-XML and :mod:`.checks` read it. Dataset
labels are the SDTMIG labels, abbreviated to ≤ 30 characters where needed so that the
``SIMULATED `` prefix of simulated data still fits in 40.
"""

from __future__ import annotations

from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.spec_codelists import CODELISTS, EXTENSIONS
from oncotrial.exports.sdtm.spec_events import AE, MH
from oncotrial.exports.sdtm.spec_findings import LB, VS
from oncotrial.exports.sdtm.spec_interventions import CM, EC, EX
from oncotrial.exports.sdtm.spec_oncology import RS, TR, TU
from oncotrial.exports.sdtm.spec_subjects import DM, DS, SE, SV
from oncotrial.exports.sdtm.spec_trial_design import TA, TE, TI, TS, TV
from oncotrial.exports.sdtm.spec_variables import ASG, COL, DER, EXP, PERM, PRO, REQ, C, N

__all__ = [
    "AE",
    "ASG",
    "CM",
    "CODELISTS",
    "COL",
    "DER",
    "DM",
    "DOMAINS",
    "DS",
    "EC",
    "EX",
    "EXP",
    "EXTENSIONS",
    "LB",
    "MH",
    "PERM",
    "PRO",
    "REQ",
    "RS",
    "SE",
    "SPECS",
    "SV",
    "TA",
    "TE",
    "TI",
    "TR",
    "TS",
    "TU",
    "TV",
    "VS",
    "C",
    "N",
]

DOMAINS: tuple[DomainSpec, ...] = (TA, TE, TI, TS, TV, DM, SE, SV, DS, EX, EC, AE, CM, MH, LB, VS, TU, TR, RS)
"""Every domain, trial design first (the order of the Define-XML)."""
SPECS: dict[str, DomainSpec] = {d.name: d for d in DOMAINS}
