"""CDISC ODM 1.3.2 document: eCRF metadata (forms) and, optionally, clinical data (CDISC ODM
Specification v1.3.2, 2013; research/standards.md §6).

Layout: one ``Study`` with ``BasicDefinitions`` (a ``MeasurementUnit`` per unit any form
accepts) and one ``MetaDataVersion``; two study events, ``SE.SUBJECT`` (subject-level forms,
not repeating) and ``SE.VISIT`` (visit-bound forms, repeating, ``StudyEventRepeatKey`` = the
visit code); ``FormDef`` ``F.<form>``; ``ItemGroupDef`` ``IG.<form>`` for the form's fields and
``IG.<form>.<table>`` (repeating) per table field; ``ItemDef`` ``IT.<form>.<field>`` (or
``IT.<form>.<table>.<column>``); ``CodeList`` ``CL.<item OID without IT.>`` per choice field.
``AdminData`` lists the sites; ``ClinicalData`` holds one ``SubjectData`` per subject with
its ``SiteRef``. Simulated exports say so in ``ODM/@Description`` and ``StudyDescription``.
Before writing, :func:`odm_data_errors` checks every value against its ItemDef (form and
item declared, data type, code list, unit, required), which the XSD cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError
from oncotrial.exports.odm.forms import FieldDescription, FieldKind, FormDescription
from oncotrial.exports.odm.record_forms import FormData, ItemValue, SubjectData, value_text

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SIMULATED = "SIMULATED DATA: not results of NCT07304388"
DATA_TYPES = {FieldKind.INTEGER: "integer", FieldKind.DECIMAL: "float", FieldKind.TEXT: "text",
              FieldKind.DATE: "date", FieldKind.CHOICE: "text", FieldKind.BOOLEAN: "boolean",
              FieldKind.MEASUREMENT: "float"}


@dataclass(frozen=True, slots=True)
class OdmStudy:
    """What the document says about the study: identifier, sites, SIMULATED or not."""

    study_id: str
    sites: tuple[tuple[str, str], ...]
    """(site code, name)."""
    simulated: bool
    effective: date
    """``MetaDataVersionRef/@EffectiveDate`` of each site (the data cut-off)."""


def _o(tag: str) -> str:
    return f"{{{ODM_NS}}}{tag}"


def _text(parent: etree._Element, tag: str, text: str) -> None:
    el = etree.SubElement(parent, _o(tag))
    etree.SubElement(el, _o("TranslatedText"), {XML_LANG: "en"}).text = text


def unit_oid(unit: str) -> str:
    """``MU.`` + the unit with every character outside [A-Za-z0-9] spelled as its code point."""
    return "MU." + re.sub(r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group()):X}_", unit)


def _groups(form: FormDescription) -> Iterator[tuple[str, str, bool, tuple[FieldDescription, ...]]]:
    """(ItemGroup OID, item OID prefix, repeating, fields) of a form: its fields, then each table."""
    plain = tuple(f for f in form.fields if f.kind is not FieldKind.TABLE)
    yield f"IG.{form.code}", f"IT.{form.code}.", False, plain
    for table in (f for f in form.fields if f.kind is FieldKind.TABLE):
        yield f"IG.{form.code}.{table.name}", f"IT.{form.code}.{table.name}.", True, table.columns


def _check_forms(forms: Sequence[FormDescription]) -> None:
    seen: set[str] = set()
    for form in forms:
        if not form.code or form.code in seen:
            raise DomainError("forms.code", form.code, "a unique non-empty form code per form",
                              "rename one of the forms")
        seen.add(form.code)


def odm_xml(study: OdmStudy, forms: Sequence[FormDescription], subjects: Sequence[SubjectData] = (), *,
            created: datetime, software_version: str = "0.1.0") -> bytes:
    """The ODM 1.3.2 document (UTF-8 bytes): metadata of ``forms`` and the data of ``subjects``."""
    _check_forms(forms)
    label = f"{SIMULATED}. " if study.simulated else ""
    root = etree.Element(_o("ODM"), nsmap={None: ODM_NS}, attrib={
        "FileType": "Snapshot", "Granularity": "All" if subjects else "Metadata",
        "FileOID": f"ODM.{study.study_id}", "CreationDateTime": created.isoformat(timespec="seconds"),
        "ODMVersion": "1.3.2", "Originator": "Oncotrial", "SourceSystem": "Oncotrial",
        "SourceSystemVersion": software_version, "Description": f"{label}eCRF metadata and clinical data"})
    st = etree.SubElement(root, _o("Study"), OID=f"ST.{study.study_id}")
    glob = etree.SubElement(st, _o("GlobalVariables"))
    etree.SubElement(glob, _o("StudyName")).text = study.study_id
    etree.SubElement(glob, _o("StudyDescription")).text = f"{label}eCRFs of {study.study_id}"
    etree.SubElement(glob, _o("ProtocolName")).text = study.study_id
    units = sorted({u for form in forms for *_, fields in _groups(form) for f in fields for u in f.units})
    if units:
        basic = etree.SubElement(st, _o("BasicDefinitions"))
        for unit in units:
            mu = etree.SubElement(basic, _o("MeasurementUnit"), OID=unit_oid(unit), Name=unit)
            _text(mu, "Symbol", unit)
    _metadata(st, forms)
    if study.sites:
        admin = etree.SubElement(root, _o("AdminData"), StudyOID=f"ST.{study.study_id}")
        for code, name in study.sites:
            loc = etree.SubElement(admin, _o("Location"), OID=f"LOC.{code}", Name=name, LocationType="Site")
            etree.SubElement(loc, _o("MetaDataVersionRef"), StudyOID=f"ST.{study.study_id}",
                             MetaDataVersionOID="MDV.1", EffectiveDate=study.effective.isoformat())
    if subjects:
        visit_bound = {f.code: f.visit_bound for f in forms}
        repeating = {f.code: f.repeating for f in forms}
        clinical = etree.SubElement(root, _o("ClinicalData"), StudyOID=f"ST.{study.study_id}",
                                    MetaDataVersionOID="MDV.1")
        for s in subjects:
            _subject(clinical, s, forms, visit_bound, repeating)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _metadata(st: etree._Element, forms: Sequence[FormDescription]) -> None:
    mdv = etree.SubElement(st, _o("MetaDataVersion"), OID="MDV.1", Name="eCRF metadata")
    events = [("SE.SUBJECT", "Subject-level forms", False, [f for f in forms if not f.visit_bound]),
              ("SE.VISIT", "Visit", True, [f for f in forms if f.visit_bound])]
    events = [e for e in events if e[3]]
    protocol = etree.SubElement(mdv, _o("Protocol"))
    for order, (oid, *_rest) in enumerate(events, start=1):
        etree.SubElement(protocol, _o("StudyEventRef"), StudyEventOID=oid, OrderNumber=str(order),
                         Mandatory="Yes" if oid == "SE.SUBJECT" else "No")
    for oid, name, repeating, members in events:
        event = etree.SubElement(mdv, _o("StudyEventDef"), OID=oid, Name=name,
                                 Repeating="Yes" if repeating else "No",
                                 Type="Scheduled" if repeating else "Common")
        for order, form in enumerate(members, start=1):
            etree.SubElement(event, _o("FormRef"), FormOID=f"F.{form.code}", OrderNumber=str(order),
                             Mandatory="No")
    for form in forms:
        fd = etree.SubElement(mdv, _o("FormDef"), OID=f"F.{form.code}", Name=form.title,
                              Repeating="Yes" if form.repeating else "No")
        if form.description:
            _text(fd, "Description", form.description)
        for order, (group, *_rest) in enumerate(_groups(form), start=1):
            etree.SubElement(fd, _o("ItemGroupRef"), ItemGroupOID=group, OrderNumber=str(order),
                             Mandatory="Yes" if order == 1 else "No")
    items: list[etree._Element] = []
    codelists: list[etree._Element] = []
    for form in forms:
        for group, prefix, repeating, fields in _groups(form):
            ig = etree.SubElement(mdv, _o("ItemGroupDef"), OID=group,
                                  Name=group.removeprefix("IG."), Repeating="Yes" if repeating else "No")
            for order, f in enumerate(fields, start=1):
                etree.SubElement(ig, _o("ItemRef"), ItemOID=prefix + f.name, OrderNumber=str(order),
                                 Mandatory="Yes" if f.required else "No")
                items.append(_item_def(prefix + f.name, f))
                if f.kind is FieldKind.CHOICE and f.choices:  # no choices yet: a plain text item
                    codelists.append(_codelist(prefix + f.name, f))
    mdv.extend(items)
    mdv.extend(codelists)


def _item_def(oid: str, f: FieldDescription) -> etree._Element:
    attrs = {"OID": oid, "Name": f.name, "DataType": DATA_TYPES[f.kind]}
    if f.kind is FieldKind.TEXT:
        attrs["Length"] = str(f.max_length)
    elif f.kind is FieldKind.CHOICE:
        attrs["Length"] = str(max((len(c) for c, _ in f.choices), default=1))
    item = etree.Element(_o("ItemDef"), attrs)
    _text(item, "Question", f.label)
    for unit in f.units:
        etree.SubElement(item, _o("MeasurementUnitRef"), MeasurementUnitOID=unit_oid(unit))
    for comparator, bound in (("GE", f.minimum), ("LE", f.maximum)):
        if bound is not None and f.kind in (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.MEASUREMENT):
            check = etree.SubElement(item, _o("RangeCheck"), Comparator=comparator, SoftHard="Hard")
            etree.SubElement(check, _o("CheckValue")).text = value_text(
                int(bound) if f.kind is FieldKind.INTEGER else float(bound))
    if f.kind is FieldKind.CHOICE and f.choices:
        etree.SubElement(item, _o("CodeListRef"), CodeListOID="CL." + oid.removeprefix("IT."))
    return item


def _codelist(oid: str, f: FieldDescription) -> etree._Element:
    cl = etree.Element(_o("CodeList"), OID="CL." + oid.removeprefix("IT."), Name=f.label, DataType="text")
    for order, (code, label) in enumerate(f.choices, start=1):
        item = etree.SubElement(cl, _o("CodeListItem"), CodedValue=code, OrderNumber=str(order))
        _text(item, "Decode", label)
    return cl


def _subject(clinical: etree._Element, s: SubjectData, forms: Sequence[FormDescription],
             visit_bound: dict[str, bool], repeating: dict[str, bool]) -> None:
    sd = etree.SubElement(clinical, _o("SubjectData"), SubjectKey=s.subject_id)
    etree.SubElement(sd, _o("SiteRef"), LocationOID=f"LOC.{s.site_code}")
    if s.subject_forms:
        event = etree.SubElement(sd, _o("StudyEventData"), StudyEventOID="SE.SUBJECT")
        _forms(event, s.subject_forms, repeating)
    for visit in s.visits:
        event = etree.SubElement(sd, _o("StudyEventData"), StudyEventOID="SE.VISIT",
                                 StudyEventRepeatKey=visit.code)
        _forms(event, visit.forms, repeating)


def _forms(event: etree._Element, forms: Sequence[FormData], repeating: dict[str, bool]) -> None:
    counters: dict[str, int] = {}
    for form in forms:
        attrs = {"FormOID": f"F.{form.form}"}
        if repeating.get(form.form):
            counters[form.form] = counters.get(form.form, 0) + 1
            attrs["FormRepeatKey"] = str(counters[form.form])
        fd = etree.SubElement(event, _o("FormData"), attrs)
        _items(etree.SubElement(fd, _o("ItemGroupData"), ItemGroupOID=f"IG.{form.form}"),
               f"IT.{form.form}.", form.values)
        for table, rows in form.tables:
            for key, row in enumerate(rows, start=1):
                group = etree.SubElement(fd, _o("ItemGroupData"), ItemGroupOID=f"IG.{form.form}.{table}",
                                         ItemGroupRepeatKey=str(key))
                _items(group, f"IT.{form.form}.{table}.", row)


def _items(group: etree._Element, prefix: str, values: Sequence[ItemValue]) -> None:
    for v in values:
        text = value_text(v.value)
        if text is None:
            continue
        item = etree.SubElement(group, _o("ItemData"), ItemOID=prefix + v.name, Value=text)
        if v.unit is not None:
            etree.SubElement(item, _o("MeasurementUnitRef"), MeasurementUnitOID=unit_oid(v.unit))


def odm_data_errors(forms: Sequence[FormDescription], subjects: Sequence[SubjectData]) -> list[str]:
    """Every value that does not fit its declared item, as ``subject/form/item: message``."""
    fields: dict[str, dict[str, FieldDescription]] = {}
    for form in forms:
        for _, prefix, _, members in _groups(form):
            fields[prefix] = {f.name: f for f in members}
    errors: list[str] = []
    for s in subjects:
        filled = [*s.subject_forms, *(f for v in s.visits for f in v.forms)]
        for data in filled:
            groups = [(f"IT.{data.form}.", data.values)] + [
                (f"IT.{data.form}.{t}.", row) for t, rows in data.tables for row in rows]
            for prefix, values in groups:
                declared = fields.get(prefix)
                if declared is None:
                    errors.append(f"{s.subject_id}/{data.form}: form or table {prefix!r} is not declared")
                    continue
                given = {v.name for v in values if value_text(v.value) is not None}
                errors.extend(f"{s.subject_id}/{data.form}/{name}: required value is missing"
                              for name, f in declared.items() if f.required and name not in given)
                for v in values:
                    message = _value_error(declared.get(v.name), v)
                    if message:
                        errors.append(f"{s.subject_id}/{data.form}/{v.name}: {message}")
    return errors


def _value_error(f: FieldDescription | None, v: ItemValue) -> str | None:
    if f is None:
        return "item is not declared"
    if v.value is None:
        return None
    kind, value = f.kind, v.value
    if kind is FieldKind.BOOLEAN and not isinstance(value, bool):
        return f"{value!r} is not a boolean"
    if kind is FieldKind.DATE and not isinstance(value, date):
        return f"{value!r} is not a date"
    if kind is FieldKind.INTEGER and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{value!r} is not an integer"
    if kind in (FieldKind.DECIMAL, FieldKind.MEASUREMENT) and (
            isinstance(value, bool) or not isinstance(value, int | float)):
        return f"{value!r} is not a number"
    if kind is FieldKind.CHOICE and str(value) not in {c for c, _ in f.choices}:
        return f"{value!r} is not one of {[c for c, _ in f.choices]}"
    if kind is FieldKind.MEASUREMENT and v.unit not in f.units:
        return f"unit {v.unit!r} is not one of {list(f.units)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if f.minimum is not None and value < f.minimum:
            return f"{value!r} is below the minimum {f.minimum}"
        if f.maximum is not None and value > f.maximum:
            return f"{value!r} is above the maximum {f.maximum}"
    return None
