"""Define-XML 2.1 of the SIMULATED SDTM export, validated against the official XSDs shipped in odmlib."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError
from oncotrial.exports.clinical_records import clinical_records_from_simulated_demo
from oncotrial.exports.define_xml import (
    define_schema_errors,
    sdtm_define_xml,
    validate_define,
    write_sdtm_define,
)
from oncotrial.exports.sdtm.package import SdtmPackage, build_sdtm

CREATED = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3", "def": "http://www.cdisc.org/ns/def/v2.1"}


@pytest.fixture(scope="module")
def package() -> SdtmPackage:
    return build_sdtm(clinical_records_from_simulated_demo(20230801))


@pytest.fixture(scope="module")
def document(package: SdtmPackage) -> bytes:
    return sdtm_define_xml(package, created=CREATED)


def test_the_sdtm_define_xml_is_valid_against_the_define_2_1_xsd(document: bytes) -> None:
    assert define_schema_errors(document) == []


def test_an_invalid_define_xml_is_rejected_with_the_xsd_error(document: bytes) -> None:
    tree = etree.fromstring(document)
    item_def = tree.find(".//odm:ItemDef", NS)
    assert item_def is not None
    item_def.set("DataType", "number")  # not a Define-XML 2.1 data type
    broken = etree.tostring(tree)
    errors = define_schema_errors(broken)
    assert errors and "DataType" in errors[0]
    with pytest.raises(DomainError, match=r"define\.xml"):
        validate_define(broken)


def test_a_missing_required_attribute_is_rejected(document: bytes) -> None:
    tree = etree.fromstring(document)
    group = tree.find(".//odm:ItemGroupDef", NS)
    assert group is not None
    del group.attrib["OID"]  # required by ODM 1.3.2
    assert define_schema_errors(etree.tostring(tree))


def test_every_dataset_and_variable_of_the_export_is_described(package: SdtmPackage, document: bytes) -> None:
    tree = etree.fromstring(document)
    groups = {g.get("Name"): g for g in tree.iterfind(".//odm:ItemGroupDef", NS)}
    assert set(groups) == {d.name for d in package.datasets}
    for ds in package.datasets:
        refs = [r.get("ItemOID") for r in groups[ds.name].iterfind("odm:ItemRef", NS)]
        assert refs == [f"IT.{ds.name}.{v}" for v in ds.spec.names]
    leaf = groups["RS"].find("def:leaf", NS)
    assert leaf is not None and leaf.get("{http://www.w3.org/1999/xlink}href") == "rs.xpt"


def test_the_metadata_says_simulated(document: bytes) -> None:
    assert b"SIMULATED DATA: not results of NCT07304388" in document


def test_write_sdtm_define_writes_a_valid_file(package: SdtmPackage, tmp_path: Path) -> None:
    path = write_sdtm_define(package, tmp_path, created=CREATED)
    assert define_schema_errors(path.read_bytes()) == []
