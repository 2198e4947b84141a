# mypy: disable-error-code="var-annotated"
"""One-time recovery codes of the TOTP second factor: only a SHA-256 digest of each is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    """One recovery code of a user; usable while neither ``used_at`` nor ``revoked_at`` is set.

    The code itself is shown once, when issued; ``digest`` is SHA-256 over the user's id and
    the normalized code (``services/recovery_codes.py`` says why a fast hash suffices).
    """

    user_id: int

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("user", "created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("user", "digest"), name="recovery_code_unique_per_user"),
        )
