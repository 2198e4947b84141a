"""The application's database as ClinicalRecords, and the standards exports built from it.

A small SIMULATED trial is conducted through the real services; the export is then compared
with the stored records (what core derived at entry is the reference, never a value computed
here) and run through the exports' own checks: SDTM structural checks, the Define-XML 2.1 and
ODM 1.3.2 XSDs, the FHIR R4 models and references, and the ADaM conformance checks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from oncotrial.conductor.trial import conduct_trial
from oncotrial.core.response.criteria import Criterion
from oncotrial.exports.adam import build_adam, check_adam
from oncotrial.exports.define_xml.sdtm_define import sdtm_define_xml
from oncotrial.exports.define_xml.validate import define_schema_errors
from oncotrial.exports.fhir import build_bundle, bundle_issues
from oncotrial.exports.odm.package import clinical_records_odm
from oncotrial.exports.odm.validate import odm_schema_errors
from oncotrial.exports.sdtm.checks import check_sdtm
from oncotrial.exports.sdtm.package import build_sdtm
from oncotrial.exports.sdtm.spec import CODELISTS, SPECS
from oncotrial.persistence.models import Allocation, FormRecord, Screening
from oncotrial.services.clinical_records_export import clinical_records_from_database
from oncotrial.services.clinical_records_forms import adverse_event_of, tumours_of
from oncotrial.services.simulated import SIMULATED_LABEL
from oncotrial.services.trial_dataset import trial_dataset

PATIENTS, SITES, SEED = 5, 2, 20240611
CREATED = datetime(2026, 1, 1, tzinfo=UTC)

#: CDISC CT terms (CT 2015-12-18 and later packages) the database export uses that the SDTM spec's
#: codelists did not list when this test was written: they were requested for
#: exports/sdtm/spec_codelists.py. Once there, the findings below disappear; any other finding fails.
REQUESTED_TERMS: dict[str, frozenset[str]] = {
    "LBTESTCD": frozenset({"WBC", "AST", "ALP", "GGT", "CREAT", "PT", "INR", "CA19_9AG", "CEA", "PROT"}),
    "LBTEST": frozenset(
        {
            "Leukocytes",
            "Aspartate Aminotransferase",
            "Alkaline Phosphatase",
            "Gamma Glutamyl Transferase",
            "Creatinine",
            "Prothrombin Time",
            "Prothrombin Intl. Normalized Ratio",
            "Cancer Antigen 19-9",
            "Carcinoembryonic Antigen",
            "Protein",
        }
    ),
    "LBCAT": frozenset({"COAGULATION", "URINALYSIS"}),
    "SPECTYPE": frozenset({"URINE"}),
    "UNIT": frozenset({"sec", "RATIO", "U/mL", "ng/mL", "g/(24.h)", "beats/min", "C"}),
    "VSTESTCD": frozenset({"ECOG", "HR", "TEMP"}),
    "VSTEST": frozenset({"ECOG Performance Status", "Heart Rate", "Temperature"}),
    "TRTESTCD": frozenset({"LPERP"}),
    "TRTEST": frozenset({"Longest Perpendicular"}),
    "ONCRSR": frozenset({"NA"}),
    "LOC": frozenset(
        {
            "BONE",
            "PERITONEUM",
            "RETROPERITONEUM",
            "RETROPERITONEAL LYMPH NODE",
            "PORTA HEPATIS LYMPH NODE",
            "PORTA HEPATIS",
        }
    ),
    "NCOMPLT": frozenset({"OTHER"}),
    "TRPROPRS": frozenset({"EQUIVOCAL"}),
}


def test_a_nodal_target_is_measured_by_its_short_axis_and_a_vanished_one_is_zero() -> None:
    """RECIST 1.1 §3.1: a pathological node is measured in short axis; a target that disappeared
    is recorded as 0 mm (§4.3.1, CR)."""
    baseline = FormRecord(
        record_date=date(2024, 1, 2),
        derived={"baseline": True},
        data={
            "modality": "ct",
            "lesions": [
                {
                    "lesion_id": "T1",
                    "organ": "liver",
                    "kind": "target",
                    "longest_diameter_mm": 40.0,
                    "viable_diameter_mm": 30.0,
                },
                {
                    "lesion_id": "T2",
                    "organ": "hepatic hilum",
                    "kind": "target",
                    "lymph_node": True,
                    "short_axis_mm": 18.0,
                },
            ],
        },
    )
    later = FormRecord(
        record_date=date(2024, 2, 14),
        data={
            "modality": "mri",
            "lesions": [
                {"lesion_id": "T1", "organ": "liver", "kind": "target", "target_status": "disappeared"},
                {
                    "lesion_id": "T2",
                    "organ": "hepatic hilum",
                    "kind": "target",
                    "lymph_node": True,
                    "short_axis_mm": 8.0,
                },
            ],
        },
        derived={
            "recist_1_1": {
                "response": "CR",
                "target_response": "CR",
                "non_target_response": "NA",
                "new_lesions": "none",
            }
        },
    )
    tumours = tumours_of("S1", [(baseline, "UNS"), (later, "IMG1")])
    assert [(x.lesion_id, x.location, x.nodal) for x in tumours.lesions] == [
        ("T1", "LIVER", False),
        ("T2", "PORTA HEPATIS LYMPH NODE", True),
    ]
    node = [m for m in tumours.measurements if m.lesion_id == "T2"]
    assert [(m.visit_code, m.short_axis_mm, m.longest_diameter_mm) for m in node] == [
        ("SCR", 18.0, None),
        ("IMG1", 8.0, None),
    ]
    gone = [m for m in tumours.measurements if m.lesion_id == "T1"][-1]
    assert gone.longest_diameter_mm == 0.0 and gone.method == "MRI"
    assert [(r.criterion, r.overall, r.non_target, r.new_lesions) for r in tumours.responses] == [
        (Criterion.RECIST_1_1, "CR", "NA", False)
    ]


def test_an_adverse_event_keeps_causality_per_drug_and_the_cdisc_action_and_outcome() -> None:
    record = FormRecord(
        data={
            "term": "Hypertension",
            "grade": 3,
            "onset_date": "2024-03-01",
            "resolution_date": "2024-05-01",
            "serious": True,
            "attribution_lenvatinib": "probable",
            "attribution_oxaliplatin": "unlikely",
            "action_lenvatinib": "interrupted",
            "action_oxaliplatin": "none",
            "outcome": "recovered",
            "haic_related": False,
        }
    )
    ae = adverse_event_of("S1", record, date(2024, 4, 1))
    assert ae is not None
    assert {(c.drug, c.related) for c in ae.causality} == {("lenvatinib", True), ("oxaliplatin", False)}
    assert ae.action == "DRUG INTERRUPTED" and ae.outcome == "RECOVERED/RESOLVED"
    assert ae.end is None, "resolved after the cut-off: not known at the cut-off"
    assert ae.body_system == "Vascular disorders"


def _allowed(finding: object) -> bool:
    variable = getattr(finding, "variable", "")
    message = str(getattr(finding, "message", ""))
    spec = SPECS[str(getattr(finding, "dataset", ""))]
    codelist = next((v.codelist for v in spec.variables if v.name == variable), None)
    if codelist is None or "is not in codelist" not in message:
        return False
    term = message.split("'")[1]
    return term in REQUESTED_TERMS.get(codelist, frozenset()) and term not in CODELISTS[codelist][2]


@pytest.mark.django_db(transaction=True)
def test_the_conducted_trial_exports_every_record_and_passes_the_standards_checks() -> None:
    conduct_trial(patients=PATIENTS, sites=SITES, seed=SEED)
    records = clinical_records_from_database()

    assert records.study.simulated and records.study.label == SIMULATED_LABEL
    assert len(records.subjects) == Allocation.objects.count() == PATIENTS
    stored = {
        code: list(FormRecord.objects.filter(form_code=code).select_related("subject"))
        for code in ("adverse_event", "exposure", "labs", "tumour_assessment")
    }
    assert len(records.adverse_events) == len(stored["adverse_event"])
    given = [row for r in stored["exposure"] for row in r.data.get("administered", []) if row["dose_mg"] > 0]
    assert len(records.exposures) == len(given)
    delivered = sum(e.collected_dose_mg for e in records.exposures)
    assert delivered == pytest.approx(sum(r["dose_mg"] for r in given))
    # every lab grade is the one core derived at entry
    derived = {
        (r.subject.subject_id, r.record_date, code.upper()): g.get("grade")
        for r in stored["labs"]
        for code, g in r.derived["grades"].items()
    }
    on_study = [x for x in records.labs if not x.baseline and x.test_code in {"NEUT", "PLAT", "ALT", "BILI"}]
    assert on_study and all(derived[(x.subject_id, x.on, x.test_code)] == x.ctcae_grade for x in on_study)
    randomized = Screening.objects.filter(subject__allocation__isnull=False)
    screening_labs = sum(len(s.data.get("labs", [])) for s in randomized)
    assert sum(x.baseline for x in records.labs) == screening_labs
    # time-point responses: the RECIST 1.1 / mRECIST values core derived, per scan
    scans = [r for r in stored["tumour_assessment"] if not r.derived.get("baseline")]
    recist = {(r.subject.subject_id, r.record_date): r.derived["recist_1_1"]["response"] for r in scans}
    exported = {
        (t.subject_id, t.scan_on): t.overall for t in records.responses if t.criterion is Criterion.RECIST_1_1
    }
    assert exported == recist
    # related = the drugs core listed as related at entry
    ordered = sorted(stored["adverse_event"], key=lambda r: (r.subject.subject_id, r.record_date, r.id))
    for r, ae in zip(ordered, records.adverse_events, strict=True):
        assert sorted(c.drug for c in ae.causality if c.related) == sorted(r.derived["related_to"])

    package = build_sdtm(records)
    findings = [f for f in check_sdtm(package.datasets) if not _allowed(f)]
    assert findings == []
    assert define_schema_errors(sdtm_define_xml(package, created=CREATED)) == []
    assert odm_schema_errors(clinical_records_odm(records, created=CREATED)) == []
    bundle = build_bundle(records)
    assert bundle_issues(bundle) == ()
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "ResearchSubject", "Condition", "Observation", "MedicationAdministration"} <= kinds
    adam = build_adam(trial_dataset().data, protocol=records.study.protocol, records=records)
    assert check_adam(adam.datasets) == []
    assert adam.adlb is not None and len(adam.adlb.rows) == len(records.labs)
