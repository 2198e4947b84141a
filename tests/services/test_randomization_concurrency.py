"""200 parallel randomize requests (with duplicates) against PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from oncotrial.persistence.models import Allocation, AllocationSlot
from oncotrial.services.audit import AuditContext, verify_audit_chain
from oncotrial.services.randomization import check_randomize_subject
from support.django_db import on_postgresql
from support.subjects import enrolled

SUBJECTS = 150
REQUESTS = 200
THREADS = 40  # each with its own connection; PostgreSQL allows 100 by default


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_allocate_each_subject_once_in_list_order(
    coordinator: Any, production_list: Any
) -> None:
    if not on_postgresql():
        pytest.skip(
            "row locks are PostgreSQL's; SQLite serializes writers (BEGIN IMMEDIATE) and its "
            "in-memory test database is not shared between threads"
        )
    from django.db import connection

    strata = (("yes", 0), ("yes", 1), ("no", 0), ("no", 1))
    subjects = [
        enrolled(coordinator, f"X-{i:03d}", metastasis=strata[i % 4][0], ecog=strata[i % 4][1])
        for i in range(SUBJECTS)
    ]
    requests = [(s, f"key-{s.subject_id}") for s in subjects]
    requests += requests[: REQUESTS - SUBJECTS]  # duplicates of the same request (same key)
    requests = requests[::3] + requests[1::3] + requests[2::3]  # interleave duplicates with originals
    barrier = threading.Barrier(THREADS)
    results: dict[int, tuple[str, int | str]] = {}

    def worker(worker_id: int) -> None:
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            for n in range(worker_id, REQUESTS, THREADS):
                subject, key = requests[n]
                try:
                    allocation = check_randomize_subject(AuditContext(coordinator), subject, key)
                    results[n] = (subject.subject_id, allocation.pk)
                except Exception as exc:  # reported below, never swallowed
                    results[n] = (subject.subject_id, f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, range(THREADS)))

    errors = [r for r in results.values() if isinstance(r[1], str)]
    assert not errors, errors[:5]
    assert len(results) == REQUESTS
    per_subject: dict[str, set[int | str]] = {}
    for subject_id, pk in results.values():
        per_subject.setdefault(subject_id, set()).add(pk)
    assert all(len(pks) == 1 for pks in per_subject.values())  # duplicates got the original
    assert Allocation.objects.count() == SUBJECTS
    assert Counter(Allocation.objects.values_list("subject_id", flat=True)).most_common(1)[0][1] == 1
    sequences: dict[str, list[int]] = {}
    for a in Allocation.objects.select_related("slot").order_by("id"):
        sequences.setdefault(a.slot.stratum_key, []).append(a.slot.sequence)
    for key, seq in sequences.items():
        assert seq == list(range(1, len(seq) + 1)), key  # list order, no gap, no duplicate
    used = AllocationSlot.objects.filter(allocation_list=production_list, allocation__isnull=False).count()
    assert used == SUBJECTS
    assert verify_audit_chain() is None
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_randomization_waits_only_for_its_own_stratum(coordinator: Any, production_list: Any) -> None:
    if not on_postgresql():
        pytest.skip("row locks are PostgreSQL's; SQLite serializes every writer")
    from django.db import OperationalError, connection, transaction

    from oncotrial.services import randomization

    holding, release = threading.Event(), threading.Event()
    busy = "extrahepatic_metastasis=yes;ecog=1"

    def hold_the_stratum() -> None:  # a randomization of stratum `busy`, paused under its lock
        from django.db import connections

        try:
            with transaction.atomic():
                randomization._lock_stratum(production_list, busy)
                holding.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    same = enrolled(coordinator, "L-1", metastasis="yes", ecog=1)
    other = enrolled(coordinator, "L-2", metastasis="no", ecog=0)
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(hold_the_stratum)
        assert holding.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '500ms'")
        try:
            allocation = check_randomize_subject(AuditContext(coordinator), other, "other-stratum-1")
            assert allocation.slot.stratum_key == "extrahepatic_metastasis=no;ecog=0"
            with pytest.raises(OperationalError, match="lock"):
                check_randomize_subject(AuditContext(coordinator), same, "same-stratum-1")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
            release.set()
            held.result(timeout=30)
    allocation = check_randomize_subject(AuditContext(coordinator), same, "same-stratum-1")
    assert allocation.slot.sequence == 1
    connection.close()
