"""A neutral description of eCRFs for the CDISC ODM 1.3.2 export (FormDef / ItemGroupDef /
ItemDef / CodeList / MeasurementUnit).

The shape mirrors the application's form declarations (``services.forms`` ``FormSpec`` and
``FieldSpec``: code, title, visit-bound, repeating; fields with name, label, kind, choices,
units, minimum, maximum, table columns) so that mapping them is one call per form:
:func:`describe_form` accepts any object with those attributes (exports may not import
services; the layers contract forbids it). How each kind becomes ODM:

* ``integer``/``decimal`` → ``DataType`` ``integer``/``float``, ``RangeCheck`` GE/LE (Hard)
  from ``minimum``/``maximum``;
* ``text`` → ``text`` with ``Length`` = ``max_length``; ``date`` → ``date``;
* ``choice`` → ``text`` with a ``CodeList`` of ``CodeListItem`` (code, decoded by the label);
* ``boolean`` → ``boolean`` (values ``true``/``false``, xs:boolean);
* ``measurement`` → ``float`` with one ``MeasurementUnitRef`` per accepted unit; each value
  names its unit (``ItemData/MeasurementUnitRef``);
* ``table`` → a repeating ``ItemGroupDef`` of its columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from oncotrial.core.errors import DomainError


class FieldKind(StrEnum):
    """The kinds of eCRF field (same spellings as the application's ``FieldKind``)."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    MEASUREMENT = "measurement"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class FieldDescription:
    """One eCRF field; ``choices`` are ``(code, label)``; ``columns`` are a table's fields."""

    name: str
    label: str
    kind: FieldKind
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    units: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 500
    columns: tuple[FieldDescription, ...] = ()
    max_rows: int = 50


@dataclass(frozen=True, slots=True)
class FormDescription:
    """One eCRF: a subject-level form (``visit_bound=False``) or one collected at visits."""

    code: str
    title: str
    fields: tuple[FieldDescription, ...]
    repeating: bool = False
    visit_bound: bool = True
    description: str = ""


class FieldLike(Protocol):
    """What :func:`describe_field` reads (the attributes of ``services.forms.FieldSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def choices(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def units(self) -> tuple[str, ...]: ...
    @property
    def minimum(self) -> float | None: ...
    @property
    def maximum(self) -> float | None: ...
    @property
    def max_length(self) -> int: ...
    @property
    def columns(self) -> Sequence[FieldLike]: ...
    @property
    def max_rows(self) -> int: ...


class FormLike(Protocol):
    """What :func:`describe_form` reads (the attributes of ``services.forms.FormSpec``)."""

    @property
    def code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def visit_bound(self) -> bool: ...
    @property
    def repeating(self) -> bool: ...
    @property
    def fields(self) -> Sequence[FieldLike]: ...
    @property
    def description(self) -> str: ...


def describe_field(spec: FieldLike, *, form: str = "") -> FieldDescription:
    """The neutral description of one declared field (raises DomainError for an unknown kind)."""
    try:
        kind = FieldKind(str(spec.kind))
    except ValueError:
        raise DomainError(f"{form}.{spec.name}.kind" if form else f"{spec.name}.kind", str(spec.kind),
                          ", ".join(k.value for k in FieldKind)) from None
    return FieldDescription(
        spec.name, spec.label, kind, spec.required, tuple(spec.choices), tuple(spec.units), spec.minimum,
        spec.maximum, spec.max_length, tuple(describe_field(c, form=form) for c in spec.columns),
        spec.max_rows)


def describe_form(spec: FormLike) -> FormDescription:
    """The neutral description of one declared form: ``describe_form(FORMS["labs"])``."""
    fields = tuple(describe_field(f, form=spec.code) for f in spec.fields)
    return FormDescription(spec.code, spec.title, fields,
                           spec.repeating, spec.visit_bound, spec.description)


def describe_forms(specs: Iterable[FormLike]) -> tuple[FormDescription, ...]:
    """``describe_forms(FORMS.values())``."""
    return tuple(describe_form(s) for s in specs)
