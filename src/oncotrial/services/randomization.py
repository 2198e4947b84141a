"""Loading allocation lists and randomizing subjects, safely under concurrency.

:func:`check_randomize_subject` claims the next slot of the subject's stratum in one
transaction. Everything that does not depend on the other allocations is read first,
without a lock: a repeated request, the subject's eligibility and consent, the active
list (its content parsed once per process) and the subject's stratum. Then it locks the
stratum (:func:`_lock_stratum`: the list row shared, the stratum's first slot exclusive, so
that strata are randomized in parallel; SQLite serializes writers with ``BEGIN
IMMEDIATE``) and, holding it, does only constant work in Python: one aggregate query
gives the number of used slots of the stratum and the highest sequence used, core
:func:`next_slot_after` checks that they are equal (no gap; each slot is used at most
once by the unique constraint) and names the next slot, and the allocation and its audit
rows are inserted. Unique constraints (one allocation per slot, per subject, per
idempotency key) are the final guard. A repeated request with the same idempotency key
returns the original allocation. The full history check (core :func:`check_history`,
O(history)) stays the audit's.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.core.randomization import AllocationList as CoreAllocationList
from oncotrial.core.randomization import next_slot_after, stratum_key
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
    """The core list of ``row``, parsed once per process (keyed by primary key and SHA-256)."""
    key = (row.pk, row.sha256)
    if key not in _DOMAIN_LISTS:
        _DOMAIN_LISTS[key] = allocation_list_to_domain(row)  # reads the deferred content once
    return _DOMAIN_LISTS[key]


def preload_active_lists() -> int:
    """Parse every active list into this process's cache; returns how many.

    A multi-process server calls it once before forking its workers, so that no worker
    parses a long list (seconds for 40,000 slots) while a subject waits to be randomized.
    """
    rows = list(AllocationList.objects.filter(active=True).order_by("pk"))
    for row in rows:
        _domain_list(row)
    return len(rows)


def _active_list(test_list: bool) -> AllocationList:
    """The active list's row without its content (megabytes for a long list), read without a lock."""
    row = (
        AllocationList.objects.defer("content").filter(is_test=test_list, active=True).order_by("pk").first()
    )
    if row is None:
        raise DomainError(
            "allocation_list", None, f"an active {'test' if test_list else 'production'} allocation list"
        )
    return row


def _replay(subject: Subject, idempotency_key: str, *, same_subject: bool = False) -> Allocation | None:
    """The allocation already made under ``idempotency_key`` (for this subject), if any.

    With ``same_subject``, else the subject's allocation under another key: both read in one
    statement, so that a concurrent twin committing between two reads cannot be mistaken
    for a second randomization of the subject.
    """
    found = Q(idempotency_key=idempotency_key)
    if same_subject:
        found |= Q(subject=subject)
    rows = list(Allocation.objects.select_related("slot").filter(found)[:2])  # one per key, one per subject
    done = next((row for row in rows if row.idempotency_key == idempotency_key), None)
    if done is not None and done.subject_id != subject.pk:
        raise DomainError("idempotency_key", idempotency_key, "a key not already used for another subject")
    return done or next(iter(rows), None)


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


def _lock_stratum(row: AllocationList, key_of_stratum: str) -> None:
    """Lock the list for reading and the stratum for allocating, until commit.

    PostgreSQL, one statement: the list row ``FOR SHARE`` (randomizations in any stratum
    hold it together; retiring the list, ``FOR UPDATE``, waits for them and they for it) and
    the stratum's first slot row ``FOR NO KEY UPDATE`` (randomizations in one stratum take
    turns; other strata go on in parallel, and an allocation's foreign-key check on a slot
    is not blocked). SQLite has no row locks: it serializes writers (``BEGIN IMMEDIATE``).
    Raises :class:`DomainError` (field ``allocation_list``) if the list was retired meanwhile.
    """
    if connection.vendor == "postgresql":
        lists, slots = AllocationList._meta.db_table, AllocationSlot._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT 1 FROM "{lists}" l JOIN "{slots}" s ON s.allocation_list_id = l.id '
                "WHERE l.id = %s AND l.active AND s.stratum_key = %s AND s.sequence = 1 "
                "FOR SHARE OF l FOR NO KEY UPDATE OF s",
                [row.pk, key_of_stratum],
            )
            if cursor.fetchone() is not None:
                return
    if not AllocationList.objects.filter(pk=row.pk, active=True).exists():
        raise DomainError("allocation_list", row.name, "an active allocation list (it was retired meanwhile)")
    if connection.vendor == "postgresql":  # active, yet no first slot: the stored slots are not the list's
        raise AllocationError("stratum", key_of_stratum, "a stratum with a first slot in the stored list")


def _randomize(ctx: AuditContext, user: User, subject: Subject, key: str, test_list: bool) -> Allocation:
    row = _active_list(test_list)
    done = _replay(subject, key, same_subject=True)  # one read: a retry committed, or another key
    if done is not None:
        if done.idempotency_key == key:
            return done
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

    # From here on the stratum is locked until commit: four statements and constant work in
    # Python, then the audit rows. A concurrent twin (same key or subject) that committed
    # meanwhile makes the insert fail on its unique constraint; check_randomize_subject then
    # returns the twin's allocation.
    _lock_stratum(row, key_of_stratum)
    used = AllocationSlot.objects.filter(
        allocation_list=row, stratum_key=key_of_stratum, allocation__isnull=False
    ).aggregate(count=Count("pk"), highest=Max("sequence"))
    slot = next_slot_after(core_list, stratum, used["count"], used["highest"] or 0)
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
