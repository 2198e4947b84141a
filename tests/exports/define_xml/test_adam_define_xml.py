"""Define-XML 2.1 of the SIMULATED ADaM export, validated against the official XSDs shipped in odmlib."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError
from oncotrial.exports.adam import AdamPackage, build_simulated_demo_adam
from oncotrial.exports.define_xml import (
    adam_define_xml,
    define_schema_errors,
    validate_define,
    write_adam_define,
)
from oncotrial.protocol_files import load_default_protocol

CREATED = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3", "def": "http://www.cdisc.org/ns/def/v2.1"}


@pytest.fixture(scope="module")
def package() -> AdamPackage:
    return build_simulated_demo_adam(protocol=load_default_protocol())


@pytest.fixture(scope="module")
def tree(package: AdamPackage) -> etree._Element:
    return etree.fromstring(adam_define_xml(package, created=CREATED))


def test_the_adam_define_xml_is_valid_against_the_define_2_1_xsd(tree: etree._Element) -> None:
    assert define_schema_errors(etree.tostring(tree)) == []


def test_an_adam_class_outside_the_define_terminology_is_rejected(tree: etree._Element) -> None:
    broken = etree.fromstring(etree.tostring(tree))
    cls = broken.find(".//def:Class", NS)
    assert cls is not None
    cls.set("Name", "OCCDS")  # the ADaM abbreviation, not the Define-XML 2.1 class term
    errors = define_schema_errors(etree.tostring(broken))
    assert errors and "OCCDS" in errors[0]
    with pytest.raises(DomainError, match=r"define\.xml"):
        validate_define(etree.tostring(broken))


def test_analysis_datasets_with_classes_and_every_variable(package: AdamPackage,
                                                           tree: etree._Element) -> None:
    groups = {g.get("Name"): g for g in tree.iterfind(".//odm:ItemGroupDef", NS)}
    assert list(groups) == ["ADSL", "ADTTE", "ADRS", "ADAE", "ADLB"]
    assert {g.get("Purpose") for g in groups.values()} == {"Analysis"}
    classes = {n: (g.find("def:Class", NS).get("Name"),
                   [s.get("Name") for s in g.iterfind("def:Class/def:SubClass", NS)])
               for n, g in groups.items()}
    assert classes["ADSL"] == ("SUBJECT LEVEL ANALYSIS DATASET", [])
    assert classes["ADTTE"] == ("BASIC DATA STRUCTURE", ["TIME-TO-EVENT"])
    assert classes["ADAE"] == ("OCCURRENCE DATA STRUCTURE", ["ADVERSE EVENT"])
    for ds in package.datasets:
        refs = [r.get("ItemOID") for r in groups[ds.name].iterfind("odm:ItemRef", NS)]
        assert refs == [f"IT.{ds.name}.{v}" for v in ds.spec.names]


def test_derived_variables_point_at_a_method_with_the_spec_derivation(tree: etree._Element) -> None:
    ref = tree.find(".//odm:ItemGroupDef[@Name='ADLB']/odm:ItemRef[@ItemOID='IT.ADLB.CHG']", NS)
    assert ref is not None and ref.get("MethodOID") == "MT.ADLB.CHG"
    method = tree.find(".//odm:MethodDef[@OID='MT.ADLB.CHG']", NS)
    assert method is not None and "AVAL - BASE" in "".join(method.itertext())


def test_paramcd_codelists_list_the_codes_present_decoded_by_param(tree: etree._Element) -> None:
    cl = tree.find(".//odm:CodeList[@OID='CL.ADLB.PARAMCD']", NS)
    assert cl is not None
    items = {i.get("CodedValue"): "".join(i.itertext()).strip() for i in cl.iterfind("odm:CodeListItem", NS)}
    assert items["HGB"] == "Hemoglobin (g/L)" and len(items) == 6


def test_numeric_dates_are_integers_displayed_as_date9(tree: etree._Element) -> None:
    item = tree.find(".//odm:ItemDef[@OID='IT.ADSL.RANDDT']", NS)
    assert item is not None
    assert (item.get("DataType"), item.get(f"{{{NS['def']}}}DisplayFormat")) == ("integer", "DATE9.")


def test_the_metadata_says_simulated(tree: etree._Element) -> None:
    assert b"SIMULATED DATA: not results of NCT07304388" in etree.tostring(tree)


def test_write_adam_define_writes_a_valid_file(package: AdamPackage, tmp_path: Path) -> None:
    path = write_adam_define(package, tmp_path / "adam", created=CREATED)
    assert path.name == "define.xml" and define_schema_errors(path.read_bytes()) == []
