"""Define-XML 2.1 of the ADaM export (CDISC Define-XML v2.1; ADaMIG v1.3; research/standards.md §1.5).

Everything comes from the ADaM specification table (:mod:`oncotrial.exports.adam.spec`) and
the built datasets: one ``ItemGroupDef`` per dataset (``Purpose="Analysis"``, ``def:Class``
with the ADaM class and, for ADTTE and ADAE, ``def:SubClass``; ``def:leaf`` to the XPT file);
one ``ItemDef`` per variable (``Length`` = the longest value stored, numeric dates as
``integer`` with ``def:DisplayFormat="DATE9."``); ``def:Origin`` from the spec
(Predecessor/Assigned with the source as its description); one ``MethodDef`` per derived
variable holding the spec's derivation; one ``CodeList`` per codelist used (NCI C-code alias
where the codelist is CDISC's), and per ``PARAMCD`` a codelist of the codes present, each
decoded by its ``PARAM``. Analysis results metadata (ARM) are not produced.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.exports.adam.metadata import Dataset, Origin, Variable, VarType
from oncotrial.exports.adam.package import AdamPackage
from oncotrial.exports.adam.spec import CODELISTS
from oncotrial.exports.define_xml.sdtm_define import DEF, NSMAP, ODM, XLINK, XML_LANG
from oncotrial.exports.define_xml.validate import validate_define

ADAMIG = "STD.ADAMIG.1.3"
ADAM_CT = "STD.ADAM.CT"
CT_VERSION = "2024-03-29"
"""ADaM controlled terminology version the codelists follow (research/standards.md §9)."""
CLASSES = {
    "SUBJECT LEVEL ANALYSIS DATASET": "SUBJECT LEVEL ANALYSIS DATASET",
    "BASIC DATA STRUCTURE": "BASIC DATA STRUCTURE",
    "OCCDS": "OCCURRENCE DATA STRUCTURE",
}
SUBCLASSES = {"ADTTE": "TIME-TO-EVENT", "ADAE": "ADVERSE EVENT"}
#: NCI C-codes of the CDISC codelists whose terms ours are (a subset of) (SDTM CT).
NCI_CODES = {"NY": "C66742", "SEX": "C66731", "AGEU": "C66781", "NRIND": "C78736"}


def _o(tag: str) -> str:
    return f"{{{ODM}}}{tag}"


def _d(tag: str) -> str:
    return f"{{{DEF}}}{tag}"


def _description(parent: etree._Element, text: str) -> None:
    desc = etree.SubElement(parent, _o("Description"))
    etree.SubElement(desc, _o("TranslatedText"), {XML_LANG: "en"}).text = text


def data_type(var: Variable) -> str:
    """Define-XML 2.1 DataType: text, integer (also numeric SAS dates) or float."""
    if var.type is VarType.CHAR:
        return "text"
    return "float" if var.decimal else "integer"


def _length(ds: Dataset, var: Variable) -> int:
    if var.type is VarType.NUM:
        return 8
    return max((len(str(v)) for v in ds.column(var.name) if v not in (None, "")), default=1)


def _paramcd_terms(ds: Dataset) -> list[tuple[str, str | None]]:
    """(PARAMCD, PARAM) pairs in order of first appearance."""
    seen: dict[str, str | None] = {}
    for row in ds.rows:
        code = row.get("PARAMCD")
        if isinstance(code, str) and code not in seen:
            param = row.get("PARAM")
            seen[code] = param if isinstance(param, str) else None
    return list(seen.items())


def _codelist_oid(ds: Dataset, var: Variable) -> str | None:
    if var.name == "PARAMCD" and "PARAM" in ds.spec.names:
        return f"CL.{ds.name}.PARAMCD" if _paramcd_terms(ds) else None
    return f"CL.{var.codelist}" if var.codelist else None


def adam_define_xml(package: AdamPackage, *, created: datetime, software_version: str = "0.1.0") -> bytes:
    """The Define-XML 2.1 document (UTF-8 bytes) describing ``package``'s XPT files."""
    simulated = "SIMULATED DATA: not results of NCT07304388. " if package.simulated else ""
    root = etree.Element(_o("ODM"), nsmap=NSMAP, attrib={
        "FileType": "Snapshot", "FileOID": f"DEF.{package.trial}.ADAM", "ODMVersion": "1.3.2",
        "CreationDateTime": created.isoformat(timespec="seconds"), "Originator": "Oncotrial",
        "SourceSystem": "Oncotrial", "SourceSystemVersion": software_version, _d("Context"): "Submission"})
    study = etree.SubElement(root, _o("Study"), OID=f"ST.{package.trial}")
    glob = etree.SubElement(study, _o("GlobalVariables"))
    etree.SubElement(glob, _o("StudyName")).text = package.trial
    description = f"{simulated}ADaM analysis datasets of {package.trial}"
    etree.SubElement(glob, _o("StudyDescription")).text = description
    etree.SubElement(glob, _o("ProtocolName")).text = package.trial
    mdv = etree.SubElement(study, _o("MetaDataVersion"), {
        "OID": "MDV.ADAM", "Name": f"{package.trial} ADaM", "Description": f"{simulated}ADaMIG 1.3 datasets",
        _d("DefineVersion"): "2.1.0"})
    standards = etree.SubElement(mdv, _d("Standards"))
    etree.SubElement(standards, _d("Standard"), OID=ADAMIG, Name="ADaMIG", Type="IG", Version="1.3",
                     Status="Final")
    etree.SubElement(standards, _d("Standard"), OID=ADAM_CT, Name="CDISC/NCI", Type="CT",
                     PublishingSet="ADaM", Version=CT_VERSION, Status="Final")
    item_defs: list[etree._Element] = []
    codelists: dict[str, etree._Element] = {}
    methods: list[etree._Element] = []
    for ds in package.datasets:
        group = _item_group(mdv, ds)
        for order, var in enumerate(ds.spec.variables, start=1):
            ref = {"ItemOID": f"IT.{ds.name}.{var.name}", "OrderNumber": str(order),
                   "Mandatory": "Yes" if var.required else "No"}
            keys = [v.name for v in ds.spec.variables if v.key]
            if var.name in keys:
                ref["KeySequence"] = str(keys.index(var.name) + 1)
            if var.origin is Origin.DERIVED:
                ref["MethodOID"] = f"MT.{ds.name}.{var.name}"
                methods.append(_method(ds, var))
            etree.SubElement(group, _o("ItemRef"), ref)
            oid = _codelist_oid(ds, var)
            item_defs.append(_item_def(ds, var, oid))
            if oid is not None and oid not in codelists:
                codelists[oid] = _codelist(ds, var, oid)
        _class_and_leaf(group, ds)
    mdv.extend(item_defs)
    mdv.extend(codelists.values())
    mdv.extend(methods)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _item_group(mdv: etree._Element, ds: Dataset) -> etree._Element:
    group = etree.SubElement(mdv, _o("ItemGroupDef"), {
        "OID": f"IG.{ds.name}", "Domain": ds.name, "Name": ds.name,
        "Repeating": "No" if ds.name == "ADSL" else "Yes", "IsReferenceData": "No",
        "SASDatasetName": ds.name, "Purpose": "Analysis", _d("Structure"): ds.spec.structure,
        _d("StandardOID"): ADAMIG, _d("ArchiveLocationID"): f"LF.{ds.name}"})
    _description(group, ds.label)
    return group


def _class_and_leaf(group: etree._Element, ds: Dataset) -> None:
    cls = etree.SubElement(group, _d("Class"), Name=CLASSES[ds.spec.adam_class])
    if ds.name in SUBCLASSES:
        etree.SubElement(cls, _d("SubClass"), Name=SUBCLASSES[ds.name])
    leaf = etree.SubElement(group, _d("leaf"),
                            {"ID": f"LF.{ds.name}", f"{{{XLINK}}}href": f"{ds.name.lower()}.xpt"})
    etree.SubElement(leaf, _d("title")).text = f"{ds.name.lower()}.xpt"


def _item_def(ds: Dataset, var: Variable, codelist: str | None) -> etree._Element:
    attrs = {"OID": f"IT.{ds.name}.{var.name}", "Name": var.name, "DataType": data_type(var),
             "Length": str(_length(ds, var)), "SASFieldName": var.name}
    if var.display_format:
        attrs[_d("DisplayFormat")] = var.display_format
    item = etree.Element(_o("ItemDef"), attrs)
    _description(item, var.label)
    if codelist is not None:
        etree.SubElement(item, _o("CodeListRef"), CodeListOID=codelist)
    origin = etree.SubElement(item, _d("Origin"), Type=var.origin.value)
    if var.origin is Origin.ASSIGNED:
        origin.set("Source", "Sponsor")
    if var.origin is not Origin.DERIVED:
        _description(origin, var.derivation)
    return item


def _method(ds: Dataset, var: Variable) -> etree._Element:
    method = etree.Element(_o("MethodDef"), OID=f"MT.{ds.name}.{var.name}",
                           Name=f"Algorithm to derive {ds.name}.{var.name}", Type="Computation")
    _description(method, var.derivation)
    return method


def _codelist(ds: Dataset, var: Variable, oid: str) -> etree._Element:
    name = oid.removeprefix("CL.")
    cl = etree.Element(_o("CodeList"), {"OID": oid, "Name": name, "DataType": data_type(var)})
    if var.name == "PARAMCD" and oid.endswith(".PARAMCD"):
        for order, (code, param) in enumerate(_paramcd_terms(ds), start=1):
            item = etree.SubElement(cl, _o("CodeListItem"), CodedValue=code, OrderNumber=str(order))
            decode = etree.SubElement(item, _o("Decode"))
            etree.SubElement(decode, _o("TranslatedText"), {XML_LANG: "en"}).text = param or code
        return cl
    assert var.codelist is not None
    for order, term in enumerate(CODELISTS[var.codelist], start=1):
        etree.SubElement(cl, _o("EnumeratedItem"), CodedValue=term, OrderNumber=str(order))
    if var.codelist in NCI_CODES:
        cl.set(_d("StandardOID"), ADAM_CT)
        etree.SubElement(cl, _o("Alias"), Name=NCI_CODES[var.codelist], Context="nci:ExtCodeID")
    return cl


def write_adam_define(package: AdamPackage, folder: Path, *, created: datetime,
                      name: str = "define.xml") -> Path:
    """Build, validate against the Define-XML 2.1 XSD, and write ``<folder>/<name>``."""
    document = adam_define_xml(package, created=created)
    validate_define(document)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(document)
    return path


