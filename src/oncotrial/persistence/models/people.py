# mypy: disable-error-code="var-annotated"
"""Sites, users and roles. Which role may do what lives in ``services/permissions.py``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """Trial roles (one per user)."""

    INVESTIGATOR = "investigator", "Principal/sub-investigator"
    COORDINATOR = "coordinator", "Research coordinator"
    PHARMACIST = "pharmacist", "Pharmacist"
    DATA_MANAGER = "data_manager", "Data manager"
    MONITOR = "monitor", "Monitor"
    STATISTICIAN = "statistician", "Statistician"
    SPONSOR_VIEWER = "sponsor_viewer", "Sponsor viewer"
    ADMINISTRATOR = "administrator", "Administrator"


class Site(models.Model):
    """A participating centre; ``code`` is the ``site_id`` of patient documents."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return str(self.code)


class User(AbstractUser):
    """A person using Oncotrial: one role, scoped to ``sites`` unless the role is study-wide."""

    role = models.CharField(max_length=32, choices=Role.choices)
    sites = models.ManyToManyField(Site, related_name="users", blank=True)

    class Meta:
        constraints = (
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_known"),
        )
