"""XSD validation with the official CDISC schemas bundled in ``odmlib``, loaded with lxml
(research/standards.md §8.3). Define-XML 2.1 and ODM 1.3.2 validators build on it."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError


@cache
def bundled_schema(relative: str, what: str) -> etree.XMLSchema:
    """The schema ``odmlib/schemas/<relative>`` (DomainError naming it when odmlib lacks it)."""
    path = Path(str(resources.files("odmlib").joinpath(f"schemas/{relative}")))
    if not path.is_file():
        raise DomainError("odmlib", str(path), f"odmlib with its bundled {what} XSDs (pip install odmlib)")
    return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(schema: etree.XMLSchema, document: bytes) -> list[str]:
    """Every XSD error of ``document`` as ``line N: message`` (empty when valid)."""
    try:
        tree = etree.fromstring(document)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: {exc.msg}"]
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def raise_first(errors: list[str], field: str, expected: str) -> None:
    """Raise a DomainError naming the first XSD error (and how many there are)."""
    if errors:
        raise DomainError(field, errors[0], expected, f"{len(errors)} schema error(s) in all")
