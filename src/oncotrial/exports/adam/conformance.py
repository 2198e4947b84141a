"""Our own ADaM conformance checks (no ADaM rules exist in CDISC CORE; research/standards.md §0).

Every check runs and every finding is reported (style guide rule 4): variables and their
order as in the spec, Req variables populated, types, character lengths within the
declared length, codelist membership, ``CNSR`` ∈ {0, 1}, ``PARAMCD`` ≤ 8 characters,
``AVAL = ADT − STARTDT + 1`` in ADTTE, one ADSL record per subject and every subject of
the other datasets present in ADSL. ADLB (ADaMIG v1.3 §3.3.3–3.3.4): at most one baseline
record (``ABLFL='Y'``) per subject and parameter, ``BASE`` = that record's ``AVAL``,
``CHG = AVAL − BASE``, ``ATOXGRN`` = ``ATOXGR``, ``ANRIND`` from ``AVAL`` and the range.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from oncotrial.exports.adam.metadata import Dataset, Row, Value, Variable, VarType
from oncotrial.exports.adam.spec import CODELISTS


@dataclass(frozen=True, slots=True)
class Finding:
    dataset: str
    variable: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.dataset}.{self.variable}" + (f" row {self.row}" if self.row is not None else "")
        return f"{where}: {self.message}"


def check_adam(datasets: Sequence[Dataset]) -> list[Finding]:
    """All findings over the datasets (an empty list when conformant)."""
    findings: list[Finding] = []
    for ds in datasets:
        findings.extend(check_dataset(ds))
    adsl = next((d for d in datasets if d.name == "ADSL"), None)
    if adsl is None:
        return [*findings, Finding("ADSL", "", None, "ADSL is missing")]
    counts = Counter(adsl.column("USUBJID"))
    findings.extend(Finding("ADSL", "USUBJID", None, f"{u} has {n} records; expected one")
                    for u, n in counts.items() if n != 1)
    for ds in datasets:
        for i, u in enumerate(ds.column("USUBJID")):
            if u not in counts:
                findings.append(Finding(ds.name, "USUBJID", i, f"{u} is not in ADSL"))
    return findings


def check_dataset(ds: Dataset) -> list[Finding]:
    findings: list[Finding] = []
    for i, row in enumerate(ds.rows):
        if tuple(row) != ds.spec.names:
            findings.append(Finding(ds.name, "", i, f"variables {tuple(row)} differ from the spec "
                                                    f"{ds.spec.names}"))
            continue
        for var in ds.spec.variables:
            message = _check_value(var, row[var.name])
            if message:
                findings.append(Finding(ds.name, var.name, i, message))
        if ds.name == "ADTTE":
            findings.extend(_check_tte(row, i))
        if ds.name == "ADLB":
            findings.extend(_check_lb_row(row, i))
    if ds.name == "ADLB":
        findings.extend(_check_lb_baseline(ds))
    return findings


def _check_value(var: Variable, value: Value) -> str | None:
    if value is None or value == "":
        return "required variable is missing" if var.required else None
    if var.type is VarType.CHAR:
        if not isinstance(value, str):
            return f"{value!r} is not character"
        if len(value.encode("utf-8")) > var.length:
            return f"{value!r} is longer than the declared length {var.length}"
    elif var.is_date:
        if not isinstance(value, date):
            return f"{value!r} is not a date"
    elif isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value!r} is not numeric"
    if var.codelist is not None and str(value) not in CODELISTS[var.codelist]:
        return f"{value!r} is not in codelist {var.codelist} {CODELISTS[var.codelist]}"
    if var.name == "PARAMCD" and isinstance(value, str) and len(value) > 8:
        return f"{value!r} is longer than 8 characters"
    return None


def _check_tte(row: Row, i: int) -> list[Finding]:
    start, adt, aval = row["STARTDT"], row["ADT"], row["AVAL"]
    if isinstance(start, date) and isinstance(adt, date) and aval != (adt - start).days + 1:
        return [Finding("ADTTE", "AVAL", i, f"{aval!r} != ADT - STARTDT + 1")]
    if row["CNSR"] not in (0, 1):
        return [Finding("ADTTE", "CNSR", i, f"{row['CNSR']!r} is not 0 or 1")]
    return []


CHG_TOLERANCE = 1e-6
"""CHG is stored rounded to 6 decimals."""


def _check_lb_row(row: Row, i: int) -> list[Finding]:
    found: list[Finding] = []
    aval, base, chg = row["AVAL"], row["BASE"], row["CHG"]
    if (isinstance(aval, float | int) and isinstance(base, float | int) and isinstance(chg, float | int)
            and abs(chg - (aval - base)) > CHG_TOLERANCE):
        found.append(Finding("ADLB", "CHG", i, f"{chg!r} != AVAL - BASE ({aval!r} - {base!r})"))
    grade, gradn = row["ATOXGR"], row["ATOXGRN"]
    if (grade is None) != (gradn is None) or (grade is not None and str(gradn) != grade):
        found.append(Finding("ADLB", "ATOXGRN", i, f"{gradn!r} does not match ATOXGR {grade!r}"))
    low, high, ind = row["ANRLO"], row["ANRHI"], row["ANRIND"]
    if isinstance(aval, float | int) and ind is not None:
        expected = ("LOW" if isinstance(low, float | int) and aval < low else
                    "HIGH" if isinstance(high, float | int) and aval > high else "NORMAL")
        if ind != expected:
            found.append(Finding("ADLB", "ANRIND", i, f"{ind!r}; AVAL {aval!r} and range "
                                                      f"[{low!r}, {high!r}] give {expected!r}"))
    return found


def _check_lb_baseline(ds: Dataset) -> list[Finding]:
    baselines: dict[tuple[Value, Value], list[int]] = {}
    for i, row in enumerate(ds.rows):
        if row.get("ABLFL") == "Y":
            baselines.setdefault((row.get("USUBJID"), row.get("PARAMCD")), []).append(i)
    found = [Finding("ADLB", "ABLFL", rows[1], f"{key[0]} {key[1]} has {len(rows)} baseline records")
             for key, rows in baselines.items() if len(rows) > 1]
    for i, row in enumerate(ds.rows):
        rows = baselines.get((row.get("USUBJID"), row.get("PARAMCD")))
        expected = ds.rows[rows[0]].get("AVAL") if rows else None
        if row.get("BASE") != expected:
            found.append(Finding("ADLB", "BASE", i, f"{row.get('BASE')!r} != the baseline AVAL {expected!r}"))
    return found
