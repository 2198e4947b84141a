# mypy: disable-error-code="var-annotated"
"""Data queries (discrepancy notes) on one field of one record, with their message thread."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncotrial.persistence.models.clinical import FormRecord
from oncotrial.persistence.models.subjects import Subject


class QueryStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class QueryOrigin(models.TextChoices):
    MANUAL = "manual", "Raised by a user"
    SYSTEM = "system", "Raised by an edit check"


class Query(models.Model):
    """A question about ``field`` of ``record``; ``check_code`` names the edit check of a system query."""

    record_id: int
    subject_id: int

    record = models.ForeignKey(FormRecord, on_delete=models.PROTECT, related_name="queries")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="queries")
    field = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=QueryStatus.choices, default=QueryStatus.OPEN)
    origin = models.CharField(max_length=16, choices=QueryOrigin.choices)
    check_code = models.CharField(max_length=64, blank=True)
    text = models.TextField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("opened_at", "id")
        indexes = (models.Index(fields=("status", "subject")), models.Index(fields=("record", "field")))
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status__in=QueryStatus.values), name="query_status_known"
            ),
        )


class QueryMessage(models.Model):
    """One message of a query's thread (opening text, answers, closing and reopening notes)."""

    query_id: int

    query = models.ForeignKey(Query, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("query", "created_at", "id")
