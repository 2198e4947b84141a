"""Checks of a FHIR bundle: structure per resource (``fhir.resources`` R4B models) and references.

``fhir.resources`` (pydantic v2; ``fhir.resources.R4B`` has the R4 shape of ResearchStudy,
ResearchSubject, Observation, ...) enforces types and cardinalities but not required code
bindings (research/standards.md §5, §8.5), so the fixed mCODE codes are checked here too:
each profiled Observation carries its LOINC code (97509-4, 89247-1, 24108-3).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from oncotrial.exports.fhir.codes import PROFILES

REQUIRED_CODES = {PROFILES["CancerDiseaseStatus"]: "97509-4", PROFILES["ECOG"]: "89247-1",
                  PROFILES["CA19-9"]: "24108-3"}


@dataclass(frozen=True, slots=True)
class FhirIssue:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _references(node: object) -> Iterator[str]:
    if isinstance(node, Mapping):
        ref = node.get("reference")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def unresolved_references(bundle: Mapping[str, Any]) -> tuple[FhirIssue, ...]:
    """Every reference that names no entry's ``fullUrl`` (and repeated full URLs)."""
    entries = bundle.get("entry", [])
    urls = [e.get("fullUrl") for e in entries]
    counts = Counter(urls)
    issues = [FhirIssue("entry", f"fullUrl {u} repeats") for u, n in sorted(counts.items(), key=str) if n > 1]
    known = set(urls)
    for i, entry in enumerate(entries):
        for ref in _references(entry.get("resource", {})):
            if ref not in known:
                issues.append(FhirIssue(f"entry[{i}]", f"reference {ref} does not resolve in the bundle"))
    return tuple(issues)


def _codes(resource: Mapping[str, Any]) -> set[str]:
    return {c.get("code") for c in resource.get("code", {}).get("coding", [])}


def structural_issues(bundle: Mapping[str, Any]) -> tuple[FhirIssue, ...]:
    """Validate the bundle and each resource with the ``fhir.resources`` R4B models."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    issues: list[FhirIssue] = []
    try:
        get_fhir_model_class("Bundle").model_validate(bundle)
    except ValidationError as exc:
        issues.append(FhirIssue("Bundle", str(exc).splitlines()[0]))
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry.get("resource", {})
        kind = str(resource.get("resourceType"))
        try:
            get_fhir_model_class(kind).model_validate(resource)
        except (ValidationError, KeyError, ValueError) as exc:
            lines = str(exc).splitlines()
            issues.append(FhirIssue(f"entry[{i}] {kind}", " ".join(lines[:3])))
        for profile in resource.get("meta", {}).get("profile", []):
            code = REQUIRED_CODES.get(profile)
            if code and code not in _codes(resource):
                issues.append(FhirIssue(f"entry[{i}] {kind}", f"{profile} requires code {code}"))
    return tuple(issues)


def bundle_issues(bundle: Mapping[str, Any]) -> tuple[FhirIssue, ...]:
    """Structure, profile codes and references: empty when the bundle passes every check."""
    return structural_issues(bundle) + unresolved_references(bundle)
