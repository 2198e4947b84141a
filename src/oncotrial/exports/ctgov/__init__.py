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

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "OpenValue": "draft",
    "StudyImport": "draft",
    "UnmappedField": "draft",
    "draft_yaml": "draft",
    "fill_draft": "draft",
    "unmapped_from_report": "draft",
    "render_registry_page": "registry_page",
    "RuleIssue": "results_rules",
    "check_results": "results_rules",
    "results_issues": "results_rules",
    "ResultsExport": "results_section",
    "ResultsInputs": "results_section",
    "export_study_with_results": "results_section",
    "inputs_from_report_extras": "results_section",
    "results_section": "results_section",
    "SchemaIssue": "schema",
    "StudySchema": "schema",
    "check_study": "schema",
    "load_study_schema": "schema",
    "validate_study": "schema",
    "StudyExport": "study_export",
    "export_study": "study_export",
    "import_study": "study_import",
}
"""Where each public name lives. They load on first use (PEP 562), so that importing one
light module of the package (``draft``, ``schema``) does not load the analysis stack (SciPy)
that the results section needs: every ``oncotrial`` command starts seconds sooner."""

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
