"""Saving eCRFs: one validation path for the web, the API, imports and the trial conductor.

:func:`do_save_form` creates or edits a :class:`FormRecord` in one transaction:

1. permission ``ENTER_DATA`` at the subject's site;
2. every field checked against the form's :class:`FormSpec` and every hard edit check
   run; all problems are raised together as :class:`FormErrors` and nothing is written;
3. core derives the computed values (BSA, CTCAE grades, dose decision, RECIST/mRECIST);
4. the record is written and audited: a creation is one audit row holding the whole
   data; an edit (reason required) is one row per changed field (old → new) with the
   reason, and returns a verified or signed record to *entered*;
5. soft edit checks open system queries (and close those no longer triggered);
6. a serious adverse event raises an :class:`SaeAlert`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.inserts import insert_rows
from oncotrial.persistence.models import FormRecord, RecordStatus, Subject, Visit
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, plain, record
from oncotrial.services.forms import FORMS, FieldError, FormErrors, FormSpec, Severity
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.validation import clean_form
from oncotrial.services.permissions import Action
from oncotrial.services.queries import sync_system_queries
from oncotrial.services.record_states import next_status
from oncotrial.services.safety import raise_sae_alert


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A form's values as stored, what core derived, the hard errors and the soft warnings."""

    data: dict[str, Any]
    derived: dict[str, Any]
    errors: list[FieldError]
    warnings: list[tuple[str, FieldError]]


def form_spec(form_code: object) -> FormSpec:
    spec = FORMS.get(form_code) if isinstance(form_code, str) else None
    if spec is None:
        raise DomainError("form_code", form_code, "one of " + ", ".join(FORMS))
    return spec


def _check_visit(spec: FormSpec, subject: Subject, visit: Visit | None) -> None:
    if visit is None:
        return
    if not spec.visit_bound:
        raise DomainError("visit", visit.code, f"no visit: form {spec.code} is kept at subject level")
    if visit.subject_id != subject.pk:
        raise DomainError("visit", visit.code, f"a visit of subject {subject.subject_id}")


def evaluate(spec: FormSpec, context: FormContext, data: Mapping[str, object]) -> Evaluation:
    """Validate, run the edit checks and derive; raises nothing for bad input (see ``errors``)."""
    cleaned, errors = clean_form(spec, data, context.today)
    warnings: list[tuple[str, FieldError]] = []
    for check in spec.checks if not errors else ():  # cross-field checks read valid values only
        try:
            found = check.run(context, cleaned)
        except (KeyError, TypeError, ValueError):
            continue  # a check whose inputs are invalid: the field errors already say why
        if check.severity is Severity.HARD:
            errors.extend(found)
        else:
            warnings.extend((check.code, w) for w in found)
    derived: dict[str, Any] = {}
    if not errors and spec.derive is not None:
        try:
            derived = plain(spec.derive(context, cleaned))  # type: ignore[assignment]
        except FormErrors as err:
            errors.extend(err.errors)
        except DomainError as err:
            errors.append(FieldError(err.field, err.value, str(err)))
        else:
            for code, run in spec.derived_warnings:
                warnings.extend((code, w) for w in run(cleaned, derived))
    return Evaluation(cleaned, derived, errors, warnings)


def check_form(
    subject: Subject,
    form_code: str,
    data: Mapping[str, object],
    *,
    visit: Visit | None = None,
    record: FormRecord | None = None,
) -> list[FieldError]:
    """Every problem ``data`` would raise on save (no write, no permission check)."""
    spec = form_spec(form_code)
    _check_visit(spec, subject, visit)
    context = FormContext(subject, spec.code, visit=visit, record=record, today=clock.today())
    return evaluate(spec, context, data).errors


def _unique_key(spec: FormSpec, subject: Subject, visit: Visit | None) -> str | None:
    if spec.repeating or (spec.visit_bound and visit is None):
        return None
    return f"{subject.pk}:{spec.code}:{visit.pk if visit is not None else '-'}"


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, tuple[object, object]]:
    return {k: (old.get(k), new.get(k)) for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}


def do_save_form(
    ctx: AuditContext,
    subject: Subject,
    form_code: str,
    data: Mapping[str, object],
    *,
    visit: Visit | None = None,
    record: FormRecord | None = None,
    expected_version: int | None = None,
) -> FormRecord:
    """Create (``record`` None) or edit a record of ``form_code`` for ``subject``.

    Raises :class:`FormErrors` (every bad field), :class:`DomainError` (unknown form,
    wrong visit, a second non-repeating record, an edit without ``ctx.reason``, a stale
    ``expected_version``), :class:`~oncotrial.services.record_states.RecordStateError`
    (locked record) or :class:`PermissionDenied`.
    """
    user = permitted(ctx, Action.ENTER_DATA, subject.site)
    spec = form_spec(form_code)
    if record is not None:
        if record.subject_id != subject.pk or record.form_code != spec.code:
            raise DomainError("record", record.pk, f"a {spec.code} record of subject {subject.subject_id}")
        if not ctx.reason or not ctx.reason.strip():
            raise DomainError(
                "reason",
                ctx.reason,
                "a reason for changing a saved record",
                "every change after the first save is audited with its reason.",
            )
        visit = record.visit
    _check_visit(spec, subject, visit)
    try:
        with transaction.atomic():
            current = None
            if record is not None:
                current = FormRecord.objects.select_for_update().get(pk=record.pk)
                if current.subject_id == subject.pk:
                    current.subject = subject  # the row already in hand: no second read of it
                next_status(current, "edit")
                if expected_version is not None and expected_version != current.version:
                    raise DomainError(
                        "version",
                        expected_version,
                        f"the current version {current.version} (the record changed meanwhile)",
                    )
            context = FormContext(subject, spec.code, visit=visit, record=current, today=clock.today())
            result = evaluate(spec, context, data)
            errors = list(result.errors)
            if spec.pharmacist_fields:
                errors.extend(_dose_verification_errors(spec, current, result))
            if errors:
                raise FormErrors(spec.code, errors)
            saved = (
                _create(ctx, user, spec, subject, visit, result)
                if current is None
                else _edit(ctx, spec, current, result)
            )
            if current is not None or result.warnings:  # a record just created has no queries to close
                sync_system_queries(ctx, saved, result.warnings)
            if spec.code == "adverse_event":
                raise_sae_alert(ctx, saved)
    except _SecondRecordError as second:  # rolled back: now tell which record to edit instead
        raise _second_record_error(spec, subject, visit, second.key) from second.__cause__
    return saved


_CONCURRENT = "a form not yet entered (a concurrent save won)"


class _SecondRecordError(Exception):
    """A non-repeating form saved twice for one visit or subject (raised inside the transaction)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _second_record_error(spec: FormSpec, subject: Subject, visit: Visit | None, key: str) -> DomainError:
    """The refusal of a second record, naming the one to edit (read after the rollback).

    The unique key is enforced by the database, not checked first: a save then runs one
    statement fewer, and a concurrent save of the same form is refused the same way.
    """
    existing = FormRecord.objects.filter(unique_key=key).order_by().values_list("pk", flat=True).first()
    if existing is None:  # the other save was itself rolled back meanwhile
        return DomainError("form_code", spec.code, _CONCURRENT)
    where = f"visit {visit.code}" if visit is not None else f"subject {subject.subject_id}"
    return DomainError(
        "form_code",
        spec.code,
        f"a form not yet entered for {where}",
        f"edit record {existing} instead (form {spec.code} is not repeating).",
    )


def _prescription_changed(old: FormRecord | None, result: Evaluation) -> bool:
    return old is None or old.derived.get("prescription") != result.derived.get("prescription")


def _dose_verification_errors(spec: FormSpec, old: FormRecord | None, result: Evaluation) -> list[FieldError]:
    """Administration fields need the pharmacist's verification of the current prescription."""
    verified = old is not None and old.dose_verified_at is not None and not _prescription_changed(old, result)
    if verified:
        return []
    return [
        FieldError(
            name,
            result.data[name],
            "no administration before the pharmacist has verified the prescribed doses (do_verify_dose)",
        )
        for name in spec.pharmacist_fields
        if name in result.data
    ]


def _record_date(spec: FormSpec, data: Mapping[str, Any]) -> date | None:
    raw = data.get(spec.date_field) if spec.date_field else None
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _create(
    ctx: AuditContext, user: Any, spec: FormSpec, subject: Subject, visit: Visit | None, result: Evaluation
) -> FormRecord:
    key = _unique_key(spec, subject, visit)
    now = clock.now()
    try:
        saved = FormRecord(
            subject=subject,
            visit=visit,
            form_code=spec.code,
            unique_key=key,
            data=result.data,
            derived=result.derived,
            record_date=_record_date(spec, result.data),
            status=RecordStatus.ENTERED,
            version=1,
            entered_by=user,
            created_at=now,
            updated_at=now,
        )
        insert_rows([saved], returning=True)
    except IntegrityError as exc:  # the unique key is taken: the whole save rolls back
        if key is None:
            raise DomainError("form_code", spec.code, _CONCURRENT) from exc
        raise _SecondRecordError(key) from exc
    record(
        ctx,
        "create",
        "form_record",
        saved.pk,
        subject_id=subject.subject_id,
        changes={"data": (None, {"form": spec.code, "visit": visit.code if visit else None, **result.data})},
        reason="",
    )
    return saved


def _edit(ctx: AuditContext, spec: FormSpec, current: FormRecord, result: Evaluation) -> FormRecord:
    changes = _changes(current.data, result.data)
    if not changes:
        return current
    derived_changed = current.derived != result.derived
    if derived_changed:
        changes["derived"] = (current.derived, result.derived)
    new_status = next_status(current, "edit")
    if new_status != current.status:
        changes["status"] = (current.status, new_status.value)
    fields = [
        "data",
        "derived",
        "status",
        "version",
        "updated_at",
        "verified_by",
        "verified_at",
        "signed_by",
        "signed_name",
        "signed_at",
        "signature_meaning",
    ]
    if (
        spec.pharmacist_fields
        and current.dose_verified_at is not None
        and _prescription_changed(current, result)
    ):
        changes["dose_verification"] = (current.dose_verified_at, None)
        current.dose_verified_by, current.dose_verified_at = None, None
        fields += ["dose_verified_by", "dose_verified_at"]
    current.data, current.derived, current.status = result.data, result.derived, new_status
    current.record_date = _record_date(spec, result.data)
    fields.append("record_date")
    current.version += 1
    current.updated_at = clock.now()
    current.verified_by = current.signed_by = None
    current.verified_at = current.signed_at = None
    current.signed_name = current.signature_meaning = ""
    current.save(update_fields=fields)
    record(ctx, "edit", "form_record", current.pk, subject_id=current.subject.subject_id, changes=changes)
    return current
