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
    totp_secret = models.CharField(max_length=64, blank=True)
    """Base32 RFC 6238 secret; sign-in asks for a code once ``totp_enabled``."""
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(default=0)
    """The last accepted 30-second step: a code is never accepted twice (RFC 6238 §5.2)."""

    class Meta:
        constraints = (
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_known"),
        )
