"""A parallel (scale) build: sites dealt to processes, the same services, the same guarantees."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from oncotrial.conductor.parallel import ParallelRunError, site_groups, week_ends
from oncotrial.conductor.parameters import build_parameters
from oncotrial.conductor.trial import conduct_trial
from oncotrial.persistence.models import Allocation, AllocationSlot, StudyState, Subject
from oncotrial.services.audit import verify_audit_chain


def test_sites_are_dealt_round_robin_and_no_group_is_empty() -> None:
    assert site_groups(["A", "B", "C", "D", "E"], 2) == [("A", "C", "E"), ("B", "D")]
    assert site_groups(["A", "B"], 5) == [("A",), ("B",)]
    assert site_groups(["A"], 1) == [("A",)]


def test_week_ends_cover_every_day_up_to_the_cutoff_and_stop_there() -> None:
    ends = week_ends(date(2023, 8, 1), date(2023, 8, 20))
    assert ends == [date(2023, 8, 7), date(2023, 8, 14), date(2023, 8, 20)]
    assert week_ends(date(2023, 8, 1), date(2023, 8, 7)) == [date(2023, 8, 7)]
    assert week_ends(date(2023, 8, 1), date(2023, 8, 1)) == [date(2023, 8, 1)]


def test_a_parallel_build_is_known_by_its_worker_count_and_a_single_one_is_not() -> None:
    assert build_parameters(120, 5, 1) == {"patients": 120, "sites": 5, "seed": 1}
    assert build_parameters(120, 5, 1, workers=2) == {"patients": 120, "sites": 5, "seed": 1, "workers": 2}


@pytest.mark.django_db(transaction=True)
def test_a_parallel_build_is_refused_on_sqlite_before_anything_is_written() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal")
    with pytest.raises(ParallelRunError, match="workers: got 2; a parallel build needs PostgreSQL"):
        conduct_trial(patients=2, sites=2, seed=5, workers=2)
    assert not Subject.objects.exists() and not StudyState.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_processes_conduct_the_sites_without_double_allocating_or_skipping_a_slot() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("parallel builds run on PostgreSQL (the PostgreSQL pass of make test)")
    patients = 8
    summary = conduct_trial(patients=patients, sites=4, seed=20240611, workers=2)

    assert summary.randomized == patients == Allocation.objects.count()
    assert sum(summary.by_arm.values()) == patients
    assert Allocation.objects.values("subject").distinct().count() == patients
    for stratum in AllocationSlot.objects.values_list("allocation_list", "stratum_key").distinct():
        used = sorted(
            AllocationSlot.objects.filter(
                allocation_list=stratum[0], stratum_key=stratum[1], allocation__isnull=False
            ).values_list("sequence", flat=True)
        )
        assert used == list(range(1, len(used) + 1))  # claimed in list order, no gap, no reuse
    assert StudyState.objects.get(pk=1).parameters["workers"] == 2
    assert verify_audit_chain() is None
