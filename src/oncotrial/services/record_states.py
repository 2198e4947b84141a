"""The record state machine: entered → verified (SDV) → signed → locked, declared in one table.

* ``verify``: a monitor's source-data verification of an entered record;
* ``sign``: the investigator's electronic signature (password re-entered, 21 CFR 11.200)
  of a verified record;
* ``lock``: a data manager locks a record in any unlocked state (casebook lock: every
  record of a subject);
* ``unlock``: a data manager, with a reason; the record returns to *entered*, so its
  verification and signature are void (REDCap: "unlocking a form negates its e-signature");
* ``edit``: a data change of an unlocked record returns it to *entered*.

Any other transition is refused with :class:`RecordStateError` naming the state and the
states the transition accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from django.db import transaction

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import FormRecord, RecordStatus, Subject
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.forms import FORMS
from oncotrial.services.permissions import Action

E, V, S, L = RecordStatus.ENTERED, RecordStatus.VERIFIED, RecordStatus.SIGNED, RecordStatus.LOCKED

TRANSITIONS: Final[Mapping[str, Mapping[RecordStatus, RecordStatus]]] = {
    "edit": {E: E, V: E, S: E},
    "verify": {E: V},
    "sign": {V: S},
    "lock": {E: L, V: L, S: L},
    "unlock": {L: E},
}
"""transition → {from state: to state}; a pair not listed is refused."""


class RecordStateError(DomainError):
    """A transition the record's current state does not allow."""


def next_status(record: FormRecord, transition: str) -> RecordStatus:
    """The state ``record`` moves to under ``transition``, or :class:`RecordStateError`."""
    allowed = TRANSITIONS[transition]
    current = RecordStatus(record.status)
    if current not in allowed:
        states = ", ".join(s.value for s in allowed)
        raise RecordStateError(
            "status",
            current.value,
            f"a record in state {states} to {transition} it",
            "a locked record must be unlocked by a data manager first." if current is L else None,
        )
    return allowed[current]


def _records_of(target: FormRecord | Subject | Sequence[FormRecord]) -> tuple[Subject, list[FormRecord]]:
    if isinstance(target, Subject):
        return target, list(FormRecord.objects.filter(subject=target).order_by("id"))
    records = [target] if isinstance(target, FormRecord) else list(target)
    if not records:
        raise DomainError("records", [], "at least one record")
    subjects = {r.subject_id for r in records}
    if len(subjects) != 1:
        raise DomainError("records", sorted(subjects), "records of one subject")
    return records[0].subject, records


def _locked_rows(records: Sequence[FormRecord]) -> list[FormRecord]:
    return list(FormRecord.objects.select_for_update().filter(pk__in=[r.pk for r in records]).order_by("id"))


def do_verify(ctx: AuditContext, form_record: FormRecord) -> FormRecord:
    """Source-data verification by a monitor: entered → verified."""
    user = permitted(ctx, Action.VERIFY_DATA, form_record.subject.site)
    with transaction.atomic():
        (row,) = _locked_rows([form_record])
        new = next_status(row, "verify")
        row.status, row.verified_by, row.verified_at = new, user, clock.now()
        row.save(update_fields=["status", "verified_by", "verified_at"])
        record(
            ctx,
            "verify",
            "form_record",
            row.pk,
            subject_id=row.subject.subject_id,
            changes={"status": (RecordStatus.ENTERED.value, new.value)},
        )
    return row


def do_sign(
    ctx: AuditContext,
    records_or_subject: FormRecord | Subject | Sequence[FormRecord],
    *,
    password: str,
    meaning: str,
) -> list[FormRecord]:
    """The investigator's electronic signature, password re-entered (21 CFR 11.50, 11.200).

    Signing a subject signs its casebook: every verified record (signed and locked ones
    are left as they are); a record still only *entered* refuses the whole signature.
    Stores the signer's full name, the time and the ``meaning`` ("I approve these data").
    """
    subject, records = _records_of(records_or_subject)
    user = permitted(ctx, Action.SIGN, subject.site)
    if not isinstance(meaning, str) or not meaning.strip() or len(meaning) > 200:
        raise DomainError("meaning", meaning, "the meaning of the signature, 1 to 200 characters")
    if not isinstance(password, str) or not user.check_password(password):
        raise PermissionDenied("password", Action.SIGN, "the password does not match the signer's")
    casebook = isinstance(records_or_subject, Subject)
    name = user.get_full_name() or user.username
    signed = []
    with transaction.atomic():
        rows = _locked_rows(records)
        if casebook:
            pending = [r for r in rows if r.status == RecordStatus.ENTERED]
            if pending:
                raise RecordStateError(
                    "status",
                    RecordStatus.ENTERED.value,
                    "every record of the casebook verified before it is signed",
                    f"records not yet verified: {', '.join(str(r) for r in pending[:10])}",
                )
            rows = [r for r in rows if r.status == RecordStatus.VERIFIED]
        now = clock.now()
        for row in rows:
            new = next_status(row, "sign")
            old = row.status
            row.status, row.signed_by, row.signed_name = new, user, name
            row.signed_at, row.signature_meaning = now, meaning.strip()
            row.save(update_fields=["status", "signed_by", "signed_name", "signed_at", "signature_meaning"])
            record(
                ctx,
                "sign",
                "form_record",
                row.pk,
                subject_id=subject.subject_id,
                changes={
                    "status": (old, new.value),
                    "signature": (None, {"name": name, "meaning": meaning.strip(), "at": now}),
                },
            )
            signed.append(row)
    return signed


def do_lock(ctx: AuditContext, record_or_subject: FormRecord | Subject, reason: str = "") -> list[FormRecord]:
    """Lock a record, or a subject's whole casebook (every record not yet locked); data managers."""
    subject, records = _records_of(record_or_subject)
    user = permitted(ctx, Action.LOCK, subject.site)
    locked = []
    with transaction.atomic():
        rows = _locked_rows(records)
        if isinstance(record_or_subject, Subject):
            rows = [r for r in rows if r.status != RecordStatus.LOCKED]
        now = clock.now()
        for row in rows:
            new = next_status(row, "lock")
            old = row.status
            row.status, row.locked_by, row.locked_at = new, user, now
            row.save(update_fields=["status", "locked_by", "locked_at"])
            record(
                ctx,
                "lock",
                "form_record",
                row.pk,
                subject_id=subject.subject_id,
                changes={"status": (old, new.value)},
                reason=reason or ctx.reason,
            )
            locked.append(row)
    return locked


def do_unlock(ctx: AuditContext, form_record: FormRecord, reason: str) -> FormRecord:
    """Unlock a record with a reason (data managers); it returns to *entered*: SDV and signature are void."""
    permitted(ctx, Action.LOCK, form_record.subject.site)
    reason = _unlock_reason(reason)
    with transaction.atomic():
        (row,) = _locked_rows([form_record])
        _unlock(ctx, row, reason)
    return row


def do_unlock_casebook(ctx: AuditContext, subject: Subject, reason: str) -> list[FormRecord]:
    """Unlock every locked record of ``subject`` at once, each audited with ``reason`` (data managers).

    Each returns to *entered* (its verification and signature are void, as for one record);
    records not locked are left as they are. Returns the records unlocked (none: nothing locked).
    """
    permitted(ctx, Action.LOCK, subject.site)
    reason = _unlock_reason(reason)
    with transaction.atomic():
        rows = [r for r in _locked_rows(_records_of(subject)[1]) if r.status == RecordStatus.LOCKED]
        for row in rows:
            row.subject = subject
            _unlock(ctx, row, reason)
    return rows


def _unlock_reason(reason: object) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise DomainError("reason", reason, "the reason for unlocking the record")
    return reason.strip()


def _unlock(ctx: AuditContext, row: FormRecord, reason: str) -> None:
    new = next_status(row, "unlock")
    row.status, row.locked_by, row.locked_at = new, None, None
    row.verified_by = row.signed_by = None
    row.verified_at = row.signed_at = None
    row.signed_name = row.signature_meaning = ""
    row.save(
        update_fields=[
            "status",
            "locked_by",
            "locked_at",
            "verified_by",
            "verified_at",
            "signed_by",
            "signed_at",
            "signed_name",
            "signature_meaning",
        ]
    )
    record(
        ctx,
        "unlock",
        "form_record",
        row.pk,
        subject_id=row.subject.subject_id,
        changes={"status": (RecordStatus.LOCKED.value, new.value)},
        reason=reason,
    )


def do_verify_dose(ctx: AuditContext, form_record: FormRecord) -> FormRecord:
    """A pharmacist verifies the derived prescription of an ``exposure`` record."""
    subject = form_record.subject
    user = permitted(ctx, Action.VERIFY_DOSE, subject.site)
    with transaction.atomic():
        (row,) = _locked_rows([form_record])
        if row.subject_id == subject.pk:
            row.subject = subject  # the row already in hand: no second read of it
        spec = FORMS[row.form_code]
        if not spec.pharmacist_fields:
            raise DomainError("form_code", row.form_code, "a form with a prescription (exposure)")
        if row.status == RecordStatus.LOCKED:
            raise RecordStateError("status", row.status, "an unlocked record")
        if row.dose_verified_at is not None:
            raise DomainError(
                "dose_verification", row.dose_verified_at.isoformat(), "a prescription not yet verified"
            )
        row.dose_verified_by, row.dose_verified_at = user, clock.now()
        row.save(update_fields=["dose_verified_by", "dose_verified_at"])
        record(
            ctx,
            "verify_dose",
            "form_record",
            row.pk,
            subject_id=row.subject.subject_id,
            changes={"prescription": (None, row.derived.get("prescription"))},
        )
    return row
