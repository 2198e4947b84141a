"""The forms that hold :class:`~oncotrial.exports.clinical_records.ClinicalRecords` in ODM, and the
records as form data.

Six forms, named after the SDTM domains they feed: subject-level ``DM`` (demographics, key
dates, end of study) and ``AE`` (one form per adverse event, CTCAE v5.0 term and grade);
visit-bound ``LB`` and ``VS`` (a table of results with their units), ``EX`` (one form per
administration) and ``RS`` (time-point responses per criterion, RECIST 1.1 / mRECIST).
Choice lists and units are those present in the records, so every value is declared.
Tumour measurements (SDTM TU/TR) are not part of the ODM export yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from oncotrial.exports.clinical_records import ClinicalRecords, Subject
from oncotrial.exports.odm.forms import FieldDescription, FieldKind, FormDescription
from oncotrial.exports.sdtm.findings import number_text

K = FieldKind
Value = str | int | float | bool | date | None


@dataclass(frozen=True, slots=True)
class ItemValue:
    """One collected value; ``unit`` for measurements."""

    name: str
    value: Value
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class FormData:
    """One filled form: its values, and the rows of each table field (``{table: [row, …]}``)."""

    form: str
    values: tuple[ItemValue, ...]
    tables: tuple[tuple[str, tuple[tuple[ItemValue, ...], ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class VisitData:
    """The forms filled at one visit (``code`` is the ODM ``StudyEventRepeatKey``)."""

    code: str
    forms: tuple[FormData, ...]


@dataclass(frozen=True, slots=True)
class SubjectData:
    subject_id: str
    site_code: str
    subject_forms: tuple[FormData, ...]
    visits: tuple[VisitData, ...]


def _f(name: str, label: str, kind: FieldKind, **extra: object) -> FieldDescription:
    return FieldDescription(name, label, kind, **extra)  # type: ignore[arg-type]


def _choices(values: Iterable[str], labels: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    return tuple((v, (labels or {}).get(v, v)) for v in sorted(set(values)))


def record_forms(records: ClinicalRecords) -> tuple[FormDescription, ...]:
    """The form descriptions of ``records`` (choices and units from the values present)."""
    lab_names = {x.test_code: x.test_name for x in records.labs}
    vital_names = {x.test_code: x.test_name for x in records.vitals}
    arms = _choices([s.arm_planned for s in records.subjects]
                    + [s.arm_actual for s in records.subjects if s.arm_actual])
    dm = FormDescription("DM", "Demographics and Study Participation", (
        _f("SEX", "Sex", K.CHOICE, required=True, choices=_choices(["F", "M", "U", "UNDIFFERENTIATED"])),
        _f("AGE", "Age (years)", K.INTEGER, required=True, minimum=0, maximum=120),
        _f("RACE", "Race", K.TEXT, max_length=60),
        _f("ETHNIC", "Ethnicity", K.TEXT, max_length=40),
        _f("COUNTRY", "Country (ISO 3166-1 alpha-3)", K.TEXT, max_length=3),
        _f("ARM", "Randomized arm", K.CHOICE, required=True, choices=arms),
        _f("ACTARM", "Arm actually received", K.CHOICE, choices=arms),
        _f("ICDAT", "Informed consent date", K.DATE, required=True),
        _f("RANDDAT", "Randomization date", K.DATE, required=True),
        _f("FDOSDAT", "First dose date", K.DATE),
        _f("LDOSDAT", "Last dose date", K.DATE),
        _f("DTHDAT", "Date of death", K.DATE),
        _f("LKADAT", "Date last known alive", K.DATE),
        _f("EOSDAT", "End of study date", K.DATE),
        _f("EOSREAS", "End of study disposition", K.CHOICE, choices=_choices(
            e.decoded for s in records.subjects for e in s.disposition if e.subcategory == "END OF STUDY")),
    ), repeating=False, visit_bound=False)
    ae = FormDescription("AE", "Adverse Event (CTCAE v5.0)", (
        _f("AETERM", "CTCAE v5.0 term", K.TEXT, required=True, max_length=200),
        _f("AEBODSYS", "System organ class", K.TEXT, max_length=200),
        _f("AETOXGR", "CTCAE v5.0 grade", K.INTEGER, required=True, minimum=1, maximum=5),
        _f("AESER", "Serious", K.BOOLEAN, required=True),
        _f("AESTDAT", "Start date", K.DATE, required=True),
        _f("AEENDAT", "End date", K.DATE),
        _f("AEREL", "Related to any study drug", K.BOOLEAN),
        _f("AEACN", "Action taken with study treatment", K.TEXT, max_length=40),
        _f("AEOUT", "Outcome", K.TEXT, max_length=40),
        _f("AEHAIC", "HAIC procedure complication", K.BOOLEAN),
    ), repeating=True, visit_bound=False)
    lb = FormDescription("LB", "Laboratory Results", (
        _f("LBDAT", "Collection date", K.DATE, required=True),
        _f("RESULTS", "Results", K.TABLE, columns=(
            _f("LBTESTCD", "Test", K.CHOICE, required=True, choices=_choices(lab_names, lab_names)),
            _f("LBORRES", "Result", K.MEASUREMENT, required=True,
               units=tuple(sorted({x.unit for x in records.labs}))),
            _f("LBTOXGR", "CTCAE v5.0 grade", K.INTEGER, minimum=0, maximum=5),
        )),
    ))
    vs = FormDescription("VS", "Vital Signs", (
        _f("VSDAT", "Assessment date", K.DATE, required=True),
        _f("RESULTS", "Results", K.TABLE, columns=(
            _f("VSTESTCD", "Test", K.CHOICE, required=True, choices=_choices(vital_names, vital_names)),
            _f("VSORRES", "Result", K.MEASUREMENT, required=True,
               units=tuple(sorted({x.unit for x in records.vitals}))),
        )),
    ))
    ex = FormDescription("EX", "Study Drug Administration", (
        _f("EXTRT", "Drug", K.CHOICE, required=True, choices=_choices(x.drug for x in records.exposures)),
        _f("EXDOSE", "Prescribed dose", K.DECIMAL, required=True, minimum=0),
        _f("EXDOSU", "Dose unit", K.CHOICE, required=True,
           choices=_choices(x.unit for x in records.exposures)),
        _f("EXROUTE", "Route", K.CHOICE, choices=_choices(x.route for x in records.exposures)),
        _f("EXSTDAT", "Start date", K.DATE, required=True),
        _f("EXENDAT", "End date", K.DATE),
        _f("EXCYCLE", "Cycle", K.INTEGER, minimum=1),
        _f("ECDOSE", "Amount given", K.MEASUREMENT, units=("mg",)),
        _f("EXADJ", "Reason for dose adjustment", K.TEXT, max_length=200),
    ), repeating=True)
    rs = FormDescription("RS", "Tumour Response", (
        _f("RSDAT", "Scan date", K.DATE, required=True),
        _f("RESPONSES", "Responses", K.TABLE, columns=(
            _f("RSCRIT", "Criterion", K.CHOICE, required=True,
               choices=_choices(r.criterion.value for r in records.responses)),
            _f("TRGRESP", "Target response", K.TEXT, max_length=20),
            _f("NTRGRESP", "Non-target response", K.TEXT, max_length=20),
            _f("NEWLIND", "New lesions", K.BOOLEAN),
            _f("OVRLRESP", "Overall response", K.CHOICE, required=True,
               choices=_choices(r.overall for r in records.responses)),
        )),
    ))
    return (dm, ae, lb, vs, ex, rs)


def _dm(s: Subject) -> FormData:
    eos = next((e for e in s.disposition if e.subcategory == "END OF STUDY"), None)
    return FormData("DM", (
        ItemValue("SEX", s.sex), ItemValue("AGE", s.age_years), ItemValue("RACE", s.race),
        ItemValue("ETHNIC", s.ethnicity), ItemValue("COUNTRY", s.country), ItemValue("ARM", s.arm_planned),
        ItemValue("ACTARM", s.arm_actual), ItemValue("ICDAT", s.informed_consent_on),
        ItemValue("RANDDAT", s.randomized_on), ItemValue("FDOSDAT", s.first_dose_on),
        ItemValue("LDOSDAT", s.last_dose_on), ItemValue("DTHDAT", s.death_on),
        ItemValue("LKADAT", s.last_known_alive_on), ItemValue("EOSDAT", eos.on if eos else None),
        ItemValue("EOSREAS", eos.decoded if eos else None)))


def record_form_data(records: ClinicalRecords) -> tuple[SubjectData, ...]:
    """Every subject's filled forms: DM and AEs at subject level, LB/VS/EX/RS per visit."""
    visit_order = {(v.subject_id, v.code): (v.number, v.on) for v in records.visits}
    per_visit: dict[tuple[str, str], list[FormData]] = {}

    def add(subject: str, visit: str, form: FormData) -> None:
        per_visit.setdefault((subject, visit), []).append(form)

    for (subject, visit), rows in _group((x.subject_id, x.visit_code) for x in records.labs).items():
        labs = [records.labs[i] for i in rows]
        add(subject, visit, FormData("LB", (ItemValue("LBDAT", labs[0].on),), (("RESULTS", tuple(
            (ItemValue("LBTESTCD", x.test_code), ItemValue("LBORRES", x.value, x.unit),
             ItemValue("LBTOXGR", x.ctcae_grade)) for x in labs)),)))
    for (subject, visit), rows in _group((x.subject_id, x.visit_code) for x in records.vitals).items():
        vitals = [records.vitals[i] for i in rows]
        add(subject, visit, FormData("VS", (ItemValue("VSDAT", vitals[0].on),), (("RESULTS", tuple(
            (ItemValue("VSTESTCD", x.test_code), ItemValue("VSORRES", x.value, x.unit)) for x in vitals)),)))
    for x in records.exposures:
        add(x.subject_id, x.visit_code, FormData("EX", (
            ItemValue("EXTRT", x.drug), ItemValue("EXDOSE", x.dose), ItemValue("EXDOSU", x.unit),
            ItemValue("EXROUTE", x.route), ItemValue("EXSTDAT", x.start), ItemValue("EXENDAT", x.end),
            ItemValue("EXCYCLE", x.cycle), ItemValue("ECDOSE", x.collected_dose_mg, "mg"),
            ItemValue("EXADJ", x.adjustment_reason))))
    for (subject, visit), rows in _group((x.subject_id, x.visit_code) for x in records.responses).items():
        responses = [records.responses[i] for i in rows]
        add(subject, visit, FormData("RS", (ItemValue("RSDAT", responses[0].scan_on),), (("RESPONSES", tuple(
            (ItemValue("RSCRIT", x.criterion.value), ItemValue("TRGRESP", x.target),
             ItemValue("NTRGRESP", x.non_target), ItemValue("NEWLIND", x.new_lesions),
             ItemValue("OVRLRESP", x.overall)) for x in responses)),)))
    aes: dict[str, list[FormData]] = {}
    for a in sorted(records.adverse_events, key=lambda a: (a.subject_id, a.start, a.term)):
        aes.setdefault(a.subject_id, []).append(FormData("AE", (
            ItemValue("AETERM", a.term), ItemValue("AEBODSYS", a.body_system), ItemValue("AETOXGR", a.grade),
            ItemValue("AESER", a.serious), ItemValue("AESTDAT", a.start), ItemValue("AEENDAT", a.end),
            ItemValue("AEREL", a.related), ItemValue("AEACN", a.action), ItemValue("AEOUT", a.outcome),
            ItemValue("AEHAIC", a.haic_procedure))))
    subjects: list[SubjectData] = []
    for s in sorted(records.subjects, key=lambda s: s.subject_id):
        codes = sorted({code for (subject, code) in per_visit if subject == s.subject_id},
                       key=lambda c: (visit_order.get((s.subject_id, c), (10**9, date.max)), c))
        visits = tuple(VisitData(code, tuple(per_visit[(s.subject_id, code)])) for code in codes)
        subjects.append(SubjectData(s.subject_id, s.site_code, (_dm(s), *aes.get(s.subject_id, [])), visits))
    return tuple(subjects)


def _group(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    return groups


def value_text(value: Value) -> str | None:
    """An ODM ItemData value: ISO 8601 dates, xs:boolean ``true``/``false``, shortest numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number_text(value)
    return str(value)
