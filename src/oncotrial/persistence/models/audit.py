# mypy: disable-error-code="var-annotated"
"""The append-only, hash-chained audit trail.

Rows are inserted, never updated or deleted: :meth:`AuditEvent.save` and
:meth:`AuditEvent.delete` refuse, the queryset refuses bulk ``update``/``delete``, and on
PostgreSQL a trigger (migration 0002) rejects UPDATE and DELETE from any client.
``AuditHead`` (one row) holds the last sequence number and hash; services lock it to
append, which serializes the chain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an audit row."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit rows are append-only: bulk update refused")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit rows are append-only: delete refused")


class AuditEvent(models.Model):
    """Who did what, when, to which field (old → new), why, under which request."""

    actor_id: int | None

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    entity = models.CharField(max_length=64)
    entity_id = models.CharField(max_length=200)
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    field = models.CharField(max_length=100, blank=True)
    old = models.JSONField(null=True)
    new = models.JSONField(null=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=100, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects: ClassVar[AuditQuerySet] = AuditQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("sequence",)
        indexes = (models.Index(fields=("entity", "entity_id")),)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"audit row {self.sequence} is append-only: update refused")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"audit row {self.sequence} is append-only: delete refused")


class AuditHead(models.Model):
    """The end of the chain (a single row, ``pk=1``): last sequence number and hash."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
