# mypy: disable-error-code="var-annotated"
"""Subjects, their screenings (stored verdicts) and consents."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncotrial.persistence.models.people import Site


class ScreeningStatus(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    INCOMPLETE = "incomplete", "Incomplete"


class Subject(models.Model):
    """A screened person, identified by ``subject_id`` (the patient document's ``patient_id``)."""

    site_id: int

    subject_id = models.CharField(max_length=64, unique=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="subjects")
    screening_status = models.CharField(max_length=16, choices=ScreeningStatus.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("subject_id",)

    def __str__(self) -> str:
        return str(self.subject_id)


class Screening(models.Model):
    """One run of the eligibility engine: the entered document and every verdict with its reason."""

    subject_id: int

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="screenings")
    screened_on = models.DateField()
    protocol_id = models.CharField(max_length=64)
    data = models.JSONField()
    verdicts = models.JSONField()
    status = models.CharField(max_length=16, choices=ScreeningStatus.choices)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("subject", "id")
        indexes = (models.Index(fields=("status",)),)


class Consent(models.Model):
    """Informed consent to one version of the consent form; a new version needs re-consent."""

    subject_id: int

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="consents")
    version = models.CharField(max_length=32)
    consent_date = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("subject", "consent_date", "id")
        constraints = (
            models.UniqueConstraint(fields=("subject", "version"), name="consent_once_per_version"),
        )
