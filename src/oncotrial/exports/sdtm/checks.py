"""Our own SDTM structural checks, driven by the specification table (research/standards.md §9).

Every check runs and every finding is reported: variables and their order as in the spec;
names ≤ 8 and labels ≤ 40; Req variables populated; types; character values within the
declared length; codelist membership (:data:`.spec.CODELISTS`); ``--SEQ`` unique per
subject; one DM record per subject and every USUBJID of every domain in DM; ``--DTC``
ISO 8601; ``--TESTCD`` ≤ 8 and ``--TEST`` ≤ 40; TR→TU (``TRLNKID`` in the subject's
``TULNKID``) and TR↔RS link groups (every ``RSLNKGRP`` of a time-point response has TR
records with that ``TRLNKGRP``, and vice versa).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from oncotrial.exports.adam.conformance import Finding
from oncotrial.exports.adam.metadata import Dataset, Value, VarType
from oncotrial.exports.sdtm.metadata import Core, SdtmVariable
from oncotrial.exports.sdtm.spec import CODELISTS, SPECS

ISO_DATE = re.compile(r"^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d)?)?)?)?$")
NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,7}$")


def check_sdtm(datasets: Sequence[Dataset]) -> list[Finding]:
    """All findings over the domains (an empty list when conformant)."""
    findings: list[Finding] = []
    by_name = {d.name: d for d in datasets}
    for ds in datasets:
        findings.extend(check_domain(ds))
    dm = by_name.get("DM")
    if dm is None:
        return [*findings, Finding("DM", "", None, "DM is missing")]
    subjects = Counter(dm.column("USUBJID"))
    findings.extend(
        Finding("DM", "USUBJID", None, f"{u} has {n} records; expected one")
        for u, n in subjects.items()
        if n != 1
    )
    for ds in datasets:
        if "USUBJID" in ds.spec.names and ds.name != "DM":
            findings.extend(
                Finding(ds.name, "USUBJID", i, f"{u} is not in DM")
                for i, u in enumerate(ds.column("USUBJID"))
                if u not in subjects
            )
    findings.extend(_oncology_links(by_name))
    return findings


def check_domain(ds: Dataset) -> list[Finding]:
    spec = SPECS[ds.name]
    findings = [
        Finding(ds.name, v.name, None, f"name or label breaks XPORT v5 ({v.label!r})")
        for v in spec.variables
        if not NAME.match(v.name) or len(v.label) > 40
    ]
    if len(ds.label) > 40:
        findings.append(Finding(ds.name, "", None, f"dataset label {ds.label!r} is longer than 40"))
    seq = f"{ds.name}SEQ"
    if seq in spec.names and "USUBJID" in spec.names:
        pairs = Counter(zip(ds.column("USUBJID"), ds.column(seq), strict=True))
        findings.extend(
            Finding(ds.name, seq, None, f"{u} has {seq}={s} {n} times")
            for (u, s), n in pairs.items()
            if n > 1
        )
    for i, row in enumerate(ds.rows):
        if tuple(row) != spec.names:
            findings.append(Finding(ds.name, "", i, f"variables {tuple(row)} differ from the spec"))
            continue
        for var in spec.variables:
            message = _check_value(var, row[var.name])
            if message:
                findings.append(Finding(ds.name, var.name, i, message))
    return findings


def _check_value(var: SdtmVariable, value: Value) -> str | None:
    if value is None or value == "":
        return "required variable is missing" if var.core is Core.REQ else None
    if var.type is VarType.CHAR:
        if not isinstance(value, str):
            return f"{value!r} is not character"
        if len(value.encode("utf-8")) > var.length:
            return f"{value!r} is longer than the declared length {var.length}"
        if var.name.endswith("DTC") and not ISO_DATE.match(value):
            return f"{value!r} is not an ISO 8601 date"
        if var.name.endswith("TESTCD") and len(value) > 8:
            return f"{value!r} is longer than 8 characters"
    elif isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value!r} is not numeric"
    if var.codelist is not None and str(value) not in CODELISTS[var.codelist][2]:
        return f"{value!r} is not in codelist {var.codelist}"
    return None


def _oncology_links(by_name: dict[str, Dataset]) -> list[Finding]:
    tu, tr, rs = by_name.get("TU"), by_name.get("TR"), by_name.get("RS")
    if tu is None or tr is None or rs is None:
        return []
    lesions = set(zip(tu.column("USUBJID"), tu.column("TULNKID"), strict=True))
    out = [
        Finding("TR", "TRLNKID", i, f"{u} {lnk} has no TU record")
        for i, (u, lnk) in enumerate(zip(tr.column("USUBJID"), tr.column("TRLNKID"), strict=True))
        if (u, lnk) not in lesions
    ]
    tr_groups = set(zip(tr.column("USUBJID"), tr.column("TRLNKGRP"), strict=True))
    rs_groups = {(r["USUBJID"], r["RSLNKGRP"]) for r in rs.rows if r["RSLNKGRP"] is not None}
    baseline = {(u, g) for u, g in tr_groups if g == "SCR"}
    out.extend(
        Finding("RS", "RSLNKGRP", None, f"{u} {g} has no TR records")
        for u, g in sorted(rs_groups - tr_groups)
    )
    out.extend(
        Finding("TR", "TRLNKGRP", None, f"{u} {g} has no RS response")
        for u, g in sorted(tr_groups - rs_groups - baseline)
    )
    return out
