"""Appending to and verifying the hash-chained audit trail.

Each row's ``hash`` is SHA-256 over a canonical JSON (sorted keys, no spaces, UTF-8) of
the row's fields including ``sequence`` and ``previous_hash``; the first row's
``previous_hash`` is :data:`GENESIS`. Editing, deleting or reordering a row breaks the
chain at that row; removing rows at the end is caught against ``AuditHead``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from django.db import connection, transaction

from oncotrial.persistence.inserts import insert_rows
from oncotrial.persistence.models import AuditEvent, AuditHead, User
from oncotrial.services import clock

GENESIS: Final = "0" * 64


def plain(value: object) -> object:
    """``value`` as JSON-compatible data, exactly as it reads back from the database."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def canonical(event: AuditEvent) -> bytes:
    payload = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "subject_id": event.subject_id,
        "field": event.field,
        "old": event.old,
        "new": event.new,
        "reason": event.reason,
        "request_id": event.request_id,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Who acts and under which request; every service passes one to :func:`record`."""

    actor: User | None
    request_id: str = ""
    reason: str = ""


def record(
    ctx: AuditContext,
    action: str,
    entity: str,
    entity_id: object,
    *,
    changes: Mapping[str, tuple[object, object]] | None = None,
    subject_id: str = "",
    reason: str | None = None,
) -> list[AuditEvent]:
    """Append one row per changed field (``{field: (old, new)}``), or one row without field.

    Must run inside the caller's ``transaction.atomic`` block, so that the change and
    its audit rows commit or roll back together. The rows are built first; only then is
    the chain's head locked (``SELECT … FOR UPDATE``, held until commit, serializing every
    audited write), so a service should call it as its last step.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction.atomic block")
    events = [
        AuditEvent(
            actor=ctx.actor,
            actor_username=ctx.actor.username if ctx.actor else "system",
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            subject_id=subject_id,
            field=field,
            old=plain(old),
            new=plain(new),
            reason=ctx.reason if reason is None else reason,
            request_id=ctx.request_id,
        )
        for field, (old, new) in (changes or {"": (None, None)}).items()
    ]
    # The chain's head is locked last (held until commit): every other writer waits on it.
    sequence, previous = _locked_head()
    now = clock.now()  # after the lock: times follow the chain's order
    for event in events:
        sequence += 1
        event.sequence, event.occurred_at, event.previous_hash = sequence, now, previous
        event.hash = event_hash(event)
        previous = event.hash
    insert_rows(events)  # one plain INSERT; the rows' pk stay unset
    _move_head(sequence, previous)
    return events


def _head_table() -> str:
    return str(connection.ops.quote_name(AuditHead._meta.db_table))


def _locked_head() -> tuple[int, str]:
    """The chain head's (sequence, hash), its row locked until the transaction ends.

    Plain SQL, not the ORM: every audited write runs these two statements and one ``insert_rows``,
    and building the queries cost more than running them (about a tenth of a demo build's time).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT sequence, hash FROM {_head_table()} WHERE id = 1{lock}")
        found = cursor.fetchone()
    if found is None:  # the first audited write of a new database
        AuditHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS})
        return _locked_head()
    return int(found[0]), str(found[1])


def _move_head(sequence: int, last_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table()} SET sequence = %s, hash = %s WHERE id = 1", [sequence, last_hash]
        )


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first row where the chain does not hold, and why."""

    sequence: int
    audit_id: int | None
    problem: str


def verify_audit_chain() -> ChainBreak | None:
    """Walk the whole trail in sequence order; return the first break, or ``None`` if intact."""
    expected, previous = 1, GENESIS
    for event in AuditEvent.objects.order_by("sequence", "id").iterator(chunk_size=2000):
        if event.sequence != expected:
            problem = (
                f"sequence {event.sequence} where {expected} was expected "
                "(a row was deleted or the rows were reordered)"
            )
            return ChainBreak(expected, event.pk, problem)
        if event.previous_hash != previous:
            return ChainBreak(
                event.sequence,
                event.pk,
                "previous_hash does not match the preceding row (deleted or reordered row)",
            )
        if event_hash(event) != event.hash:
            return ChainBreak(event.sequence, event.pk, "the row's content does not match its hash (edited)")
        expected, previous = expected + 1, event.hash
    head = AuditHead.objects.filter(pk=1).first()
    last = expected - 1
    if head is None:
        return None if last == 0 else ChainBreak(last, None, "the chain head is missing")
    if head.sequence != last or head.hash != previous:
        return ChainBreak(
            last + 1,
            None,
            f"the trail ends at sequence {last} but its head records {head.sequence} "
            "(rows were deleted at the end)",
        )
    return None
