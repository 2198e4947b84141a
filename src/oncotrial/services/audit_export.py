"""Audit trail extracts per subject, per form or per entity, as rows, CSV or JSON.

Rows come in chain order (``sequence``) with every stored column; the hash columns let
an auditor re-verify the extract against :func:`oncotrial.services.audit.verify_audit_chain`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import IO, Final

from django.db.models import CharField
from django.db.models.functions import Cast

from oncotrial.persistence.models import AuditEvent, FormRecord

COLUMNS: Final = (
    "sequence",
    "occurred_at",
    "actor_username",
    "action",
    "entity",
    "entity_id",
    "subject_id",
    "field",
    "old",
    "new",
    "reason",
    "request_id",
    "previous_hash",
    "hash",
)


def audit_rows(
    *, subject_id: str | None = None, form: str | None = None, entity_id: str | int | None = None
) -> list[dict[str, object]]:
    """Audit rows, filtered by subject (``subject_id``), form code (records of that form and
    their queries are not included: only ``form_record`` rows) and/or entity id."""
    rows = AuditEvent.objects.all()
    if subject_id is not None:
        rows = rows.filter(subject_id=subject_id)
    if form is not None:
        ids = (
            FormRecord.objects.filter(form_code=form)
            .annotate(text_id=Cast("id", CharField()))
            .values("text_id")
        )
        rows = rows.filter(entity="form_record", entity_id__in=ids)
    if entity_id is not None:
        rows = rows.filter(entity_id=str(entity_id))
    return [
        {
            "sequence": e.sequence,
            "occurred_at": e.occurred_at.isoformat(),
            "actor_username": e.actor_username,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "subject_id": e.subject_id,
            "field": e.field,
            "old": e.old,
            "new": e.new,
            "reason": e.reason,
            "request_id": e.request_id,
            "previous_hash": e.previous_hash,
            "hash": e.hash,
        }
        for e in rows.order_by("sequence")
    ]


def _cell(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return "" if value is None else value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def write_audit_csv(rows: Iterable[Mapping[str, object]], stream: IO[str]) -> int:
    """Write ``rows`` as CSV (JSON values of old/new as JSON text); returns the number of rows."""
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
        count += 1
    return count


def write_audit_json(rows: Iterable[Mapping[str, object]], stream: IO[str]) -> int:
    items = list(rows)
    json.dump(items, stream, ensure_ascii=False, indent=1, default=str)
    stream.write("\n")
    return len(items)
