"""Validate a study JSON against the ``Study`` schema of the ClinicalTrials.gov API v2 OpenAPI spec.

Source: the official OpenAPI 3.0.3 description of the ClinicalTrials.gov REST API v2
(``ctg-oas-v2.yaml``, version "2.0.0-draft", public US-government material;
https://clinicaltrials.gov/api/oas/v2). Its ``components.schemas`` are OpenAPI 3.0
Schema Objects, validated here with ``openapi-schema-validator``'s ``OAS30Validator``
(JSON Schema draft 4 semantics plus the OpenAPI keywords and formats) after the
``$ref`` s are resolved against the spec's own ``components``.

*Strict* validation (the default) injects ``additionalProperties: false`` into every
object schema that lists properties and does not say otherwise, so that a misspelt
key (``overalStatus``) is an error instead of being ignored; research/standards.md
§4.3 describes the approach.

The spec is read from a path the caller gives, or from the package's bundled copy
(``ctg-study-schema-v2.json``: the schemas reachable from ``Study``, unchanged, ~30 kB),
so that the product never needs the shared folder at run time.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.json_paths import join_path

BUNDLED_SCHEMA = "ctg-study-schema-v2.json"
_REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One validation error: where in the study, what is wrong, which schema keyword failed."""

    path: str
    message: str
    keyword: str

    def __str__(self) -> str:
        return f"{self.path or '<study>'}: {self.message}"


@dataclass(frozen=True, slots=True)
class StudySchema:
    """The ``components.schemas`` needed to validate a ``Study`` and where they came from."""

    schemas: Mapping[str, Any]
    source: str
    strict: bool = True


def reachable_schemas(schemas: Mapping[str, Any], root: str = "Study") -> dict[str, Any]:
    """The named schemas reachable from ``root`` through ``$ref`` s, in the spec's order."""
    found: set[str] = set()
    pending = [root]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        if name not in schemas:
            raise DomainError(f"components.schemas.{name}", None, "a schema the spec defines")
        found.add(name)
        pending.extend(_refs(schemas[name]))
    return {name: schemas[name] for name in schemas if name in found}


def _refs(node: object) -> list[str]:
    if isinstance(node, Mapping):
        out = []
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            out.append(ref[len(_REF_PREFIX):])
        for key, value in node.items():
            if key != "$ref":
                out.extend(_refs(value))
        return out
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def load_study_schema(path: str | Path | None = None, *, strict: bool = True) -> StudySchema:
    """Read the ``Study`` schema from an OpenAPI file (YAML or JSON) or the bundled copy.

    Parameters
    ----------
    path:
        ``ctg-oas-v2.yaml`` (or any OpenAPI document with ``components.schemas.Study``);
        ``None`` reads the copy bundled with Oncotrial.
    strict:
        Reject keys the schema does not define.
    """
    if path is None:
        return StudySchema(bundled_schemas(), f"oncotrial.exports.ctgov/{BUNDLED_SCHEMA}", strict)
    p = Path(path)
    if not p.is_file():
        raise DomainError("schema", str(p), "an existing OpenAPI file (ctg-oas-v2.yaml)")
    try:
        document = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DomainError(str(p), "unreadable YAML", "a well-formed OpenAPI document", str(exc)) from None
    schemas = document.get("components", {}).get("schemas") if isinstance(document, Mapping) else None
    if not isinstance(schemas, Mapping) or "Study" not in schemas:
        raise DomainError(f"{p}:components.schemas", None, "an OpenAPI document defining a Study schema")
    return StudySchema(reachable_schemas(schemas), str(p), strict)


@lru_cache(maxsize=1)
def bundled_schemas() -> Mapping[str, Any]:
    text = resources.files("oncotrial.exports.ctgov").joinpath(BUNDLED_SCHEMA).read_text("utf-8")
    schemas: Mapping[str, Any] = json.loads(text)["components"]["schemas"]
    return schemas


def bundle_document(schemas: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The JSON document stored as the bundled copy (kept in sync by a test)."""
    return {
        "description": ("The schemas reachable from Study in the ClinicalTrials.gov API v2 OpenAPI "
                        "spec, copied unchanged. Public US-government material (not copyrighted)."),
        "source": source,
        "components": {"schemas": dict(schemas)},
    }


def strict_schemas(schemas: Mapping[str, Any]) -> dict[str, Any]:
    """A copy where every object schema with ``properties`` forbids other keys."""
    out = copy.deepcopy(dict(schemas))
    for schema in out.values():
        _forbid_extra(schema)
    return out


def _forbid_extra(schema: object) -> None:
    if not isinstance(schema, dict):
        return
    if "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    for value in schema.get("properties", {}).values():
        _forbid_extra(value)
    for key in ("items", "additionalProperties", "not"):
        _forbid_extra(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            _forbid_extra(sub)


def validate_study(study: object, schema: StudySchema | None = None) -> tuple[SchemaIssue, ...]:
    """Every way ``study`` departs from the ``Study`` schema, in document order (empty: valid)."""
    validator = _validator(schema or load_study_schema())
    issues = [SchemaIssue(join_path(list(e.absolute_path)), e.message, str(e.validator))
              for e in validator.iter_errors(study)]
    return tuple(sorted(issues, key=lambda i: i.path))


def check_study(study: object, schema: StudySchema | None = None) -> None:
    """Raise :class:`DomainError` naming the first invalid field if ``study`` is not valid."""
    issues = validate_study(study, schema)
    if issues:
        first = issues[0]
        more = f" ({len(issues) - 1} more issue(s))" if len(issues) > 1 else ""
        raise DomainError(first.path or "<study>", first.message,
                          "a study JSON valid against the ClinicalTrials.gov API v2 Study schema" + more)


def _validator(schema: StudySchema) -> Any:
    schemas = strict_schemas(schema.schemas) if schema.strict else dict(schema.schemas)
    root = {"$ref": _REF_PREFIX + "Study", "components": {"schemas": schemas}}
    return OAS30Validator(root, format_checker=oas30_format_checker)
