"""Storage models, one module per concept. Models hold fields and constraints, no rules."""

from oncotrial.persistence.models.audit import AppendOnlyError, AuditEvent, AuditHead
from oncotrial.persistence.models.people import Role, Site, User
from oncotrial.persistence.models.randomization import Allocation, AllocationList, AllocationSlot
from oncotrial.persistence.models.subjects import Consent, Screening, ScreeningStatus, Subject

__all__ = [
    "Allocation",
    "AllocationList",
    "AllocationSlot",
    "AppendOnlyError",
    "AuditEvent",
    "AuditHead",
    "Consent",
    "Role",
    "Screening",
    "ScreeningStatus",
    "Site",
    "Subject",
    "User",
]
