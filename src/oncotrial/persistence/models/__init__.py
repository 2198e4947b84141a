"""Storage models, one module per concept. Models hold fields and constraints, no rules."""

from oncotrial.persistence.models.access import ApiToken
from oncotrial.persistence.models.audit import AppendOnlyError, AuditEvent, AuditHead
from oncotrial.persistence.models.clinical import FormRecord, LabReferenceRange, RecordStatus, SaeAlert
from oncotrial.persistence.models.people import Role, Site, User
from oncotrial.persistence.models.queries import Query, QueryMessage, QueryOrigin, QueryStatus
from oncotrial.persistence.models.randomization import Allocation, AllocationList, AllocationSlot
from oncotrial.persistence.models.recovery_codes import RecoveryCode
from oncotrial.persistence.models.study import StudyState
from oncotrial.persistence.models.subjects import Consent, Screening, ScreeningStatus, Subject
from oncotrial.persistence.models.visits import TreatmentCourse, Visit, VisitKind

__all__ = [
    "Allocation",
    "AllocationList",
    "AllocationSlot",
    "ApiToken",
    "AppendOnlyError",
    "AuditEvent",
    "AuditHead",
    "Consent",
    "FormRecord",
    "LabReferenceRange",
    "Query",
    "QueryMessage",
    "QueryOrigin",
    "QueryStatus",
    "RecordStatus",
    "RecoveryCode",
    "Role",
    "SaeAlert",
    "Screening",
    "ScreeningStatus",
    "Site",
    "StudyState",
    "Subject",
    "TreatmentCourse",
    "User",
    "Visit",
    "VisitKind",
]
