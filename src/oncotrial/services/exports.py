"""Standards exports of the application's database, as files to download (issue 8).

:func:`build_export` makes one file from the database, with the same writers and checks as
the ``oncotrial export … --database`` commands: SDTM (zip: XPT v5 read back and compared,
Dataset-JSON 1.1, define.xml validated against the Define-XML 2.1 XSD), ADaM (zip: the same,
with the ADaM conformance checks), ODM 1.3.2 (XSD-validated), a FHIR R4 bundle (fhir.resources
models and references checked) and the ClinicalTrials.gov study JSON with its results section
(strict schema and registry rules). :func:`do_download_export` is the use case: data managers
and statisticians only (``Action.EXPORT_DATA``), one audit row per download
(``download_export``: kind, file, format, record counts). SIMULATED data say so in the file
name (``.SIMULATED.``), in a ``SIMULATED.txt`` inside each zip and in the files' own metadata.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Final

from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.exports.clinical_records import ClinicalRecords
from oncotrial.exports.odm.forms import FormDescription
from oncotrial.persistence.models import User
from oncotrial.services import clock
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.clinical_records_export import clinical_records_from_database
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.protocol import current_protocol
from oncotrial.services.simulated import SIMULATED_LABEL
from oncotrial.services.trial_dataset import trial_dataset


class ExportKind(StrEnum):
    SDTM = "sdtm"
    ADAM = "adam"
    ODM = "odm"
    FHIR = "fhir"
    CTGOV = "ctgov"


@dataclass(frozen=True, slots=True)
class ExportInfo:
    title: str
    description: str
    file_format: str


EXPORTS: Final[dict[ExportKind, ExportInfo]] = {
    ExportKind.SDTM: ExportInfo("CDISC SDTM (IG 3.4)", "every domain as SAS XPORT v5 and Dataset-JSON 1.1, "
                                "with define.xml (Define-XML 2.1)", "zip"),
    ExportKind.ADAM: ExportInfo("CDISC ADaM", "ADSL, ADTTE, ADRS, ADAE, ADLB as SAS XPORT v5 and "
                                "Dataset-JSON 1.1, with define.xml", "zip"),
    ExportKind.ODM: ExportInfo("CDISC ODM 1.3.2", "eCRF metadata and clinical data (XML)", "xml"),
    ExportKind.FHIR: ExportInfo("HL7 FHIR R4 bundle", "ResearchStudy, Patients, Conditions, Observations "
                                "and MedicationAdministrations (mCODE style, JSON)", "json"),
    ExportKind.CTGOV: ExportInfo("ClinicalTrials.gov study with results", "API v2 study JSON with its "
                                 "results section", "json"),
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    kind: ExportKind
    name: str
    content: bytes
    content_type: str
    simulated: bool
    counts: dict[str, int] = field(default_factory=dict)
    """Records per dataset (or resources per type) in the file."""


def parse_kind(value: object) -> ExportKind:
    try:
        return ExportKind(str(value))
    except ValueError:
        raise DomainError("kind", value, "one of " + ", ".join(k.value for k in ExportKind)) from None


def file_name(study_id: str, kind: ExportKind, simulated: bool) -> str:
    return f"{study_id}{'.SIMULATED' if simulated else ''}.{kind.value}.{EXPORTS[kind].file_format}"


def _zip(folder: Path, simulated: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if simulated:
            archive.writestr("SIMULATED.txt", SIMULATED_LABEL + "\n")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _sdtm(records: ClinicalRecords, created: datetime) -> tuple[bytes, dict[str, int]]:
    from oncotrial.exports.define_xml import write_sdtm_define
    from oncotrial.exports.sdtm.files import write_sdtm_json, write_sdtm_xpt
    from oncotrial.exports.sdtm.package import build_sdtm

    package = build_sdtm(records)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_sdtm_xpt(package, folder)
        write_sdtm_json(package, folder, created=created)
        write_sdtm_define(package, folder, created=created)
        return _zip(folder, package.simulated), {d.name: len(d.rows) for d in package.datasets}


def _adam(records: ClinicalRecords, created: datetime) -> tuple[bytes, dict[str, int]]:
    from oncotrial.exports.adam import build_adam, check_adam
    from oncotrial.exports.dataset_json import write_dataset_json
    from oncotrial.exports.define_xml import write_adam_define
    from oncotrial.exports.xpt import verify_xpt, write_xpt

    dataset = trial_dataset(cutoff=records.study.cutoff)
    package = build_adam(dataset.data, protocol=records.study.protocol, records=records)
    findings = check_adam(package.datasets)
    if findings:
        raise DomainError(f"{findings[0].dataset}.{findings[0].variable}", findings[0].message,
                          "a conformant ADaM dataset", f"{len(findings)} finding(s) in all")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for ds in package.datasets:
            verify_xpt(ds, write_xpt(ds, folder))
            write_dataset_json(ds, folder, created=created)
        write_adam_define(package, folder, created=created)
        return _zip(folder, package.simulated), {d.name: len(d.rows) for d in package.datasets}


def application_forms() -> tuple[FormDescription, ...]:
    """The application's own eCRF declarations (``services/forms``) as ODM form metadata."""
    from oncotrial.exports.odm.forms import describe_forms
    from oncotrial.services.forms import FORMS

    return describe_forms(FORMS.values())


def _odm(records: ClinicalRecords, created: datetime) -> tuple[bytes, dict[str, int]]:
    from oncotrial.exports.odm.package import clinical_records_odm
    from oncotrial.exports.odm.validate import validate_odm

    document = clinical_records_odm(records, created=created, extra_forms=application_forms())
    validate_odm(document)
    return document, {"subjects": len(records.subjects)}


def _fhir(records: ClinicalRecords, created: datetime) -> tuple[bytes, dict[str, int]]:
    from oncotrial.exports.fhir import build_bundle, bundle_issues

    bundle = build_bundle(records)
    issues = bundle_issues(bundle)
    if issues:
        raise DomainError(issues[0].where, issues[0].message, "a valid FHIR R4 bundle",
                          f"{len(issues)} issue(s) in all")
    counts: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    return (json.dumps(bundle, indent=1, ensure_ascii=False) + "\n").encode("utf-8"), counts


def _ctgov(records: ClinicalRecords, created: datetime) -> tuple[bytes, dict[str, int]]:
    from oncotrial.exports.ctgov.results_common import simulated_label
    from oncotrial.exports.ctgov.results_rules import check_results
    from oncotrial.exports.ctgov.results_section import export_study_with_results, inputs_from_report_extras
    from oncotrial.exports.ctgov.schema import check_study, load_study_schema

    protocol = records.study.protocol
    dataset = trial_dataset(cutoff=records.study.cutoff)
    exported, _ = export_study_with_results(protocol, dataset.data,
                                            inputs=inputs_from_report_extras(dataset.extras))
    check_study(exported.study, load_study_schema(None))
    simulated = dataset.data.simulated
    check_results(exported.study, simulated_label=simulated_label(protocol.identification.nct_id)
                  if simulated else None)
    participants = exported.study.get("resultsSection", {}).get("participantFlowModule", {})
    counts = {"participant_flow_groups": len(participants.get("groups", []))}
    return (json.dumps(exported.study, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), counts


_BUILDERS: Final[dict[ExportKind, tuple[Callable[[ClinicalRecords, datetime], tuple[bytes, dict[str, int]]],
                                         str]]] = {
    ExportKind.SDTM: (_sdtm, "application/zip"),
    ExportKind.ADAM: (_adam, "application/zip"),
    ExportKind.ODM: (_odm, "application/xml"),
    ExportKind.FHIR: (_fhir, "application/fhir+json"),
    ExportKind.CTGOV: (_ctgov, "application/json"),
}


def build_export(kind: ExportKind, *, records: ClinicalRecords | None = None,
                 created: datetime | None = None) -> ExportFile:
    """Build, check and validate one export of the database (DomainError on any failed check)."""
    records = records or clinical_records_from_database()
    created = created or clock.now().astimezone(UTC).replace(microsecond=0)
    builder, content_type = _BUILDERS[kind]
    content, counts = builder(records, created)
    simulated = records.study.simulated
    return ExportFile(kind, file_name(records.study.study_id, kind, simulated), content, content_type,
                      simulated, counts)


def do_download_export(ctx: AuditContext, user: User, kind: ExportKind) -> ExportFile:
    """One export for a data manager or statistician; the download is audited (who, what, format,
    record counts) in the same transaction as nothing else: the export changes no data."""
    check_permission(user, Action.EXPORT_DATA)
    exported = build_export(kind)
    with transaction.atomic():
        record(ctx, "download_export", "export", kind.value, changes={"download": (None, {
            "kind": kind.value, "file": exported.name, "format": EXPORTS[kind].file_format,
            "simulated": exported.simulated, "records": exported.counts,
            "protocol": current_protocol().identification.nct_id})})
    return exported
