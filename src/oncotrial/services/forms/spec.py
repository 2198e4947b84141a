"""Declarations of eCRFs: :class:`FormSpec` (one form) made of :class:`FieldSpec` (one field).

A form is declared once and drives everything: the web renders it from these
attributes, :mod:`.validation` checks entered values against it (UI, API, imports and
the trial conductor alike), its ``derive`` hook asks core for the computed values and
its ``checks`` are the cross-field and cross-form edit checks (hard checks block the
save, soft checks save and raise a system query).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from oncotrial.core.errors import DomainError

if TYPE_CHECKING:
    from oncotrial.services.forms.context import FormContext


class FieldKind(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    BOOLEAN = "boolean"
    MEASUREMENT = "measurement"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field. ``choices`` are ``(code, label)`` pairs; ``columns`` are a table's sub-fields.

    ``measurand`` names the quantity of a measurement field: a core
    :class:`~oncotrial.core.units.Measurand` code (``"NEUT"``) or one of the extra
    vital signs of :mod:`.units`; ``units`` lists the accepted spellings.
    """

    name: str
    label: str
    kind: FieldKind
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    units: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    columns: tuple[FieldSpec, ...] = ()
    measurand: str | None = None
    max_length: int = 500
    max_rows: int = 50
    allow_future: bool = False

    @property
    def choice_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.choices)

    def column(self, name: str) -> FieldSpec:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One bad value: where (``lesions[1].longest_diameter_mm``), what was received, why."""

    field: str
    value: object
    message: str

    def as_dict(self) -> dict[str, object]:
        shown = (
            self.value
            if self.value is None or isinstance(self.value, str | int | float | bool)
            else repr(self.value)
        )
        return {"field": self.field, "value": shown, "message": self.message}


class FormErrors(DomainError):  # noqa: N818 (the name the callers use)
    """Every bad field of one save, at once; nothing was written."""

    def __init__(self, form_code: str, errors: list[FieldError]) -> None:
        self.form_code = form_code
        self.errors = list(errors)
        first = self.errors[0] if self.errors else FieldError("form", None, "invalid")
        summary = "; ".join(f"{e.field}: {e.message}" for e in self.errors)
        super().__init__(first.field, first.value, f"valid values for form {form_code!r} ({summary})")

    def as_dict(self) -> dict[str, object]:
        return {
            "error": "FormErrors",
            "form": self.form_code,
            "errors": [e.as_dict() for e in self.errors],
            "message": str(self),
        }


class Severity(StrEnum):
    HARD = "hard"
    """Blocks the save."""
    SOFT = "soft"
    """Saves, and opens a system query on the field."""


CheckFunction = Callable[["FormContext", Mapping[str, Any]], list[FieldError]]
DerivedCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], list[FieldError]]
DeriveFunction = Callable[["FormContext", Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Check:
    """An edit check: ``run`` returns the fields it objects to (empty when satisfied)."""

    code: str
    severity: Severity
    description: str
    run: CheckFunction


@dataclass(frozen=True, slots=True)
class FormSpec:
    """One eCRF. ``visit_bound`` forms may be attached to a visit; subject-level forms never are.

    A non-repeating form exists once per visit (visit-bound, when a visit is given) or
    once per subject (subject-level).
    """

    code: str
    title: str
    visit_bound: bool
    repeating: bool
    fields: tuple[FieldSpec, ...]
    description: str = ""
    derive: DeriveFunction | None = None
    checks: tuple[Check, ...] = field(default=())
    date_field: str | None = None
    """The field that dates the record (ordering of records, cross-form checks)."""
    derived_warnings: tuple[tuple[str, DerivedCheck], ...] = ()
    """Soft checks ``(code, function(data, derived))`` run after derivation."""
    pharmacist_fields: tuple[str, ...] = ()
    """Fields that may be saved only after a pharmacist verified the derived ``prescription``."""

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)
