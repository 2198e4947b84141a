"""Errors of the service layer. Bad input raises :class:`oncotrial.core.errors.DomainError`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from oncotrial.core.errors import OncotrialError


class PermissionDenied(OncotrialError, DjangoPermissionDenied):  # noqa: N818 (Django's name)
    """The user may not perform ``action``; ``field`` says why (``role``, ``site`` or ``user``).

    It is Django's ``PermissionDenied`` too, so that views answer 403 without extra code.
    """

    def __init__(self, field: str, action: str, reason: str) -> None:
        self.field = field
        self.action = action
        self.reason = reason
        super().__init__(f"{field}: permission denied for {action}: {reason}.")

    def as_dict(self) -> dict[str, object]:
        return {"error": "PermissionDenied", "field": self.field, "action": self.action, "message": str(self)}
