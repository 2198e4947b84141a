from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from oncotrial.persistence.models import AppendOnlyError, AuditEvent, Site
from oncotrial.services import audit
from oncotrial.services.audit import AuditContext, verify_audit_chain
from oncotrial.services.people import do_create_site
from support.django_db import on_postgresql

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def trail(admin: Any) -> list[AuditEvent]:
    ctx = AuditContext(admin, request_id="r-1")
    for code in ("A", "B", "C"):
        do_create_site(ctx, code=code, name=f"Site {code}")
    return list(AuditEvent.objects.order_by("sequence"))


def _tamper(sql: str, params: list[object]) -> None:
    """Change audit rows behind the application's back (as a database owner could)."""
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
        cursor.execute(sql, params)
        if on_postgresql():
            cursor.execute("SET session_replication_role = origin")


def test_an_untouched_trail_verifies(trail: list[AuditEvent]) -> None:
    assert len(trail) == 3 + 3 * 2  # the admin's 3 fields, then code and name per site
    assert [e.sequence for e in trail] == list(range(1, len(trail) + 1))
    assert verify_audit_chain() is None


def test_audit_rows_record_who_what_and_the_request(trail: list[AuditEvent], admin: Any) -> None:
    event = next(e for e in trail if e.entity == "site" and e.field == "code" and e.new == "B")
    assert (event.actor_id, event.action, event.old, event.request_id) == (admin.pk, "create", None, "r-1")
    assert event.previous_hash == trail[event.sequence - 2].hash


def test_the_orm_refuses_to_update_or_delete_audit_rows(trail: list[AuditEvent]) -> None:
    event = trail[0]
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert verify_audit_chain() is None


def test_postgresql_refuses_update_and_delete_of_audit_rows(trail: list[AuditEvent]) -> None:
    if not on_postgresql():
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the ORM and verification")
    for sql in (
        f"UPDATE {TABLE} SET reason = 'x' WHERE sequence = 1",
        f"DELETE FROM {TABLE} WHERE sequence = 1",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql)
    assert verify_audit_chain() is None


def test_verification_finds_an_edited_row(trail: list[AuditEvent]) -> None:
    _tamper(f"UPDATE {TABLE} SET new = %s WHERE sequence = %s", ['"Z"', 5])
    broken = verify_audit_chain()
    assert broken is not None and broken.sequence == 5 and "edited" in broken.problem


def test_verification_finds_a_deleted_row(trail: list[AuditEvent]) -> None:
    _tamper(f"DELETE FROM {TABLE} WHERE sequence = %s", [4])
    broken = verify_audit_chain()
    assert broken is not None and broken.sequence == 4 and "deleted" in broken.problem


def test_verification_finds_a_deleted_last_row(trail: list[AuditEvent]) -> None:
    _tamper(f"DELETE FROM {TABLE} WHERE sequence = %s", [len(trail)])
    broken = verify_audit_chain()
    assert broken is not None and broken.sequence == len(trail) and "end" in broken.problem


def test_verification_finds_reordered_rows(trail: list[AuditEvent]) -> None:
    _tamper(f"UPDATE {TABLE} SET sequence = 1000000 WHERE sequence = 6", [])
    _tamper(f"UPDATE {TABLE} SET sequence = 6 WHERE sequence = 7", [])
    _tamper(f"UPDATE {TABLE} SET sequence = 7 WHERE sequence = 1000000", [])
    broken = verify_audit_chain()
    assert broken is not None and broken.sequence == 6


def test_a_change_and_its_audit_row_commit_or_roll_back_together(
    admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = AuditEvent.objects.count()

    def failing_insert(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "insert_rows", failing_insert)
    with pytest.raises(RuntimeError):
        do_create_site(AuditContext(admin), code="D", name="Site D")
    assert not Site.objects.filter(code="D").exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_a_programming_error(admin: Any) -> None:
    from oncotrial.services.audit import record

    with pytest.raises(RuntimeError, match="atomic"):
        record(AuditContext(admin), "noop", "site", 1)
