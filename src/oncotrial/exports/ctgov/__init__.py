"""ClinicalTrials.gov API v2 study JSON: export a protocol, import a record as a draft, validate.

* :func:`export_study`: protocol → study JSON (``protocolSection``), optionally putting
  back the registry texts an import could not map;
* :func:`import_study`: study JSON → draft protocol mapping, its open values and the
  report of unmapped fields (:class:`StudyImport`); :func:`fill_draft` fills open values;
* :func:`validate_study` / :func:`check_study`: the ``Study`` schema of the API v2
  OpenAPI spec, strict (no extra keys), from a given spec file or the bundled copy.

docs/ctgov.md describes the mapping field by field. Builds on :mod:`oncotrial.core` only.
"""

from oncotrial.exports.ctgov.draft import (
    OpenValue,
    StudyImport,
    UnmappedField,
    draft_yaml,
    fill_draft,
    unmapped_from_report,
)
from oncotrial.exports.ctgov.schema import (
    SchemaIssue,
    StudySchema,
    check_study,
    load_study_schema,
    validate_study,
)
from oncotrial.exports.ctgov.study_export import StudyExport, export_study
from oncotrial.exports.ctgov.study_import import import_study

__all__ = [
    "OpenValue",
    "SchemaIssue",
    "StudyExport",
    "StudyImport",
    "StudySchema",
    "UnmappedField",
    "check_study",
    "draft_yaml",
    "export_study",
    "fill_draft",
    "import_study",
    "load_study_schema",
    "unmapped_from_report",
    "validate_study",
]
