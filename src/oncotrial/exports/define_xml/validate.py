"""XSD validation of Define-XML 2.1 with the official schemas bundled in ``odmlib``
(research/standards.md §8.3).

``odmlib/schemas/define/2.1/define2-1-0.xsd`` (CDISC Define-XML 2.1.0 schema, importing ODM
1.3.2) is loaded with lxml; every schema error is returned with its line number.
"""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.exports.odmlib_xsd import bundled_schema, raise_first, schema_errors


def define_schema() -> etree.XMLSchema:
    return bundled_schema("define/2.1/define2-1-0.xsd", "Define-XML 2.1")


def define_schema_errors(document: bytes) -> list[str]:
    """Every XSD error of a Define-XML 2.1 document as ``line N: message`` (empty when valid)."""
    return schema_errors(define_schema(), document)


def validate_define(document: bytes) -> None:
    """Raise a DomainError naming the first XSD error (and how many there are)."""
    raise_first(
        define_schema_errors(document),
        "define.xml",
        "a Define-XML 2.1 document valid against define2-1-0.xsd",
    )
