# mypy: disable-error-code="var-annotated"
"""eCRF records: one row per entered form, with the entered values and what core derived.

A :class:`FormRecord` stores the values exactly as validated by the form framework
(``services/forms``) in ``data`` and the values computed by core (BSA, CTCAE grades,
dose decisions, RECIST/mRECIST responses) in ``derived``. ``status`` follows the record
state machine declared in ``services/record_states.py``; ``version`` counts saves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncotrial.persistence.models.people import Site
from oncotrial.persistence.models.subjects import Subject
from oncotrial.persistence.models.visits import Visit


class RecordStatus(models.TextChoices):
    ENTERED = "entered", "Entered"
    VERIFIED = "verified", "Source-data verified"
    SIGNED = "signed", "Signed by the investigator"
    LOCKED = "locked", "Locked"


class FormRecord(models.Model):
    """One saved eCRF (``form_code`` names its :class:`FormSpec`)."""

    subject_id: int
    visit_id: int | None
    entered_by_id: int

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="form_records", db_index=False
    )
    """Indexed by the (subject, form_code, record_date) index, which leads with it."""
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="records")
    form_code = models.CharField(max_length=40)
    unique_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    """``subject:form:visit`` for a non-repeating form (one per visit or subject), else null."""
    data = models.JSONField(default=dict)
    derived = models.JSONField(default=dict)
    record_date = models.DateField(null=True, blank=True)
    """The date of the record's ``date_field`` (scan, collection, administration…), for range queries."""
    status = models.CharField(max_length=16, choices=RecordStatus.choices, default=RecordStatus.ENTERED)
    version = models.PositiveIntegerField(default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    """The user columns are not indexed: no query selects records by user (the audit trail
    answers "who did what"), and each index would be written on every save."""
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    signed_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signature_meaning = models.CharField(max_length=200, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    dose_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    dose_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("subject", "form_code", "id")
        indexes = (
            models.Index(fields=("subject", "form_code", "record_date")),
            models.Index(fields=("form_code", "status")),
        )
        constraints = (
            models.CheckConstraint(
                condition=models.Q(status__in=RecordStatus.values), name="record_status_known"
            ),
        )

    def __str__(self) -> str:
        return f"{self.form_code} #{self.pk}"


class LabReferenceRange(models.Model):
    """A site laboratory's normal range for one test, as entered and in canonical units."""

    site_id: int

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="reference_ranges")
    test = models.CharField(max_length=16)
    lln = models.FloatField(null=True, blank=True)
    uln = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=32)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ("site", "test")
        constraints = (models.UniqueConstraint(fields=("site", "test"), name="one_range_per_site_test"),)


class SaeAlert(models.Model):
    """A serious adverse event reported on an ``adverse_event`` record, until acknowledged."""

    record_id: int
    subject_id: int

    record = models.OneToOneField(FormRecord, on_delete=models.PROTECT, related_name="sae_alert")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="sae_alerts")
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (models.Index(fields=("acknowledged_at",)),)
