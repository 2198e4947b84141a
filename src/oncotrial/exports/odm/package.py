"""ODM 1.3.2 export of a trial's clinical records: the record forms (plus any application eCRF
descriptions) as metadata, the records as clinical data; checked, XSD-validated and written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from oncotrial.core.errors import DomainError
from oncotrial.exports.clinical_records import ClinicalRecords
from oncotrial.exports.odm.document import OdmStudy, odm_data_errors, odm_xml
from oncotrial.exports.odm.forms import FormDescription
from oncotrial.exports.odm.record_forms import record_form_data, record_forms
from oncotrial.exports.odm.validate import validate_odm


def study_of(records: ClinicalRecords) -> OdmStudy:
    return OdmStudy(records.study.study_id, tuple((s.code, s.name) for s in records.sites),
                    records.study.simulated, records.study.cutoff)


def clinical_records_odm(records: ClinicalRecords, *, created: datetime,
                         extra_forms: Sequence[FormDescription] = ()) -> bytes:
    """ODM 1.3.2 of ``records`` (forms DM, AE, LB, VS, EX, RS and their data) and the metadata of
    ``extra_forms`` (e.g. the application's eCRFs, :func:`~.forms.describe_forms`); values are
    checked against their item definitions first (DomainError naming the first misfit)."""
    forms = (*record_forms(records), *extra_forms)
    subjects = record_form_data(records)
    errors = odm_data_errors(forms, subjects)
    if errors:
        raise DomainError("odm data", errors[0], "values that fit their ODM item definitions",
                          f"{len(errors)} misfit value(s) in all")
    return odm_xml(study_of(records), forms, subjects, created=created)


def write_odm(records: ClinicalRecords, folder: Path, *, created: datetime,
              extra_forms: Sequence[FormDescription] = (), name: str = "odm.xml") -> Path:
    """Build, validate against the ODM 1.3.2 XSD, and write ``<folder>/<name>``."""
    document = clinical_records_odm(records, created=created, extra_forms=extra_forms)
    validate_odm(document)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(document)
    return path
