"""Loading allocation lists and randomizing subjects, safely under concurrency.

:func:`check_randomize_subject` claims the next slot of the subject's stratum in one
transaction: it locks the active list row (``SELECT … FOR UPDATE``; SQLite serializes
writers with ``BEGIN IMMEDIATE``), asks core :func:`next_slot` for the lowest unused
slot given the slots already used, and inserts the allocation. Unique constraints (one
allocation per slot, per subject, per idempotency key) are the final guard. A repeated
request with the same idempotency key returns the original allocation.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.core.randomization import AllocationList as CoreAllocationList
from oncotrial.core.randomization import next_slot, stratum_key
from oncotrial.core.stratification import stratum_of
from oncotrial.persistence.mappers import allocation_list_to_domain, list_digest, slots_from_domain
from oncotrial.persistence.models import (
    Allocation,
    AllocationList,
    AllocationSlot,
    Consent,
    Screening,
    ScreeningStatus,
    Subject,
    User,
)
from oncotrial.services import clock
from oncotrial.services.actors import actor
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.protocol import current_protocol

_DOMAIN_LISTS: dict[tuple[int, str], CoreAllocationList] = {}



def do_load_allocation_list(
    ctx: AuditContext, core_list: CoreAllocationList, *, name: str, is_test: bool
) -> AllocationList:
    """Store a core list as the active test or production list (one active list of each kind).

    The audit row records the list's SHA-256 and size, never its arms (allocation concealment).
    """
    user = actor(ctx, Action.LOAD_ALLOCATION_LIST)
    check_permission(user, Action.LOAD_ALLOCATION_LIST)
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        raise DomainError("name", name, "a list name of 1 to 100 characters")
    name = name.strip()
    if not isinstance(is_test, bool):
        raise DomainError("is_test", is_test, "true (test list) or false (production list)")
    if not isinstance(core_list, CoreAllocationList):
        raise DomainError("allocation_list", type(core_list).__name__, "a core AllocationList")
    digest = list_digest(core_list)
    with transaction.atomic():
        if AllocationList.objects.filter(name=name).exists():
            raise DomainError("name", name, "a list name not already used")
        if AllocationList.objects.filter(is_test=is_test, active=True).exists():
            raise DomainError(
                "is_test",
                is_test,
                f"no active {'test' if is_test else 'production'} list",
                suggestion="retire the active list before loading another.",
            )
        row = AllocationList.objects.create(
            name=name,
            is_test=is_test,
            active=True,
            scheme=core_list.scheme.value,
            seed=core_list.seed,
            content=core_list.to_dict(),
            sha256=digest,
            loaded_by=user,
            loaded_at=clock.now(),
        )
        slots = AllocationSlot.objects.bulk_create(slots_from_domain(row, core_list), batch_size=1000)
        record(
            ctx,
            "load",
            "allocation_list",
            row.pk,
            changes={
                "list": (
                    None,
                    {
                        "name": name,
                        "is_test": is_test,
                        "sha256": digest,
                        "scheme": row.scheme,
                        "strata": len(core_list.strata),
                        "slots": len(slots),
                    },
                )
            },
        )
    return row


def _domain_list(row: AllocationList) -> CoreAllocationList:
    key = (row.pk, row.sha256)
    if key not in _DOMAIN_LISTS:
        _DOMAIN_LISTS[key] = allocation_list_to_domain(row)
    return _DOMAIN_LISTS[key]


def _replay(subject: Subject, idempotency_key: str) -> Allocation | None:
    """The allocation already made under ``idempotency_key`` (for this subject), if any."""
    done = Allocation.objects.select_related("slot").filter(idempotency_key=idempotency_key).first()
    if done is not None and done.subject_id != subject.pk:
        raise DomainError("idempotency_key", idempotency_key, "a key not already used for another subject")
    return done


def check_randomize_subject(
    ctx: AuditContext, subject: Subject, idempotency_key: str, *, test_list: bool = False
) -> Allocation:
    """Allocate the next slot of the subject's stratum, or return the allocation of a repeated request.

    Requires an eligible latest screening and a recorded consent. Raises
    :class:`DomainError` (field ``subject``, ``consent``, ``idempotency_key`` or
    ``allocation_list``), :class:`AllocationError` from core, or :class:`PermissionDenied`.
    """
    user = actor(ctx, Action.RANDOMIZE)
    if not isinstance(idempotency_key, str) or not 8 <= len(idempotency_key) <= 100:
        raise DomainError("idempotency_key", idempotency_key, "a request key of 8 to 100 characters")
    check_permission(user, Action.RANDOMIZE, subject.site)
    try:
        with transaction.atomic():
            return _randomize(ctx, user, subject, idempotency_key, test_list)
    except IntegrityError as exc:
        done = _replay(subject, idempotency_key)
        if done is not None:
            return done
        raise AllocationError(
            "subject",
            subject.subject_id,
            "a subject and slot not already allocated (a concurrent request won)",
        ) from exc


def _randomize(ctx: AuditContext, user: User, subject: Subject, key: str, test_list: bool) -> Allocation:
    row = AllocationList.objects.select_for_update().filter(is_test=test_list, active=True).first()
    if row is None:
        raise DomainError(
            "allocation_list", None, f"an active {'test' if test_list else 'production'} allocation list"
        )
    done = _replay(subject, key)  # read after the lock: sees every committed allocation
    if done is not None:
        return done
    if Allocation.objects.filter(subject=subject).exists():
        raise DomainError("subject", subject.subject_id, "a subject not already randomized")
    screening = Screening.objects.filter(subject=subject).order_by("id").last()
    if screening is None or screening.status != ScreeningStatus.ELIGIBLE:
        raise DomainError("subject", subject.subject_id, "a subject whose latest screening is eligible")
    if not Consent.objects.filter(subject=subject).exists():
        raise DomainError("consent", None, "a recorded informed consent before randomization")
    core_list = _domain_list(row)
    candidate = candidate_from_data(screening.data)
    stratum = core_list.stratum_list(stratum_of(candidate, current_protocol().stratification.factors)).stratum
    key_of_stratum = stratum_key(stratum)
    used = list(
        AllocationSlot.objects.filter(
            allocation_list=row, stratum_key=key_of_stratum, allocation__isnull=False
        )
        .order_by("sequence")
        .values_list("slot_id", flat=True)
    )
    slot = next_slot(core_list, used, stratum)
    slot_row = AllocationSlot.objects.get(allocation_list=row, slot_id=slot.slot_id)
    allocation = Allocation.objects.create(
        subject=subject,
        slot=slot_row,
        allocation_list=row,
        idempotency_key=key,
        allocated_by=user,
        allocated_at=clock.now(),
    )
    record(
        ctx,
        "randomize",
        "allocation",
        allocation.pk,
        subject_id=subject.subject_id,
        changes={
            "arm": (None, slot.arm),
            "slot": (
                None,
                {
                    "list": row.name,
                    "is_test": row.is_test,
                    "slot_id": slot.slot_id,
                    "stratum": key_of_stratum,
                    "sequence": slot.sequence,
                },
            ),
        },
    )
    return allocation
