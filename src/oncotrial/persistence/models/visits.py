# mypy: disable-error-code="var-annotated"
"""The treatment course of a randomized subject and its visits (planned and done).

Planned visits come from core ``build_calendar`` (``services/visits.py``); only a
bounded horizon of cycles is stored ahead and extended as cycles are given.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncotrial.persistence.models.subjects import Subject


class VisitKind(models.TextChoices):
    CYCLE = "cycle", "Treatment cycle day"
    ASSESSMENT = "assessment", "Assessment (imaging)"
    UNSCHEDULED = "unscheduled", "Unscheduled"
    EOT = "eot", "End of treatment"
    FOLLOW_UP = "follow_up", "Follow-up"


class TreatmentCourse(models.Model):
    """Arm, dates and recorded cycle delays from which the calendar is rebuilt."""

    subject_id: int

    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="treatment")
    arm = models.CharField(max_length=32)
    randomization_date = models.DateField()
    start_date = models.DateField()
    delays = models.JSONField(default=dict)
    """``{"cycle number": delay days}`` as recorded at day 1 of each delayed cycle."""
    horizon = models.DateField()
    """Planned visits are stored up to this date and extended as cycles are given."""
    ended_on = models.DateField(null=True, blank=True)
    """End of treatment: no cycle visit is planned after it."""
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()


class Visit(models.Model):
    """A planned or unscheduled visit; ``actual_date`` is set once it took place."""

    subject_id: int

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="visits")
    code = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=VisitKind.choices)
    cycle = models.PositiveIntegerField(null=True, blank=True)
    day = models.PositiveIntegerField(null=True, blank=True)
    planned_date = models.DateField(null=True, blank=True)
    window_earliest = models.DateField(null=True, blank=True)
    window_latest = models.DateField(null=True, blank=True)
    actual_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    assessments = models.JSONField(default=list)
    """Protocol assessment codes due at this visit (``PRE_CYCLE_LABS``, ``IMAGING`` …)."""

    class Meta:
        ordering = ("subject", "planned_date", "code")
        constraints = (
            models.UniqueConstraint(fields=("subject", "code"), name="visit_code_unique_per_subject"),
            models.CheckConstraint(condition=models.Q(kind__in=VisitKind.values), name="visit_kind_known"),
        )
        indexes = (models.Index(fields=("actual_date", "planned_date")),)

    def __str__(self) -> str:
        return str(self.code)
