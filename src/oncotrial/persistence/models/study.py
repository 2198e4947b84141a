# mypy: disable-error-code="var-annotated"
"""Facts about the database as a whole: whether its data are simulated, and its data cut-off."""

from __future__ import annotations

from django.db import models


class StudyState(models.Model):
    """One row (``pk=1``). ``simulated`` marks a demo database; every page then says so."""

    simulated = models.BooleanField(default=False)
    label = models.CharField(max_length=200, blank=True)
    data_cutoff = models.DateField(null=True, blank=True)
    seed = models.BigIntegerField(null=True, blank=True)
    parameters = models.JSONField(default=dict)
    built_at = models.DateTimeField(null=True, blank=True)
