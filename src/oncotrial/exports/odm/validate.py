"""XSD validation of CDISC ODM 1.3.2 with the official schema bundled in ``odmlib``
(``odmlib/schemas/odm/1.3.2/ODM1-3-2.xsd``; research/standards.md §8.3), loaded with lxml."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.core.errors import DomainError


@cache
def odm_schema() -> etree.XMLSchema:
    path = Path(str(resources.files("odmlib").joinpath("schemas/odm/1.3.2/ODM1-3-2.xsd")))
    if not path.is_file():
        raise DomainError("odmlib", str(path), "odmlib with its bundled ODM 1.3.2 XSDs (pip install odmlib)")
    return etree.XMLSchema(etree.parse(str(path)))


def odm_schema_errors(document: bytes) -> list[str]:
    """Every XSD error of an ODM 1.3.2 document as ``line N: message`` (empty when valid)."""
    schema = odm_schema()
    try:
        tree = etree.fromstring(document)
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: {exc.msg}"]
    if schema.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def validate_odm(document: bytes) -> None:
    """Raise a DomainError naming the first XSD error (and how many there are)."""
    errors = odm_schema_errors(document)
    if errors:
        raise DomainError("odm.xml", errors[0], "an ODM 1.3.2 document valid against ODM1-3-2.xsd",
                          f"{len(errors)} schema error(s) in all")
