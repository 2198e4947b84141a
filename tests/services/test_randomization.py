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

    def failing_head_save(self: Any, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")  # the audit rows were inserted; moving the chain head fails

    monkeypatch.setattr(audit.AuditHead, "save", failing_head_save)
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
