"""Data queries on one field of one record: open → answered → closed (and reopened).

* monitors and data managers open, close and reopen queries (``OPEN_QUERY``,
  ``CLOSE_QUERY``); the site team answers them (``ANSWER_QUERY``);
* soft edit checks open **system** queries when a record is saved
  (:func:`sync_system_queries`); when a later save no longer triggers the check, the
  system closes its query ("resolved by a data change");
* every step appends a :class:`QueryMessage` and an audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from django.db import connection, transaction
from django.db.models import QuerySet

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import (
    FormRecord,
    Query,
    QueryMessage,
    QueryOrigin,
    QueryStatus,
    Role,
    User,
)
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.forms import FORMS, FieldError
from oncotrial.services.permissions import STUDY_WIDE_ROLES, Action, check_permission

OPEN, ANSWERED, CLOSED = QueryStatus.OPEN, QueryStatus.ANSWERED, QueryStatus.CLOSED
QUERY_TRANSITIONS: Final = {
    "answer": {OPEN: ANSWERED, ANSWERED: ANSWERED},
    "close": {OPEN: CLOSED, ANSWERED: CLOSED},
    "reopen": {CLOSED: OPEN},
}
"""transition → {from: to}; an answered query may be answered again before it is closed."""


def _text(value: object, field: str, *, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > 4000:
        raise DomainError(
            field,
            value,
            "a non-empty text of at most 4000 characters"
            if required
            else "a text of at most 4000 characters",
        )
    return value.strip()


def _move(query: Query, transition: str) -> QueryStatus:
    allowed = QUERY_TRANSITIONS[transition]
    current = QueryStatus(query.status)
    if current not in allowed:
        raise DomainError(
            "query.status",
            current.value,
            f"a query in state {', '.join(s.value for s in allowed)} to {transition} it",
        )
    return allowed[current]


def _field_of(form_record: FormRecord, field: str) -> str:
    spec = FORMS[form_record.form_code]
    head = field.split("[")[0].split(".")[0]
    if head not in spec.field_names:
        raise DomainError("field", field, f"a field of form {spec.code}: " + ", ".join(spec.field_names))
    return field


def _audit(ctx: AuditContext, action: str, query: Query, changes: dict[str, tuple[object, object]]) -> None:
    record(ctx, action, "query", query.pk, subject_id=query.subject.subject_id, changes=changes)


def do_open_query(
    ctx: AuditContext, form_record: FormRecord, field: str, text: str, assignee: User | None = None
) -> Query:
    """Open a manual query on ``field`` of ``form_record`` (monitor, data manager)."""
    subject = form_record.subject
    user = permitted(ctx, Action.OPEN_QUERY, subject.site)
    field = _field_of(form_record, _text(field, "field"))
    body = _text(text, "text")
    if assignee is not None:
        check_permission(assignee, Action.ANSWER_QUERY, subject.site)
    now = clock.now()
    with transaction.atomic():
        query = Query.objects.create(
            record=form_record,
            subject=subject,
            field=field,
            origin=QueryOrigin.MANUAL,
            text=body,
            assignee=assignee,
            opened_by=user,
            opened_at=now,
            updated_at=now,
        )
        QueryMessage.objects.create(query=query, author=user, kind="open", text=body, created_at=now)
        _audit(
            ctx,
            "open_query",
            query,
            {
                "status": (None, OPEN.value),
                "text": (None, body),
                "field": (None, field),
                "record": (None, form_record.pk),
            },
        )
    return query


def _step(
    ctx: AuditContext, query: Query, transition: str, action: Action, text: str, *, required: bool
) -> Query:
    user = permitted(ctx, action, query.subject.site)
    body = _text(text, "text", required=required)
    with transaction.atomic():
        query = Query.objects.select_for_update().select_related("subject").get(pk=query.pk)
        old = query.status
        new = _move(query, transition)
        now = clock.now()
        query.status = new
        query.updated_at = now
        query.closed_at = now if new is CLOSED else None
        query.save(update_fields=["status", "updated_at", "closed_at"])
        QueryMessage.objects.create(query=query, author=user, kind=transition, text=body, created_at=now)
        _audit(ctx, f"{transition}_query", query, {"status": (old, new.value), "text": (None, body)})
    return query


def do_answer_query(ctx: AuditContext, query: Query, text: str) -> Query:
    """The site's answer (investigator, coordinator): open → answered."""
    return _step(ctx, query, "answer", Action.ANSWER_QUERY, text, required=True)


def do_close_query(ctx: AuditContext, query: Query, text: str = "") -> Query:
    """Close an open or answered query (monitor, data manager)."""
    return _step(ctx, query, "close", Action.CLOSE_QUERY, text, required=False)


def do_reopen_query(ctx: AuditContext, query: Query, text: str) -> Query:
    """Reopen a closed query with the reason (monitor, data manager)."""
    return _step(ctx, query, "reopen", Action.CLOSE_QUERY, text, required=True)


def _has_open_system_query(record_pk: int) -> bool:
    """Whether the record has an open or answered system query (one plain, indexed ``SELECT``).

    Most edits raise no warning and close nothing; this spares them building the ORM query.
    """
    table = connection.ops.quote_name(Query._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE record_id = %s AND origin = %s AND status IN (%s, %s) LIMIT 1",
            [record_pk, QueryOrigin.SYSTEM.value, OPEN.value, ANSWERED.value],
        )
        return cursor.fetchone() is not None


def sync_system_queries(
    ctx: AuditContext, form_record: FormRecord, warnings: Sequence[tuple[str, FieldError]]
) -> None:
    """Open a system query per new soft-check warning ``(check_code, error)``; close resolved ones.

    Runs inside the caller's transaction (the save of ``form_record``).
    """
    if not warnings and not _has_open_system_query(form_record.pk):
        return  # the usual edit: nothing to open, nothing to close
    current = {
        (q.check_code, q.field): q
        for q in Query.objects.filter(
            record=form_record, origin=QueryOrigin.SYSTEM, status__in=(OPEN, ANSWERED)
        )
    }
    now = clock.now()
    seen = set()
    for code, warning in warnings:
        key = (code, warning.field)
        seen.add(key)
        if key in current:
            continue
        body = f"Edit check {code}: {warning.message}"
        query = Query.objects.create(
            record=form_record,
            subject=form_record.subject,
            field=warning.field,
            origin=QueryOrigin.SYSTEM,
            check_code=code,
            text=body,
            opened_at=now,
            updated_at=now,
        )
        QueryMessage.objects.create(query=query, author=None, kind="open", text=body, created_at=now)
        _audit(
            AuditContext(None, ctx.request_id),
            "open_query",
            query,
            {
                "status": (None, OPEN.value),
                "text": (None, body),
                "field": (None, warning.field),
                "record": (None, form_record.pk),
            },
        )
    for key, query in current.items():
        if key in seen:
            continue
        old = query.status
        query.status, query.updated_at, query.closed_at = CLOSED, now, now
        query.save(update_fields=["status", "updated_at", "closed_at"])
        QueryMessage.objects.create(
            query=query, author=None, kind="close", text="resolved by a data change", created_at=now
        )
        _audit(
            AuditContext(None, ctx.request_id),
            "close_query",
            query,
            {"status": (old, CLOSED.value), "text": (None, "resolved by a data change")},
        )


def open_queries(user: User, *, subject_id: str | None = None) -> QuerySet[Query]:
    """Open and answered queries the user may see (site-scoped unless study-wide), oldest first."""
    check_permission(user, Action.VIEW_DATA)
    rows = Query.objects.select_related("record", "subject").filter(status__in=(OPEN, ANSWERED))
    if Role(user.role) not in STUDY_WIDE_ROLES:
        rows = rows.filter(subject__site__in=user.sites.all())
    if subject_id is not None:
        rows = rows.filter(subject__subject_id=subject_id)
    return rows.order_by("opened_at", "id")


def has_open_queries(form_record: FormRecord) -> bool:
    return Query.objects.filter(record=form_record, status__in=(OPEN, ANSWERED)).exists()


__all__ = [
    "QUERY_TRANSITIONS",
    "do_answer_query",
    "do_close_query",
    "do_open_query",
    "do_reopen_query",
    "has_open_queries",
    "open_queries",
    "sync_system_queries",
]
