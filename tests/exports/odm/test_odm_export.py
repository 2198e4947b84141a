"""CDISC ODM 1.3.2 export: valid against the official XSD shipped in odmlib, values checked against
their items, forms described from declarations shaped like the application's FormSpec."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError
from oncotrial.exports.clinical_records import ClinicalRecords, clinical_records_from_simulated_demo
from oncotrial.exports.odm import (
    FieldKind,
    OdmStudy,
    clinical_records_odm,
    describe_form,
    odm_data_errors,
    odm_schema_errors,
    odm_xml,
    record_form_data,
    record_forms,
    validate_odm,
    write_odm,
)

CREATED = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}


@dataclass(frozen=True)
class Field:
    """Stands in for services.forms.FieldSpec (exports may not import services)."""

    name: str
    label: str
    kind: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    units: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 500
    columns: tuple[Field, ...] = ()
    max_rows: int = 50


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    visit_bound: bool
    repeating: bool
    fields: tuple[Field, ...]
    description: str = ""


LABS_FORM = Form("labs", "Laboratory panel", True, False, (
    Field("collection_date", "Collection date", "date", required=True),
    Field("neut", "Neutrophils", "measurement", units=("10^9/L", "/mm3")),
    Field("ecog", "ECOG", "choice", choices=(("0", "Fully active"), ("1", "Restricted"))),
    Field("fasting", "Fasting", "boolean"),
    Field("weight", "Weight", "decimal", minimum=20, maximum=250),
    Field("notes", "Notes", "table", columns=(Field("text", "Text", "text", max_length=80),)),
))


@pytest.fixture(scope="module")
def records() -> ClinicalRecords:
    return clinical_records_from_simulated_demo(20230801, patients=12)


@pytest.fixture(scope="module")
def document(records: ClinicalRecords) -> bytes:
    return clinical_records_odm(records, created=CREATED, extra_forms=(describe_form(LABS_FORM),))


def test_the_odm_export_is_valid_against_the_odm_1_3_2_xsd(document: bytes) -> None:
    assert odm_schema_errors(document) == []


def test_an_invalid_odm_is_rejected_by_the_xsd(document: bytes) -> None:
    tree = etree.fromstring(document)
    form = tree.find(".//odm:FormDef", NS)
    assert form is not None
    form.set("Repeating", "Maybe")  # ODM 1.3.2 YesOrNo
    errors = odm_schema_errors(etree.tostring(tree))
    assert errors and "Repeating" in errors[0]
    with pytest.raises(DomainError, match=r"odm\.xml"):
        validate_odm(etree.tostring(tree))


def test_item_data_out_of_order_is_rejected_by_the_xsd(document: bytes) -> None:
    tree = etree.fromstring(document)
    subject = tree.find(".//odm:SubjectData", NS)
    assert subject is not None
    site = subject.find("odm:SiteRef", NS)
    subject.remove(site)
    subject.append(site)  # SiteRef must come before StudyEventData
    assert odm_schema_errors(etree.tostring(tree))


def test_every_subject_and_every_lab_result_is_in_the_clinical_data(records: ClinicalRecords,
                                                                    document: bytes) -> None:
    tree = etree.fromstring(document)
    keys = [s.get("SubjectKey") for s in tree.iterfind(".//odm:SubjectData", NS)]
    assert keys == sorted(s.subject_id for s in records.subjects)
    results = tree.findall(".//odm:ItemGroupData[@ItemGroupOID='IG.LB.RESULTS']", NS)
    assert len(results) == len(records.labs)
    first = records.labs[0]
    value = tree.find(f".//odm:SubjectData[@SubjectKey='{first.subject_id}']//odm:StudyEventData"
                      f"[@StudyEventRepeatKey='{first.visit_code}']//odm:ItemData[@ItemOID='IT.LB.RESULTS.LBORRES']"
                      "/odm:MeasurementUnitRef", NS)
    assert value is not None and value.get("MeasurementUnitOID") == "MU.10_5E_9_2F_L"  # 10^9/L


def test_a_declared_form_becomes_form_groups_items_codelists_units_and_ranges(document: bytes) -> None:
    tree = etree.fromstring(document)
    refs = [r.get("ItemGroupOID")
            for r in tree.iterfind(".//odm:FormDef[@OID='F.labs']/odm:ItemGroupRef", NS)]
    assert refs == ["IG.labs", "IG.labs.notes"]
    assert tree.find(".//odm:ItemGroupDef[@OID='IG.labs.notes']", NS).get("Repeating") == "Yes"
    neut = tree.find(".//odm:ItemDef[@OID='IT.labs.neut']", NS)
    assert neut is not None and neut.get("DataType") == "float"
    assert [u.get("MeasurementUnitOID") for u in neut.iterfind("odm:MeasurementUnitRef", NS)] == [
        "MU.10_5E_9_2F_L", "MU._2F_mm3"]
    weight = tree.find(".//odm:ItemDef[@OID='IT.labs.weight']", NS)
    assert weight is not None
    assert [(c.get("Comparator"), c.findtext("odm:CheckValue", namespaces=NS))
            for c in weight.iterfind("odm:RangeCheck", NS)] == [("GE", "20"), ("LE", "250")]
    ecog = tree.find(".//odm:CodeList[@OID='CL.labs.ecog']", NS)
    assert ecog is not None and [i.get("CodedValue") for i in ecog] == ["0", "1"]
    visit = tree.find(".//odm:StudyEventDef[@OID='SE.VISIT']", NS)
    assert visit is not None and "F.labs" in [f.get("FormOID") for f in visit]


def test_an_unknown_field_kind_names_the_form_and_field() -> None:
    with pytest.raises(DomainError, match=r"labs\.photo\.kind"):
        describe_form(replace(LABS_FORM, fields=(Field("photo", "Photo", "image"),)))
    assert describe_form(LABS_FORM).fields[1].kind is FieldKind.MEASUREMENT


def test_values_that_do_not_fit_their_items_are_reported(records: ClinicalRecords) -> None:
    forms = record_forms(records)
    subjects = record_form_data(records)
    assert odm_data_errors(forms, subjects) == []
    bad_age = replace(records.subjects[0], age_years=130)
    bad_unit = replace(records.labs[0], unit="mmol/L")
    bad = replace(records, subjects=(bad_age, *records.subjects[1:]), labs=(bad_unit, *records.labs[1:]))
    errors = odm_data_errors(forms, record_form_data(bad))
    assert any("/DM/AGE: 130 is above the maximum 120" in e for e in errors)
    assert any("/LB/LBORRES: unit 'mmol/L' is not one of" in e for e in errors)


def test_duplicate_form_codes_are_rejected(records: ClinicalRecords) -> None:
    study = OdmStudy("X", (), False, date(2025, 1, 1))
    form = describe_form(LABS_FORM)
    with pytest.raises(DomainError, match=r"forms\.code"):
        odm_xml(study, (form, form), created=CREATED)
    assert odm_schema_errors(odm_xml(study, (form,), created=CREATED)) == []


def test_simulated_exports_say_so(document: bytes) -> None:
    tree = etree.fromstring(document)
    assert tree.get("Description", "").startswith("SIMULATED DATA: not results of NCT07304388")
    assert "SIMULATED DATA" in (tree.findtext(".//odm:StudyDescription", namespaces=NS) or "")


def test_write_odm_writes_a_valid_file(records: ClinicalRecords, tmp_path: Path) -> None:
    path = write_odm(records, tmp_path / "odm", created=CREATED)
    assert path.name == "odm.xml" and odm_schema_errors(path.read_bytes()) == []
