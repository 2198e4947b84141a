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
