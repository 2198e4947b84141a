"""Conducting the SIMULATED trial in several processes at once (scale and load runs).

The sites are dealt round-robin to ``workers`` processes. Each runs its own
:class:`~oncotrial.conductor.trial.Conductor` over its sites' patients, on its own
database connection, through the same services as a single run; the processes meet at
the end of every simulated week, so their calendars never drift more than a week apart.
Randomization stays the application's: concurrent claims on the stored list are
serialized by its row lock, as they are for concurrent users.

What such a run gives is *not* reproducible run to run: which site claims the next slot
of a stratum within a week depends on timing, and the allocated arm shapes the rest of
the patient's course. A single process (``workers=1``) is the reproducible build.
PostgreSQL only: SQLite admits one writer at a time, so parallel writers only queue.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from queue import Empty
from typing import TYPE_CHECKING, Any

from django.db import connection, connections

from oncotrial.synthetic.generator import SyntheticCandidate

if TYPE_CHECKING:
    from oncotrial.conductor.patient_state import Summary

WEEK = timedelta(days=7)
_COUNTERS = ("screened", "screen_failures", "randomized", "treatment_days", "delayed_cycles",
             "reduced_doses", "adverse_events", "scans", "deaths")


class ParallelRunError(RuntimeError):
    """A worker process stopped on an error (the first one's traceback is in the message)."""


def check_parallel_database(workers: int) -> None:
    """Refuse a parallel build anywhere but PostgreSQL, naming the value and what is accepted."""
    if connection.vendor != "postgresql":
        raise ParallelRunError(
            f"workers: got {workers}; a parallel build needs PostgreSQL (DATABASE_URL), "
            f"not {connection.vendor}. Use --workers 1 on SQLite."
        )


def site_groups(sites: Sequence[str], workers: int) -> list[tuple[str, ...]]:
    """The sites dealt round-robin to ``workers`` groups (no group empty)."""
    count = max(1, min(workers, len(sites)))
    return [tuple(sites[i::count]) for i in range(count)]


def week_ends(first: date, cutoff: date) -> list[date]:
    """The last day of each simulated week from ``first`` until the one holding ``cutoff``."""
    ends, end = [], first + WEEK - timedelta(days=1)
    while True:
        ends.append(min(end, cutoff))
        if end >= cutoff:
            return ends
        end += WEEK


def _worker(
    candidates: list[SyntheticCandidate],
    summary: Any,
    ends: list[date],
    barrier: Any,
    messages: Any,
    number: int,
) -> None:
    from oncotrial.conductor.patient_state import Staff
    from oncotrial.conductor.trial import Conductor

    try:
        conductor = Conductor(candidates, summary, Staff.load())
        for end in ends:
            conductor.run(until=end)
            messages.put(("day", number, end))
            barrier.wait()
        messages.put(("done", number, {name: getattr(summary, name) for name in _COUNTERS}
                      | {"by_arm": dict(summary.by_arm)}))
    except BaseException:  # reported to the parent, which stops the others
        messages.put(("error", number, traceback.format_exc()))
        barrier.abort()
    finally:
        connections.close_all()


def conduct_in_parallel(
    candidates: Sequence[SyntheticCandidate],
    summary: Summary,
    sites: Sequence[str],
    workers: int,
    progress: Callable[[date], None] | None = None,
) -> Summary:
    """Run the conductor over ``site_groups`` in ``workers`` forked processes; merge the counts."""
    from oncotrial.conductor.patient_state import Summary

    groups = site_groups(sites, workers)
    if not candidates:
        return summary
    first = min(c.screening_date for c in candidates)
    ends = week_ends(first, summary.cutoff)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(groups))
    messages = context.Queue()
    connections.close_all()  # each process opens its own connection
    processes = []
    for number, group in enumerate(groups):
        own = [c for c in candidates if c.site_id in group]
        part = Summary(summary.label, summary.seed, summary.cutoff)
        process = context.Process(
            target=_worker, args=(own, part, ends, barrier, messages, number), name=f"conductor-{number}"
        )
        process.start()
        processes.append(process)
    reached = dict.fromkeys(range(len(groups)), first)
    done: dict[int, dict[str, Any]] = {}
    error = ""
    while len(done) < len(groups) and not error:
        try:
            kind, number, payload = messages.get(timeout=5)
        except Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                error = "a worker process ended without reporting (killed?)"
            continue
        if kind == "day":
            reached[number] = payload
            if progress is not None:
                progress(min(reached.values()))
        elif kind == "done":
            done[number] = payload
        else:
            error = f"worker {number}:\n{payload}"
    for process in processes:
        if error and process.is_alive():
            process.terminate()
        process.join()
    if error:
        raise ParallelRunError(f"the parallel build stopped (pid {os.getpid()}): {error}")
    for counts in done.values():
        for name in _COUNTERS:
            setattr(summary, name, getattr(summary, name) + counts[name])
        for arm, n in counts["by_arm"].items():
            summary.by_arm[arm] = summary.by_arm.get(arm, 0) + n
    return summary
