# mypy: disable-error-code="var-annotated"
"""Persisted allocation lists, their slots and the allocations that claim them.

Constraints are the last guard against a double allocation: a slot belongs to at most
one allocation, a subject has at most one allocation, and an idempotency key is used once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oncotrial.persistence.models.subjects import Subject


class AllocationList(models.Model):
    """A pre-generated list (core ``AllocationList.to_dict()``); test and production lists apart."""

    name = models.CharField(max_length=100, unique=True)
    is_test = models.BooleanField()
    active = models.BooleanField(default=True)
    scheme = models.CharField(max_length=32)
    seed = models.DecimalField(max_digits=20, decimal_places=0)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("is_test",), condition=models.Q(active=True), name="one_active_list_per_kind"
            ),
        )

    def __str__(self) -> str:
        return str(self.name)


class AllocationSlot(models.Model):
    """One slot of a list: the ``sequence``-th allocation of its stratum."""

    allocation_list_id: int

    allocation_list = models.ForeignKey(AllocationList, on_delete=models.PROTECT, related_name="slots")
    slot_id = models.CharField(max_length=200)
    stratum_key = models.CharField(max_length=200)
    sequence = models.PositiveIntegerField()
    block = models.PositiveIntegerField()
    block_size = models.PositiveIntegerField()
    arm = models.CharField(max_length=32)

    class Meta:
        ordering = ("allocation_list", "stratum_key", "sequence")
        constraints = (
            models.UniqueConstraint(fields=("allocation_list", "slot_id"), name="slot_id_unique_in_list"),
            models.UniqueConstraint(
                fields=("allocation_list", "stratum_key", "sequence"), name="slot_sequence_unique_in_stratum"
            ),
        )


class Allocation(models.Model):
    """A subject's randomization: the slot it claimed, once."""

    subject_id: int
    slot_id: int
    allocation_list_id: int

    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="allocation")
    slot = models.OneToOneField(AllocationSlot, on_delete=models.PROTECT, related_name="allocation")
    allocation_list = models.ForeignKey(AllocationList, on_delete=models.PROTECT, related_name="allocations")
    idempotency_key = models.CharField(max_length=100, unique=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField()

    class Meta:
        ordering = ("id",)
