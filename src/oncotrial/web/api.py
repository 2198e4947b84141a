"""The JSON API (django-ninja): the same services as the pages, schema at ``/api/openapi.json``.

Authentication is the signed-in session (unsafe methods need the CSRF token, as for the
pages). Errors are JSON: 422 with every bad field (``errors[].field/value/message``), 403
for a permission refusal, 404 for an unknown form; never a stack trace.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Header, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status
from ninja.security import HttpBearer, SessionAuth

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import Allocation, FormRecord, Subject, User, Visit
from oncotrial.services.api_tokens import check_api_token
from oncotrial.services.crf import do_save_form
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.forms import FORMS
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.randomization import check_randomize_subject
from oncotrial.services.subjects import check_screen_subject, do_record_consent
from oncotrial.services.visibility import subject_for, visible_subjects
from oncotrial.web.views.common import acting_user, audit_context


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ot_…``: an API token; ``read`` scope for GET, ``write`` for changes."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = check_api_token(token)
        if found is None:
            return None
        user, scopes = found
        needed = "read" if request.method in {"GET", "HEAD", "OPTIONS"} else "write"
        if needed not in scopes:
            raise PermissionDenied("scope", request.method or "", f"this token lacks the {needed!r} scope")
        request.user = user
        return user


api = NinjaAPI(
    title="Oncotrial API",
    version="1",
    description="Trial operations for NCT07304388 (IA3GM-II). Every call is authenticated and audited.",
    auth=[TokenAuth(), SessionAuth()],
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="api",
)


class FieldProblem(Schema):
    field: str
    value: Any = None
    message: str


class ErrorOut(Schema):
    error: str
    message: str
    errors: list[FieldProblem] = Field(default_factory=list)


def _problem(
    request: HttpRequest, status: int, error: str, message: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": error, "message": message, "errors": errors or []}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    details = exc.as_dict()
    errors = details.get("errors")
    if not isinstance(errors, list):
        errors = [{"field": exc.field, "value": details.get("value"), "message": str(exc)}]
    return _problem(request, 422, type(exc).__name__, str(exc), errors)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _problem(request, 403, "PermissionDenied", str(exc))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors raised by the framework itself (e.g. a failed CSRF check) in the same JSON shape."""
    return _problem(request, exc.status_code, "HttpError", str(exc))


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())[1:]) or "body",
            "value": None,
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return _problem(request, 422, "ValidationError", "the request does not match the schema", errors)


class SubjectOut(Schema):
    subject_id: str
    site: str
    screening_status: str
    arm: str | None = None


def _subject_out(subject: Subject) -> dict[str, Any]:
    allocation = Allocation.objects.select_related("slot").filter(subject=subject).first()
    return {
        "subject_id": subject.subject_id,
        "site": subject.site.code,
        "screening_status": subject.screening_status,
        "arm": allocation.slot.arm if allocation else None,
    }


@api.get("/subjects", response={200: list[SubjectOut], 403: ErrorOut}, tags=["subjects"])
def list_subjects(request: HttpRequest, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Subjects within the caller's sites, in subject-id order (``limit`` ≤ 500)."""
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    subjects = visible_subjects(acting_user(request)).order_by("subject_id")[offset : offset + limit]
    return [_subject_out(s) for s in subjects]


@api.get("/subjects/{subject_id}", response={200: SubjectOut, 403: ErrorOut}, tags=["subjects"])
def get_subject(request: HttpRequest, subject_id: str) -> dict[str, Any]:
    return _subject_out(subject_for(acting_user(request), subject_id))


class ScreeningIn(Schema):
    screened_on: date
    patient: dict[str, Any]


class VerdictOut(Schema):
    code: str
    kind: str
    text: str
    met: bool | None
    passes: bool | None
    reason: str


class ScreeningOut(Schema):
    subject_id: str
    status: str
    verdicts: list[VerdictOut]


@api.post("/screenings", response={201: ScreeningOut, 403: ErrorOut, 422: ErrorOut}, tags=["subjects"])
def screen(request: HttpRequest, body: ScreeningIn) -> Status[dict[str, Any]]:
    """Run the eligibility engine on a patient document (``docs/patient-format.md``) and store it."""
    screening = check_screen_subject(audit_context(request), body.patient, on=body.screened_on)
    return Status(
        201,
        {
            "subject_id": screening.subject.subject_id,
            "status": screening.status,
            "verdicts": screening.verdicts,
        },
    )


class ConsentIn(Schema):
    version: str
    consent_date: date


class ConsentOut(Schema):
    subject_id: str
    version: str
    consent_date: date


@api.post(
    "/subjects/{subject_id}/consents",
    response={201: ConsentOut, 403: ErrorOut, 422: ErrorOut},
    tags=["subjects"],
)
def consent(request: HttpRequest, subject_id: str, body: ConsentIn) -> Status[dict[str, Any]]:
    subject = subject_for(acting_user(request), subject_id)
    row = do_record_consent(
        audit_context(request), subject, version=body.version, consent_date=body.consent_date
    )
    return Status(
        201, {"subject_id": subject.subject_id, "version": row.version, "consent_date": row.consent_date}
    )


class AllocationOut(Schema):
    subject_id: str
    arm: str
    stratum: str
    slot_id: str


@api.post(
    "/subjects/{subject_id}/randomization",
    response={200: AllocationOut, 403: ErrorOut, 422: ErrorOut},
    tags=["subjects"],
)
def randomize(
    request: HttpRequest, subject_id: str, idempotency_key: Annotated[str, Header(alias="Idempotency-Key")]
) -> dict[str, Any]:
    """Randomize once: a retry with the same ``Idempotency-Key`` returns the same allocation."""
    subject = subject_for(acting_user(request), subject_id)
    allocation = check_randomize_subject(audit_context(request), subject, idempotency_key)
    return {
        "subject_id": subject.subject_id,
        "arm": allocation.slot.arm,
        "stratum": allocation.slot.stratum_key,
        "slot_id": allocation.slot.slot_id,
    }


class FieldSpecOut(Schema):
    name: str
    label: str
    kind: str
    required: bool
    choices: list[str]
    units: list[str]
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    columns: list[str] = Field(default_factory=list)


class FormSpecOut(Schema):
    code: str
    title: str
    visit_bound: bool
    repeating: bool
    fields: list[FieldSpecOut]


@api.get("/forms", response=list[FormSpecOut], tags=["forms"])
def list_forms(request: HttpRequest) -> list[dict[str, Any]]:
    """The eCRF declarations: what each form accepts (kinds, units, ranges, choices)."""
    return [
        {
            "code": spec.code,
            "title": spec.title,
            "visit_bound": spec.visit_bound,
            "repeating": spec.repeating,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "kind": f.kind.value,
                    "required": f.required,
                    "choices": list(f.choice_codes),
                    "units": list(f.units),
                    "minimum": f.minimum,
                    "maximum": f.maximum,
                    "help": f.help,
                    "columns": [c.name for c in f.columns],
                }
                for f in spec.fields
            ],
        }
        for spec in FORMS.values()
    ]


class RecordIn(Schema):
    form: str
    visit_id: int | None = None
    data: dict[str, Any]


class RecordEditIn(Schema):
    data: dict[str, Any]
    reason: str
    version: int | None = None


class RecordOut(Schema):
    id: int
    subject_id: str
    form: str
    visit: str | None
    status: str
    version: int
    data: dict[str, Any]
    derived: dict[str, Any]


def _record_out(row: FormRecord) -> dict[str, Any]:
    return {
        "id": row.pk,
        "subject_id": row.subject.subject_id,
        "form": row.form_code,
        "visit": row.visit.code if row.visit else None,
        "status": row.status,
        "version": row.version,
        "data": row.data,
        "derived": row.derived,
    }


def _visible_record(request: HttpRequest, record_id: int) -> FormRecord:
    user = acting_user(request)
    row = (
        FormRecord.objects.select_related("subject__site", "visit")
        .filter(pk=record_id, subject__in=visible_subjects(user))
        .first()
    )
    if row is None:
        raise PermissionDenied("record", "view_data", f"no record {record_id} within your sites")
    check_permission(user, Action.VIEW_DATA, row.subject.site)
    return row


@api.post(
    "/subjects/{subject_id}/records", response={201: RecordOut, 403: ErrorOut, 422: ErrorOut}, tags=["forms"]
)
def create_record(request: HttpRequest, subject_id: str, body: RecordIn) -> Status[dict[str, Any]]:
    """Save a new record; every bad field comes back at once (422) and nothing is written."""
    subject = subject_for(acting_user(request), subject_id)
    visit = None
    if body.visit_id is not None:
        visit = Visit.objects.filter(subject=subject, pk=body.visit_id).first()
        if visit is None:
            raise DomainError("visit_id", body.visit_id, f"a visit of subject {subject.subject_id}")
    row = do_save_form(audit_context(request), subject, body.form, body.data, visit=visit)
    return Status(201, _record_out(row))


@api.get("/records/{record_id}", response={200: RecordOut, 403: ErrorOut}, tags=["forms"])
def get_record(request: HttpRequest, record_id: int) -> dict[str, Any]:
    return _record_out(_visible_record(request, record_id))


@api.put("/records/{record_id}", response={200: RecordOut, 403: ErrorOut, 422: ErrorOut}, tags=["forms"])
def edit_record(request: HttpRequest, record_id: int, body: RecordEditIn) -> dict[str, Any]:
    """Change a saved record: ``reason`` is required and audited; ``version`` guards lost updates."""
    row = _visible_record(request, record_id)
    saved = do_save_form(
        audit_context(request, reason=body.reason),
        row.subject,
        row.form_code,
        body.data,
        record=row,
        expected_version=body.version,
    )
    return _record_out(saved)
