"""Edits after the first save: a reason is required, each changed field is audited old → new,
verification and signature are voided, locked records refuse; the state machine refuses
illegal transitions and a wrong signing password."""

from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, FormRecord, RecordStatus
from oncotrial.services.audit import AuditContext, verify_audit_chain
from oncotrial.services.crf import do_save_form
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.record_states import RecordStateError, do_lock, do_sign, do_unlock, do_verify
from support import django_db
from support.clinical import PASSWORD, example, table_counts

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated


def _conmed(users: dict[str, Any], subject: Any) -> FormRecord:
    return do_save_form(AuditContext(users["coordinator"]), subject, "conmed", example("conmed"))


def test_an_edit_without_a_reason_is_refused_and_changes_nothing(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _conmed(role_users, treated)
    counts = table_counts()
    with pytest.raises(DomainError) as err:
        do_save_form(
            AuditContext(role_users["coordinator"]),
            treated,
            "conmed",
            example("conmed", dose="8 mg twice daily"),
            record=saved,
        )
    assert err.value.field == "reason" and table_counts() == counts
    saved.refresh_from_db()
    assert "dose" not in saved.data and saved.version == 1


def test_an_edit_with_a_reason_audits_each_changed_field_old_to_new(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _conmed(role_users, treated)
    ctx = AuditContext(role_users["coordinator"], reason="transcription error")
    edited = do_save_form(
        ctx, treated, "conmed", example("conmed", indication="Emesis", dose="8 mg"), record=saved
    )
    assert edited.version == 2 and edited.data["indication"] == "Emesis"
    rows = {e.field: e for e in AuditEvent.objects.filter(action="edit", entity_id=str(saved.pk))}
    assert set(rows) == {"indication", "dose"}
    assert (rows["indication"].old, rows["indication"].new) == ("Nausea prophylaxis", "Emesis")
    assert (rows["dose"].old, rows["dose"].new) == (None, "8 mg")
    assert {e.reason for e in rows.values()} == {"transcription error"}
    assert verify_audit_chain() is None


def test_an_edit_voids_verification_and_signature(treated: Any, role_users: dict[str, Any]) -> None:
    saved = _conmed(role_users, treated)
    do_verify(AuditContext(role_users["monitor"]), saved)
    (signed,) = do_sign(
        AuditContext(role_users["investigator"]), saved, password=PASSWORD, meaning="I approve these data"
    )
    assert signed.status == RecordStatus.SIGNED and signed.signed_name and signed.signed_at
    edited = do_save_form(
        AuditContext(role_users["coordinator"], reason="end date known"),
        treated,
        "conmed",
        example("conmed", ongoing=False, end_date="2024-03-20"),
        record=signed,
    )
    assert edited.status == RecordStatus.ENTERED
    assert edited.signed_at is None and edited.signed_name == "" and edited.verified_at is None
    status_row = AuditEvent.objects.get(action="edit", entity_id=str(saved.pk), field="status")
    assert (status_row.old, status_row.new) == ("signed", "entered")


def test_a_locked_record_refuses_edits_until_unlocked_with_a_reason(
    treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _conmed(role_users, treated)
    dm = AuditContext(role_users["data_manager"])
    do_lock(dm, saved)
    with pytest.raises(RecordStateError):
        do_save_form(
            AuditContext(role_users["coordinator"], reason="late correction"),
            treated,
            "conmed",
            example("conmed", dose="4 mg"),
            record=saved,
        )
    with pytest.raises(DomainError):
        do_unlock(dm, saved, "")
    unlocked = do_unlock(dm, saved, "query 12: dose missing")
    assert unlocked.status == RecordStatus.ENTERED
    do_save_form(
        AuditContext(role_users["coordinator"], reason="query 12"),
        treated,
        "conmed",
        example("conmed", dose="4 mg"),
        record=unlocked,
    )


def test_a_casebook_lock_locks_every_record_of_the_subject(treated: Any, role_users: dict[str, Any]) -> None:
    _conmed(role_users, treated)
    locked = do_lock(AuditContext(role_users["data_manager"]), treated, reason="database lock")
    assert len(locked) == FormRecord.objects.filter(subject=treated).count() >= 3
    assert set(FormRecord.objects.filter(subject=treated).values_list("status", flat=True)) == {"locked"}


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        ((), "sign"),
        (("verify",), "verify"),
        (("verify", "sign"), "verify"),
        (("lock",), "verify"),
        (("lock",), "lock"),
        ((), "unlock"),
    ],
)
def test_the_state_machine_refuses_illegal_transitions(
    steps: tuple[str, ...], illegal: str, treated: Any, role_users: dict[str, Any]
) -> None:
    saved = _conmed(role_users, treated)
    run = {
        "verify": lambda r: do_verify(AuditContext(role_users["monitor"]), r),
        "sign": lambda r: do_sign(
            AuditContext(role_users["investigator"]), r, password=PASSWORD, meaning="approve"
        ),
        "lock": lambda r: do_lock(AuditContext(role_users["data_manager"]), r),
        "unlock": lambda r: do_unlock(AuditContext(role_users["data_manager"]), r, "reason"),
    }
    for step in steps:
        run[step](saved)
        saved.refresh_from_db()
    status = saved.status
    with pytest.raises(RecordStateError) as err:
        run[illegal](saved)
    assert err.value.field == "status"
    saved.refresh_from_db()
    assert saved.status == status


def test_signing_with_a_wrong_password_is_refused(treated: Any, role_users: dict[str, Any]) -> None:
    saved = _conmed(role_users, treated)
    do_verify(AuditContext(role_users["monitor"]), saved)
    counts = table_counts()
    with pytest.raises(PermissionDenied) as err:
        do_sign(
            AuditContext(role_users["investigator"]), saved, password="not-my-password", meaning="approve"
        )
    assert err.value.field == "password" and table_counts() == counts
    saved.refresh_from_db()
    assert saved.status == RecordStatus.VERIFIED


def test_a_casebook_signature_needs_every_record_verified(treated: Any, role_users: dict[str, Any]) -> None:
    records = list(FormRecord.objects.filter(subject=treated))
    do_verify(AuditContext(role_users["monitor"]), records[0])
    with pytest.raises(RecordStateError):
        do_sign(AuditContext(role_users["investigator"]), treated, password=PASSWORD, meaning="approve")
    for r in records[1:]:
        do_verify(AuditContext(role_users["monitor"]), r)
    signed = do_sign(AuditContext(role_users["investigator"]), treated, password=PASSWORD, meaning="approve")
    assert len(signed) == len(records)
    assert AuditEvent.objects.filter(action="sign", field="signature").count() == len(records)
