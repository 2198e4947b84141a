"""XSD validation of CDISC ODM 1.3.2 with the official schema bundled in ``odmlib``
(``odmlib/schemas/odm/1.3.2/ODM1-3-2.xsd``; research/standards.md §8.3), loaded with lxml."""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

from oncotrial.exports.odmlib_xsd import bundled_schema, raise_first, schema_errors


def odm_schema() -> etree.XMLSchema:
    return bundled_schema("odm/1.3.2/ODM1-3-2.xsd", "ODM 1.3.2")


def odm_schema_errors(document: bytes) -> list[str]:
    """Every XSD error of an ODM 1.3.2 document as ``line N: message`` (empty when valid)."""
    return schema_errors(odm_schema(), document)


def validate_odm(document: bytes) -> None:
    """Raise a DomainError naming the first XSD error (and how many there are)."""
    raise_first(odm_schema_errors(document), "odm.xml", "an ODM 1.3.2 document valid against ODM1-3-2.xsd")
