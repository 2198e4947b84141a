"""What an import gives back: a draft protocol, its open values and the unmapped-field report.

A *draft* is a plain protocol mapping (the format of docs/protocol-format.md) with
``null`` wherever the registry record gives no value the protocol needs (an *open
value*, e.g. ``arms[0].regimen`` or ``assumptions.sd_minimum_days``). Filling every
open value (:func:`fill_draft`) gives a document that
:func:`~oncotrial.core.protocol.parse.parse_protocol` accepts.

An :class:`UnmappedField` is a field of the study JSON that the protocol model has
no place for. Most are *restorable*: passed back to the export, their value is put
back at their path, so that a record imported and exported again keeps its registry
texts (summary, arm descriptions, intervention texts, the criteria's bullet layout).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import yaml

from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.json_paths import set_path


@dataclass(frozen=True, slots=True)
class UnmappedField:
    """A study JSON field the draft protocol does not hold.

    Parameters
    ----------
    path:
        Where it is in the study JSON (``protocolSection.descriptionModule``).
    value:
        The record's value, unchanged.
    reason:
        Why it could not be mapped.
    restore:
        The export writes ``value`` back at ``path`` when given this report.
    guard:
        When set, restore only if the export generates exactly this value at ``path``,
        i.e. the protocol content the field was read from is unchanged.
    draft_path:
        The open value in the draft that this field leaves to be filled, if any.
    """

    path: str
    value: Any
    reason: str
    restore: bool = True
    guard: Any = None
    draft_path: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str) -> UnmappedField:
        if not isinstance(data, Mapping) or not isinstance(data.get("path"), str) or "value" not in data:
            raise DomainError(where, data, "an unmapped-field entry with path and value")
        return cls(data["path"], data["value"], str(data.get("reason", "")), bool(data.get("restore", True)),
                   data.get("guard"), data.get("draft_path"))


@dataclass(frozen=True, slots=True)
class OpenValue:
    """A draft field left ``null`` because the record does not give it."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class StudyImport:
    """The draft protocol read from a study JSON, with everything it could not take."""

    draft: dict[str, Any]
    open_values: tuple[OpenValue, ...]
    unmapped: tuple[UnmappedField, ...]

    def report(self) -> dict[str, Any]:
        """The report as JSON data (the file that ``ctgov import`` writes next to the draft)."""
        return {
            "nct_id": self.draft.get("identification", {}).get("nct_id"),
            "open_values": [asdict(o) for o in self.open_values],
            "unmapped": [asdict(u) for u in self.unmapped],
        }


def unmapped_from_report(report: object) -> tuple[UnmappedField, ...]:
    """Read the ``unmapped`` entries of a report written by :meth:`StudyImport.report`."""
    if not isinstance(report, Mapping) or not isinstance(report.get("unmapped"), list):
        raise DomainError("report", type(report).__name__, "an import report with an 'unmapped' list")
    entries = report["unmapped"]
    return tuple(UnmappedField.from_dict(u, f"report.unmapped[{i}]") for i, u in enumerate(entries))


def fill_draft(draft: Mapping[str, Any], values: Mapping[str, object]) -> dict[str, Any]:
    """A copy of ``draft`` with each ``path: value`` of ``values`` set (open values, or any field)."""
    out = copy.deepcopy(dict(draft))
    for path, value in values.items():
        set_path(out, path, copy.deepcopy(value))
    return out


def draft_yaml(result: StudyImport) -> str:
    """The draft as a YAML protocol file whose header lists the open values to fill."""
    nct = result.draft.get("identification", {}).get("nct_id")
    lines = [f"# DRAFT protocol imported from the ClinicalTrials.gov record {nct}.",
             "# Fill every open value (null below), then check the file with",
             "# `oncotrial protocol validate FILE`. Open values:"]
    lines += [f"#   {o.path}: {o.reason}" for o in result.open_values] or ["#   (none)"]
    lines.append(f"# Fields of the record the protocol cannot hold: {len(result.unmapped)} "
                 "(see the unmapped report).")
    body = yaml.safe_dump(result.draft, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body


def restore_fields(study: dict[str, Any], fields: Sequence[UnmappedField],
                   get: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Put restorable fields back into ``study``; return the restored and the skipped paths.

    ``get(study, path)`` returns the generated value at ``path`` (or raises KeyError);
    a guarded field is skipped when the generated value differs from its guard.
    """
    restored: list[str] = []
    skipped: list[str] = []
    for f in fields:
        if not f.restore:
            continue
        if f.guard is not None:
            try:
                current = get(study, f.path)
            except KeyError:
                current = None
            if current != f.guard:
                skipped.append(f.path)
                continue
        set_path(study, f.path, copy.deepcopy(f.value))
        restored.append(f.path)
    return tuple(restored), tuple(skipped)
