from __future__ import annotations

from typing import Any

import pytest

from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.persistence.models import Allocation, AllocationSlot, AuditEvent
from oncotrial.services import audit
from oncotrial.services.audit import AuditContext
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.randomization import check_randomize_subject
from support.subjects import enrolled

pytestmark = pytest.mark.django_db

STRATA = (("yes", 0), ("yes", 1), ("no", 0), ("no", 1))


def _stratum_sequences(list_pk: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for a in Allocation.objects.filter(allocation_list_id=list_pk).select_related("slot").order_by("id"):
        out.setdefault(a.slot.stratum_key, []).append(a.slot.sequence)
    return out


def test_randomization_assigns_slots_in_list_order_within_each_stratum(
    coordinator: Any, production_list: Any
) -> None:
    ctx = AuditContext(coordinator, request_id="req-1")
    for i in range(12):
        metastasis, ecog = STRATA[i % 4]
        subject = enrolled(coordinator, f"R-{i:02d}", metastasis=metastasis, ecog=ecog)
        allocation = check_randomize_subject(ctx, subject, f"key-R-{i:02d}")
        expected = AllocationSlot.objects.get(
            allocation_list=production_list,
            stratum_key=f"extrahepatic_metastasis={metastasis};ecog={ecog}",
            sequence=i // 4 + 1,
        )
        assert allocation.slot_id == expected.pk
    assert _stratum_sequences(production_list.pk) == {
        f"extrahepatic_metastasis={m};ecog={e}": [1, 2, 3] for m, e in STRATA
    }
    event = AuditEvent.objects.filter(action="randomize", field="arm").last()
    assert event is not None and event.request_id == "req-1" and event.subject_id == "R-11"


def test_the_same_idempotency_key_twice_returns_one_allocation(
    coordinator: Any, production_list: Any
) -> None:
    subject = enrolled(coordinator, "I-1")
    ctx = AuditContext(coordinator)
    first = check_randomize_subject(ctx, subject, "double-click-1")
    second = check_randomize_subject(ctx, subject, "double-click-1")
    assert first.pk == second.pk and Allocation.objects.count() == 1
    assert AuditEvent.objects.filter(action="randomize").count() == 2  # arm + slot, once


def test_a_second_request_with_a_new_key_never_randomizes_twice(
    coordinator: Any, production_list: Any
) -> None:
    subject = enrolled(coordinator, "I-2")
    check_randomize_subject(AuditContext(coordinator), subject, "first-request")
    with pytest.raises(DomainError) as err:
        check_randomize_subject(AuditContext(coordinator), subject, "second-request")
    assert err.value.field == "subject" and Allocation.objects.count() == 1


def test_a_key_used_for_another_subject_is_refused(coordinator: Any, production_list: Any) -> None:
    check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "I-3"), "shared-key-1")
    with pytest.raises(DomainError) as err:
        check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "I-4"), "shared-key-1")
    assert err.value.field == "idempotency_key" and Allocation.objects.count() == 1


def test_randomization_needs_consent_and_an_active_list(coordinator: Any, production_list: Any) -> None:
    from oncotrial.services.subjects import check_screen_subject
    from support.django_db import SCREENING_DAY
    from support.subjects import patient

    subject = check_screen_subject(AuditContext(coordinator), patient("C-1"), on=SCREENING_DAY).subject
    with pytest.raises(DomainError) as err:
        check_randomize_subject(AuditContext(coordinator), subject, "no-consent-1")
    assert err.value.field == "consent"
    with pytest.raises(DomainError) as err:
        check_randomize_subject(AuditContext(coordinator), subject, "no-test-list", test_list=True)
    assert err.value.field == "allocation_list"
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("role", "site", "field"),
    [
        ("pharmacist", "SYSUCC", "role"),
        ("monitor", "SYSUCC", "role"),
        ("investigator", "OTHER", "site"),
        ("coordinator", "OTHER", "site"),
    ],
)
def test_randomization_by_a_wrong_role_or_site_is_denied_and_changes_nothing(
    coordinator: Any, production_list: Any, make_user: Any, role: str, site: str, field: str
) -> None:
    subject = enrolled(coordinator, "P-1")
    user = make_user(role, site)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as err:
        check_randomize_subject(AuditContext(user), subject, "denied-key-1")
    assert err.value.field == field
    assert not Allocation.objects.exists() and AuditEvent.objects.count() == before


def test_a_failing_audit_write_rolls_back_the_allocation(
    coordinator: Any, production_list: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    subject = enrolled(coordinator, "A-1")
    before = AuditEvent.objects.count()

    def failing_head_move(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")  # the audit rows were inserted; moving the chain head fails

    monkeypatch.setattr(audit, "_move_head", failing_head_move)
    with pytest.raises(RuntimeError, match="disk full"):
        check_randomize_subject(AuditContext(coordinator), subject, "audit-fails-1")
    assert not Allocation.objects.exists() and AuditEvent.objects.count() == before


def test_an_exhausted_stratum_is_an_allocation_error(coordinator: Any, make_user: Any) -> None:
    from oncotrial.core.stratification import allocation_list_for
    from oncotrial.services.protocol import current_protocol
    from oncotrial.services.randomization import do_load_allocation_list

    short = allocation_list_for(current_protocol(), seed=7, per_stratum=2)
    do_load_allocation_list(
        AuditContext(make_user("administrator", username="admin2")), short, name="short", is_test=False
    )
    n = AllocationSlot.objects.filter(stratum_key="extrahepatic_metastasis=yes;ecog=1").count()
    for i in range(n):
        check_randomize_subject(
            AuditContext(coordinator), enrolled(coordinator, f"E-{i}"), f"exhaust-{i:03d}"
        )
    with pytest.raises(AllocationError) as err:
        check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "E-last"), "exhaust-last")
    assert err.value.field == "stratum" and Allocation.objects.count() == n


def test_a_gap_in_the_stored_allocations_is_refused_and_nothing_is_written(
    coordinator: Any, production_list: Any
) -> None:
    stratum = "extrahepatic_metastasis=yes;ecog=1"
    first = check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "G-1"), "gap-key-1")
    assert first.slot.sequence == 1
    third = AllocationSlot.objects.get(allocation_list=production_list, stratum_key=stratum, sequence=3)
    Allocation.objects.create(  # written behind the service's back: slot 2 is skipped
        subject=enrolled(coordinator, "G-2"),
        slot=third,
        allocation_list=production_list,
        idempotency_key="gap-key-2",
        allocated_by=coordinator,
        allocated_at=first.allocated_at,
    )
    late = enrolled(coordinator, "G-3")
    before = AuditEvent.objects.count()
    with pytest.raises(AllocationError) as err:
        check_randomize_subject(AuditContext(coordinator), late, "gap-key-3")
    assert err.value.field == "highest_used" and err.value.value == 3
    assert Allocation.objects.count() == 2 and AuditEvent.objects.count() == before
    other = check_randomize_subject(  # another stratum is unaffected
        AuditContext(coordinator), enrolled(coordinator, "G-4", metastasis="no", ecog=0), "gap-key-4"
    )
    assert other.slot.sequence == 1


def test_later_randomizations_never_read_the_list_content_or_the_used_slots(
    coordinator: Any, production_list: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oncotrial.services.randomization import preload_active_lists

    assert preload_active_lists() == 1
    counts = []
    for i in range(6):
        subject = enrolled(coordinator, f"Q-{i}")
        with CaptureQueriesContext(connection) as queries:
            allocation = check_randomize_subject(AuditContext(coordinator), subject, f"query-key-{i}")
        assert allocation.slot.sequence == i + 1
        sql = [q["sql"] for q in queries.captured_queries]
        assert not any('"content"' in s for s in sql)  # the parsed list is cached per process
        walks = [s for s in sql if 'FROM "persistence_allocationslot"' in s and "ORDER BY" in s]
        assert not walks  # the used slots are counted by the database, never read in order
        counts.append(len(sql))
    assert len(set(counts)) == 1  # the same statements for the 1st and the 6th subject of a stratum


def test_a_list_retired_while_a_subject_was_being_randomized_is_refused(
    coordinator: Any, production_list: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncotrial.services import randomization
    from oncotrial.services.allocation_lists import do_retire_allocation_list

    subject = enrolled(coordinator, "T-1")
    statistician = make_user("statistician", username="retirer")
    parse = randomization._domain_list

    def retire_meanwhile(row: Any) -> Any:
        do_retire_allocation_list(AuditContext(statistician), row, reason="replaced by list 2")
        return parse(row)

    monkeypatch.setattr(randomization, "_domain_list", retire_meanwhile)
    with pytest.raises(DomainError) as err:
        check_randomize_subject(AuditContext(coordinator), subject, "retired-key-1")
    assert err.value.field == "allocation_list" and "retired" in str(err.value)
    assert not Allocation.objects.exists()
