"""What every SDTM domain builder shares: identifiers, reference dates, elements, visits, and the
finishing step that orders rows, assigns ``--SEQ`` and fills the spec's variables in order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from oncotrial.exports.adam.metadata import Dataset, Row, Value
from oncotrial.exports.clinical_records import ClinicalRecords, Visit
from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.timing import Element, epoch_of, iso, study_day, subject_elements


@dataclass(frozen=True, slots=True)
class Context:
    records: ClinicalRecords
    elements: dict[str, tuple[Element, ...]]
    visits: dict[tuple[str, str], Visit]

    @classmethod
    def of(cls, records: ClinicalRecords) -> Context:
        cutoff = records.study.cutoff
        return cls(
            records,
            {s.subject_id: subject_elements(s, cutoff) for s in records.subjects},
            {(v.subject_id, v.code): v for v in records.visits},
        )

    @property
    def study_id(self) -> str:
        return self.records.study.study_id

    def usubjid(self, subject_id: str) -> str:
        """STUDYID-SUBJID (unique across the submission)."""
        return f"{self.study_id}-{subject_id}"

    def reference_start(self, subject_id: str) -> date | None:
        """RFSTDTC: first dose of study treatment."""
        return self.records.subject(subject_id).first_dose_on

    def ids(self, domain: str, subject_id: str) -> dict[str, Value]:
        return {"STUDYID": self.study_id, "DOMAIN": domain, "USUBJID": self.usubjid(subject_id)}

    def epoch(self, subject_id: str, day: date | None) -> str | None:
        return epoch_of(day, self.elements[subject_id])

    def day(self, subject_id: str, day: date | None) -> int | None:
        return study_day(day, self.reference_start(subject_id))

    def visit(
        self, domain: str, subject_id: str, code: str, day: date, *, dtc: str = "DTC"
    ) -> dict[str, Value]:
        """VISITNUM, VISIT, EPOCH, --DTC and --DY of a collection at visit ``code`` on ``day``."""
        visit = self.visits.get((subject_id, code))
        return {
            "VISITNUM": visit.number if visit else None,
            "VISIT": visit.name if visit else None,
            "EPOCH": self.epoch(subject_id, day),
            f"{domain}{dtc}": iso(day),
            f"{domain}DY": self.day(subject_id, day),
        }

    def period(self, domain: str, subject_id: str, start: date | None, end: date | None) -> dict[str, Value]:
        """EPOCH (of the start), --STDTC, --ENDTC, --STDY, --ENDY."""
        return {
            "EPOCH": self.epoch(subject_id, start),
            f"{domain}STDTC": iso(start),
            f"{domain}ENDTC": iso(end),
            f"{domain}STDY": self.day(subject_id, start),
            f"{domain}ENDY": self.day(subject_id, end),
        }


def finish(
    spec: DomainSpec, rows: Iterable[dict[str, Value]], ctx: Context, order: tuple[str, ...] = ()
) -> Dataset:
    """Rows sorted by USUBJID then ``order``, ``--SEQ`` 1, 2, … within each subject, variables in
    spec order (absent ones missing); raises KeyError for a variable the spec does not list."""
    listed = list(rows)
    for row in listed:
        unknown = set(row) - set(spec.names) - {"DOMAIN"}
        if unknown:
            raise KeyError(f"{spec.name}: variables {sorted(unknown)} are not in the specification")
    listed.sort(key=lambda r: (str(r.get("USUBJID") or ""), *(_sortable(r.get(k)) for k in order)))
    seq_name = f"{spec.name}SEQ"
    counters: dict[str, int] = {}
    out: list[Row] = []
    for row in listed:
        if seq_name in spec.names and row.get(seq_name) is None:
            key = str(row.get("USUBJID") or "")
            counters[key] = counters.get(key, 0) + 1
            row[seq_name] = counters[key]
        row["DOMAIN"] = spec.name
        out.append({name: row.get(name) for name in spec.names})
    return Dataset(spec.dataset_spec(), tuple(out), ctx.records.study.simulated)


def _sortable(value: Value) -> tuple[int, str, float]:
    if value is None:
        return (1, "", 0.0)
    if isinstance(value, int | float):
        return (0, "", float(value))
    return (0, str(value), 0.0)
