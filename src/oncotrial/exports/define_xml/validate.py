"""XSD validation of Define-XML 2.1 with the official schemas bundled in ``odmlib``
(research/standards.md §8.3).

``odmlib/schemas/define/2.1/define2-1-0.xsd`` (CDISC Define-XML 2.1.0 schema, importing ODM
1.3.2) is loaded with lxml; every schema error is returned with its line number.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError


@cache
def define_schema() -> etree.XMLSchema:
    path = Path(str(resources.files("odmlib").joinpath("schemas/define/2.1/define2-1-0.xsd")))
    if not path.is_file():
        raise DomainError(
            "odmlib", str(path), "odmlib with its bundled Define-XML 2.1 XSDs (pip install odmlib)"
        )
    return etree.XMLSchema(etree.parse(str(path)))


def define_schema_errors(document: bytes) -> list[str]:
    """Every XSD error of a Define-XML 2.1 document as ``line N: message`` (empty when valid)."""
    schema = define_schema()
    try:
        tree = etree.fromstring(document)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: {exc.msg}"]
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def validate_define(document: bytes) -> None:
    """Raise a DomainError naming the first XSD error (and how many there are)."""
    errors = define_schema_errors(document)
    if errors:
        raise DomainError(
            "define.xml",
            errors[0],
            "a Define-XML 2.1 document valid against define2-1-0.xsd",
            f"{len(errors)} schema error(s) in all",
        )
