"""ADLB: laboratory results (ADaM BDS, ADaMIG v1.3 §3.3), one record per collected result.

Built from the clinical records' labs (the source of SDTM LB), in SI units, with the
CTCAE v5.0 grade the records carry (graded by :mod:`oncotrial.core.grading.ctcae_v5`),
the baseline of SDTMIG v3.4 ``LBLOBXFL`` (last result before the first dose), change from
baseline and the reference-range indicator (the same rule as SDTM ``LBNRIND``).

Traceability (ADaMIG v1.3 §3.3.9): ``SRCDOM='LB'``, ``SRCVAR='LBSTRESN'`` and ``SRCSEQ`` =
the ``LBSEQ`` SDTM gives the same result (:func:`lb_sequence` applies the SDTM export's
ordering: by subject, then ``LBDTC``, then ``LBTESTCD``, collection order within ties).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from oncotrial.exports.adam.metadata import Dataset, Row, Value
from oncotrial.exports.adam.spec import ADLB
from oncotrial.exports.clinical_records import ClinicalRecords, LabResult


def lb_sequence(labs: Sequence[LabResult]) -> list[int]:
    """``LBSEQ`` of each lab (same index as ``labs``): 1, 2, … per subject in (date, test) order."""
    order = sorted(range(len(labs)), key=lambda i: (labs[i].subject_id, labs[i].on, labs[i].test_code))
    seq = [0] * len(labs)
    counters: dict[str, int] = {}
    for i in order:
        counters[labs[i].subject_id] = counters.get(labs[i].subject_id, 0) + 1
        seq[i] = counters[labs[i].subject_id]
    return seq


def reference_indicator(lab: LabResult) -> str | None:
    """LOW below the SI range, HIGH above it, NORMAL within; missing without a range (the rule of
    SDTM ``LBNRIND`` in :mod:`oncotrial.exports.sdtm.findings`, which imports ADaM metadata, so
    ADaM does not import it back)."""
    if lab.low_si is not None and lab.si_value < lab.low_si:
        return "LOW"
    if lab.high_si is not None and lab.si_value > lab.high_si:
        return "HIGH"
    return "NORMAL" if lab.low_si is not None or lab.high_si is not None else None


def relative_day(start: date | None, on: date) -> int | None:
    """ADaM relative day to ``start`` (TRTSDT): no day 0; the day before is -1."""
    if start is None:
        return None
    return (on - start).days + 1 if on >= start else (on - start).days


def build_adlb(records: ClinicalRecords, adsl: Dataset) -> Dataset:
    """ADLB of ``records``; treatment, safety flag and TRTSDT come from the ADSL rows."""
    subjects = {row["USUBJID"]: row for row in adsl.rows}
    study = records.study.study_id
    visits = {(v.subject_id, v.code): v for v in records.visits}
    seq = lb_sequence(records.labs)
    baseline: dict[tuple[str, str], LabResult] = {}
    for lab in records.labs:
        if lab.baseline:
            baseline[(lab.subject_id, lab.test_code)] = lab
    order = sorted(range(len(records.labs)),
                   key=lambda i: (records.labs[i].subject_id, records.labs[i].test_code, records.labs[i].on,
                                  seq[i]))
    rows: list[Row] = []
    for i in order:
        lab = records.labs[i]
        usubjid = f"{study}-{lab.subject_id}"
        visit = visits.get((lab.subject_id, lab.visit_code))
        rows.append(_row(study, usubjid, lab, seq[i], subjects.get(usubjid, {}),
                         baseline.get((lab.subject_id, lab.test_code)),
                         visit.name if visit else lab.visit_code, visit.number if visit else None))
    return Dataset(ADLB, tuple(rows), records.study.simulated)


def _row(study: str, usubjid: str, lab: LabResult, seq: int, adsl: Mapping[str, Value],
         base: LabResult | None, visit: str, visit_number: int | None) -> Row:
    trtsdt = adsl.get("TRTSDT")
    after = base is not None and lab.on > base.on
    grade = None if lab.ctcae_grade is None else str(lab.ctcae_grade)
    return {
        "STUDYID": study, "USUBJID": usubjid, "TRTA": adsl.get("TRT01A"), "SAFFL": adsl.get("SAFFL"),
        "PARAMCD": lab.test_code, "PARAM": f"{lab.test_name} ({lab.si_unit})", "PARCAT1": lab.category,
        "AVAL": float(lab.si_value), "AVALU": lab.si_unit, "ADT": lab.on,
        "ADY": relative_day(trtsdt if isinstance(trtsdt, date) else None, lab.on),
        "AVISIT": visit, "AVISITN": visit_number, "ABLFL": "Y" if lab.baseline else None,
        "BASE": float(base.si_value) if base else None,
        "CHG": round(lab.si_value - base.si_value, 6) if base and after else None,
        "ATOXGR": grade, "ATOXGRN": lab.ctcae_grade,
        "BTOXGR": None if base is None or base.ctcae_grade is None else str(base.ctcae_grade),
        "ANRLO": lab.low_si, "ANRHI": lab.high_si, "ANRIND": reference_indicator(lab),
        "BNRIND": reference_indicator(base) if base else None,
        "SRCDOM": "LB", "SRCVAR": "LBSTRESN", "SRCSEQ": seq,
    }
