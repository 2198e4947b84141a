"""Queries open → answered → closed (→ reopened), and the role × action matrix of clinical data."""

from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import AuditEvent, FormRecord, QueryMessage
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.queries import (
    do_answer_query,
    do_close_query,
    do_open_query,
    do_reopen_query,
    open_queries,
)
from oncotrial.services.record_states import do_lock, do_verify
from support import django_db
from support.clinical import example, table_counts

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated


def _vitals(subject: Any) -> FormRecord:
    return FormRecord.objects.get(subject=subject, form_code="vitals")


def test_a_query_goes_open_answered_closed_and_reopened(treated: Any, role_users: dict[str, Any]) -> None:
    record = _vitals(treated)
    query = do_open_query(
        AuditContext(role_users["monitor"]),
        record,
        "weight",
        "Source says 65.3 kg?",
        assignee=role_users["coordinator"],
    )
    assert query.status == "open" and query.origin == "manual"
    assert [q.pk for q in open_queries(role_users["coordinator"])] == [query.pk]
    assert list(open_queries(role_users["other_site_coordinator"])) == []
    query = do_answer_query(AuditContext(role_users["coordinator"]), query, "63.5 kg is correct (scale 2)")
    assert query.status == "answered"
    query = do_close_query(AuditContext(role_users["monitor"]), query, "accepted")
    assert query.status == "closed" and query.closed_at is not None
    with pytest.raises(DomainError):
        do_answer_query(AuditContext(role_users["coordinator"]), query, "late answer")
    query = do_reopen_query(AuditContext(role_users["data_manager"]), query, "scale 2 was not calibrated")
    assert query.status == "open"
    assert list(QueryMessage.objects.filter(query=query).values_list("kind", flat=True)) == [
        "open",
        "answer",
        "close",
        "reopen",
    ]
    assert AuditEvent.objects.filter(entity="query", entity_id=str(query.pk), field="status").count() == 4


def test_a_query_on_an_unknown_field_is_refused(treated: Any, role_users: dict[str, Any]) -> None:
    with pytest.raises(DomainError) as err:
        do_open_query(AuditContext(role_users["monitor"]), _vitals(treated), "pulse", "?")
    assert err.value.field == "field"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("coordinator", True),
        ("investigator", True),
        ("pharmacist", False),
        ("monitor", False),
        ("data_manager", False),
        ("statistician", False),
        ("sponsor_viewer", False),
        ("administrator", False),
        ("other_site_coordinator", False),
    ],
)
def test_only_the_site_team_of_the_subjects_site_enters_data(
    role: str, allowed: bool, treated: Any, role_users: dict[str, Any]
) -> None:
    ctx = AuditContext(role_users[role])
    if allowed:
        do_save_form(ctx, treated, "conmed", example("conmed"))
        return
    counts = table_counts()
    with pytest.raises(PermissionDenied) as err:
        do_save_form(ctx, treated, "conmed", example("conmed"))
    assert err.value.field == ("site" if role == "other_site_coordinator" else "role")
    assert table_counts() == counts


@pytest.mark.parametrize(
    "role", ["coordinator", "investigator", "statistician", "sponsor_viewer", "pharmacist"]
)
def test_only_monitors_and_data_managers_raise_queries(
    role: str, treated: Any, role_users: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        do_open_query(AuditContext(role_users[role]), _vitals(treated), "weight", "?")


@pytest.mark.parametrize("role", ["coordinator", "investigator", "data_manager", "pharmacist"])
def test_only_monitors_verify_source_data(role: str, treated: Any, role_users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        do_verify(AuditContext(role_users[role]), _vitals(treated))


@pytest.mark.parametrize("role", ["coordinator", "investigator", "monitor", "administrator"])
def test_only_data_managers_lock(role: str, treated: Any, role_users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        do_lock(AuditContext(role_users[role]), _vitals(treated))


def test_a_monitor_of_another_site_cannot_verify(
    treated: Any, role_users: dict[str, Any], make_user: Any
) -> None:
    other_monitor = make_user("monitor", "OTHER", username="monitor-OTHER")
    with pytest.raises(PermissionDenied) as err:
        do_verify(AuditContext(other_monitor), _vitals(treated))
    assert err.value.field == "site"
