"""Typed metadata for tabular exports: variables, dataset specifications, datasets.

One :class:`DatasetSpec` per dataset drives the XPT writer (names, labels, lengths,
formats), the Dataset-JSON writer (columns) and our own structural checks; a later
Define-XML writer reads the same objects (research/standards.md §9, "keep one
metadata source").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

Value = str | int | float | date | None
"""One cell: text, a number, a date (an ADaM numeric SAS date) or missing."""

Row = Mapping[str, Value]


class VarType(StrEnum):
    """SAS transport types: character or numeric (8-byte float)."""

    CHAR = "Char"
    NUM = "Num"


class Origin(StrEnum):
    """Define-XML 2.1 ``def:Origin/@Type`` values used by the ADaM datasets."""

    PREDECESSOR = "Predecessor"
    DERIVED = "Derived"
    ASSIGNED = "Assigned"


@dataclass(frozen=True, slots=True)
class Variable:
    """One variable of a dataset specification.

    ``length`` is the declared character length (XPT ``field_length``) or 8 for
    numerics; ``display_format`` is ``DATE9.`` for ADaM numeric dates;
    ``codelist`` names an entry of :data:`~.spec.CODELISTS` whose terms the values
    must come from; ``required`` marks ADaM "Req" variables that must be populated.
    """

    name: str
    label: str
    type: VarType
    length: int
    origin: Origin
    derivation: str
    codelist: str | None = None
    display_format: str | None = None
    required: bool = False
    key: bool = False
    decimal: bool = False
    """A numeric with fractions (Dataset-JSON ``double``); otherwise numerics are integers."""

    @property
    def is_date(self) -> bool:
        return self.display_format == "DATE9."

    @property
    def data_type(self) -> str:
        """Dataset-JSON 1.1 ``dataType``: string, integer, double or date."""
        if self.type is VarType.CHAR:
            return "string"
        if self.is_date:
            return "date"
        return "double" if self.decimal else "integer"


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """Name (≤ 8), label (≤ 30, so that a ``SIMULATED`` prefix still fits in 40), class."""

    name: str
    label: str
    adam_class: str
    structure: str
    variables: tuple[Variable, ...]

    def variable(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)


SIMULATED_PREFIX = "SIMULATED "


@dataclass(frozen=True, slots=True)
class Dataset:
    """A built dataset: its specification, rows (in spec order) and the SIMULATED marker."""

    spec: DatasetSpec
    rows: tuple[Row, ...]
    simulated: bool
    notes: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        """The dataset label; SIMULATED data carry the word in every file's label."""
        return (SIMULATED_PREFIX + self.spec.label) if self.simulated else self.spec.label

    def column(self, name: str) -> list[Value]:
        return [row.get(name) for row in self.rows]

    def where(self, **equal: Value) -> list[Row]:
        """Rows whose variables equal the given values (``ds.where(PARAMCD="OS")``)."""
        return [r for r in self.rows if all(r.get(k) == v for k, v in equal.items())]
