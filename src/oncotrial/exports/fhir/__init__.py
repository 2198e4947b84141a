"""FHIR R4 export (mCODE style): :func:`build_bundle` and its checks :func:`bundle_issues`.

docs/fhir.md describes the mapping. Builds on :mod:`oncotrial.exports.clinical_records`.
"""

from oncotrial.exports.fhir.bundle import build_bundle
from oncotrial.exports.fhir.validation import (
    FhirIssue,
    bundle_issues,
    structural_issues,
    unresolved_references,
)

__all__ = ["FhirIssue", "build_bundle", "bundle_issues", "structural_issues", "unresolved_references"]
