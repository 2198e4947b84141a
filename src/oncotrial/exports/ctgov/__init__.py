"""ClinicalTrials.gov API v2 study JSON: export a protocol, import a record as a draft, validate.

* :func:`export_study`: protocol → study JSON (``protocolSection``), optionally putting
  back the registry texts an import could not map;
* :func:`import_study`: study JSON → draft protocol mapping, its open values and the
  report of unmapped fields (:class:`StudyImport`); :func:`fill_draft` fills open values;
* :func:`export_study_with_results`: the same with the ``resultsSection`` of an analysed
  trial, checked by :func:`check_results` (reporting rules);
  :func:`render_registry_page`: the record as an HTML fragment;
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
from oncotrial.exports.ctgov.registry_page import render_registry_page
from oncotrial.exports.ctgov.results_rules import RuleIssue, check_results, results_issues
from oncotrial.exports.ctgov.results_section import (
    ResultsExport,
    ResultsInputs,
    export_study_with_results,
    inputs_from_report_extras,
    results_section,
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
    "ResultsExport",
    "ResultsInputs",
    "RuleIssue",
    "SchemaIssue",
    "StudyExport",
    "StudyImport",
    "StudySchema",
    "UnmappedField",
    "check_results",
    "check_study",
    "draft_yaml",
    "export_study",
    "export_study_with_results",
    "fill_draft",
    "import_study",
    "inputs_from_report_extras",
    "load_study_schema",
    "render_registry_page",
    "results_issues",
    "results_section",
    "unmapped_from_report",
    "validate_study",
]
