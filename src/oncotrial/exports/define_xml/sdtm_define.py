"""Define-XML 2.1 of the SDTM export (CDISC Define-XML v2.1 specification; research/standards.md §1.5).

Everything comes from the specification table (:mod:`oncotrial.exports.sdtm.spec`) and the
built datasets: one ``ItemGroupDef`` per domain (``Purpose="Tabulation"``, ``def:Class``,
``def:leaf`` to the XPT file), one ``ItemDef`` per variable (``Length`` = the longest value
actually stored, FDA Technical Conformance Guide), ``def:Origin`` from the spec, and one
``CodeList`` per codelist used, with its NCI C-code (``Alias Context="nci:ExtCodeID"``) and
``def:ExtendedValue="Yes"`` on sponsor extensions. Simulated data say so in the study and
metadata-version descriptions.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.exports.adam.metadata import Dataset, VarType
from oncotrial.exports.define_xml.validate import validate_define
from oncotrial.exports.sdtm.metadata import Core, SdtmOrigin, SdtmVariable
from oncotrial.exports.sdtm.package import SdtmPackage
from oncotrial.exports.sdtm.spec import CODELISTS, EXTENSIONS, SPECS
from oncotrial.exports.sdtm.trial_design import CT_VERSION

ODM = "http://www.cdisc.org/ns/odm/v1.3"
DEF = "http://www.cdisc.org/ns/def/v2.1"
XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: ODM, "def": DEF, "xlink": XLINK}
SOURCES = {
    SdtmOrigin.COLLECTED: "Investigator",
    SdtmOrigin.DERIVED: "Sponsor",
    SdtmOrigin.ASSIGNED: "Sponsor",
    SdtmOrigin.PROTOCOL: "Sponsor",
}


def _o(tag: str) -> str:
    return f"{{{ODM}}}{tag}"


def _d(tag: str) -> str:
    return f"{{{DEF}}}{tag}"


def _description(parent: etree._Element, text: str) -> None:
    desc = etree.SubElement(parent, _o("Description"))
    etree.SubElement(desc, _o("TranslatedText"), {XML_LANG: "en"}).text = text


def _data_type(var: SdtmVariable) -> str:
    if var.type is VarType.NUM:
        return "float" if var.decimal else "integer"
    if var.name.endswith("DTC"):
        return "date"
    return "text"


def _length(ds: Dataset, var: SdtmVariable) -> int:
    if var.type is VarType.NUM:
        return 8
    return max((len(str(v)) for v in ds.column(var.name) if v not in (None, "")), default=1)


def sdtm_define_xml(package: SdtmPackage, *, created: datetime, software_version: str = "0.1.0") -> bytes:
    """The Define-XML 2.1 document (UTF-8 bytes) describing ``package``'s XPT files."""
    simulated = "SIMULATED DATA: not results of NCT07304388. " if package.simulated else ""
    root = etree.Element(
        _o("ODM"),
        nsmap=NSMAP,
        attrib={
            "FileType": "Snapshot",
            "FileOID": f"DEF.{package.study_id}.SDTM",
            "ODMVersion": "1.3.2",
            "CreationDateTime": created.isoformat(timespec="seconds"),
            "Originator": "Oncotrial",
            "SourceSystem": "Oncotrial",
            "SourceSystemVersion": software_version,
            _d("Context"): "Submission",
        },
    )
    study = etree.SubElement(root, _o("Study"), OID=f"ST.{package.study_id}")
    glob = etree.SubElement(study, _o("GlobalVariables"))
    etree.SubElement(glob, _o("StudyName")).text = package.study_id
    etree.SubElement(glob, _o("StudyDescription")).text = f"{simulated}SDTM tabulation of {package.study_id}"
    etree.SubElement(glob, _o("ProtocolName")).text = package.study_id
    mdv = etree.SubElement(
        study,
        _o("MetaDataVersion"),
        {
            "OID": "MDV.SDTM",
            "Name": f"{package.study_id} SDTM",
            "Description": f"{simulated}SDTMIG 3.4 datasets",
            _d("DefineVersion"): "2.1.0",
        },
    )
    standards = etree.SubElement(mdv, _d("Standards"))
    etree.SubElement(
        standards,
        _d("Standard"),
        OID="STD.SDTMIG.3.4",
        Name="SDTMIG",
        Type="IG",
        Version="3.4",
        Status="Final",
    )
    etree.SubElement(
        standards,
        _d("Standard"),
        OID="STD.SDTM.CT",
        Name="CDISC/NCI",
        Type="CT",
        PublishingSet="SDTM",
        Version=CT_VERSION,
        Status="Final",
    )
    used_codelists: list[str] = []
    item_defs: list[etree._Element] = []
    for ds in package.datasets:
        spec = SPECS[ds.name]
        group = etree.SubElement(
            mdv,
            _o("ItemGroupDef"),
            {
                "OID": f"IG.{ds.name}",
                "Domain": ds.name,
                "Name": ds.name,
                "Repeating": "No" if ds.name == "DM" else "Yes",
                "IsReferenceData": "Yes" if spec.observation_class == "TRIAL DESIGN" else "No",
                "SASDatasetName": ds.name,
                "Purpose": "Tabulation",
                _d("Structure"): spec.structure,
                _d("StandardOID"): "STD.SDTMIG.3.4",
                _d("ArchiveLocationID"): f"LF.{ds.name}",
            },
        )
        _description(group, ds.label)
        for order, var in enumerate(spec.variables, start=1):
            ref = {
                "ItemOID": f"IT.{ds.name}.{var.name}",
                "OrderNumber": str(order),
                "Mandatory": "Yes" if var.core is Core.REQ else "No",
            }
            if var.name in spec.keys:
                ref["KeySequence"] = str(spec.keys.index(var.name) + 1)
            ref["Role"] = var.role
            etree.SubElement(group, _o("ItemRef"), ref)
            item_defs.append(_item_def(ds, var))
            if var.codelist and var.codelist not in used_codelists:
                used_codelists.append(var.codelist)
        etree.SubElement(group, _d("Class"), Name=spec.observation_class)
        leaf = etree.SubElement(
            group, _d("leaf"), {"ID": f"LF.{ds.name}", f"{{{XLINK}}}href": f"{ds.name.lower()}.xpt"}
        )
        etree.SubElement(leaf, _d("title")).text = f"{ds.name.lower()}.xpt"
    mdv.extend(item_defs)
    for name in used_codelists:
        mdv.append(_codelist(name))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _item_def(ds: Dataset, var: SdtmVariable) -> etree._Element:
    attrs = {
        "OID": f"IT.{ds.name}.{var.name}",
        "Name": var.name,
        "DataType": _data_type(var),
        "SASFieldName": var.name,
    }
    if attrs["DataType"] != "date":
        attrs["Length"] = str(_length(ds, var))
    item = etree.Element(_o("ItemDef"), attrs)
    _description(item, var.label)
    if var.codelist:
        etree.SubElement(item, _o("CodeListRef"), CodeListOID=f"CL.{var.codelist}")
    origin = etree.SubElement(item, _d("Origin"), Type=var.origin.value)
    origin.set("Source", SOURCES[var.origin])
    return item


def _codelist(name: str) -> etree._Element:
    code, _extensible, terms = CODELISTS[name]
    cl = etree.Element(_o("CodeList"), {"OID": f"CL.{name}", "Name": name, "DataType": "text"})
    if code:
        cl.set(_d("StandardOID"), "STD.SDTM.CT")
    for order, term in enumerate(terms, start=1):
        item = etree.SubElement(cl, _o("EnumeratedItem"), CodedValue=term, OrderNumber=str(order))
        if (name, term) in EXTENSIONS:
            item.set(_d("ExtendedValue"), "Yes")
    if code:
        etree.SubElement(cl, _o("Alias"), Name=code, Context="nci:ExtCodeID")
    return cl


def write_sdtm_define(package: SdtmPackage, folder: Path, *, created: datetime) -> Path:
    """Build, validate against the Define-XML 2.1 XSD, and write ``<folder>/define.xml``."""
    document = sdtm_define_xml(package, created=created)
    validate_define(document)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "define.xml"
    path.write_bytes(document)
    return path
