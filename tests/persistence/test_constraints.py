from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from oncotrial.persistence.models import Allocation, AllocationSlot
from oncotrial.services.audit import AuditContext
from oncotrial.services.randomization import check_randomize_subject
from support.subjects import enrolled

pytestmark = pytest.mark.django_db


def _claim(subject: Any, slot: Any, key: str, user: Any) -> None:
    with transaction.atomic():
        Allocation.objects.create(
            subject=subject,
            slot=slot,
            allocation_list=slot.allocation_list,
            idempotency_key=key,
            allocated_by=user,
            allocated_at=timezone.now(),
        )


def test_a_slot_is_claimed_at_most_once(coordinator: Any, production_list: Any) -> None:
    first = check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "K-1"), "constraint-1")
    with pytest.raises(IntegrityError):
        _claim(enrolled(coordinator, "K-2"), first.slot, "constraint-2", coordinator)


def test_a_subject_is_allocated_at_most_once(coordinator: Any, production_list: Any) -> None:
    first = check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "K-3"), "constraint-3")
    other = AllocationSlot.objects.exclude(pk=first.slot_id).first()
    with pytest.raises(IntegrityError):
        _claim(first.subject, other, "constraint-4", coordinator)


def test_an_idempotency_key_is_used_once(coordinator: Any, production_list: Any) -> None:
    first = check_randomize_subject(AuditContext(coordinator), enrolled(coordinator, "K-5"), "constraint-5")
    other = AllocationSlot.objects.exclude(pk=first.slot_id).first()
    with pytest.raises(IntegrityError):
        _claim(enrolled(coordinator, "K-6"), other, "constraint-5", coordinator)


def test_slot_ids_are_unique_within_a_list(production_list: Any) -> None:
    slot = AllocationSlot.objects.first()
    assert slot is not None
    slot.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        slot.save()
