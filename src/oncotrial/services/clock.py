"""The services' clock: real time, or the simulated day of a replayed trial.

Every service reads the time through :func:`now` and :func:`today`. In normal use they
are Django's ``timezone.now()`` and ``timezone.localdate()``. The trial conductor, which
replays a simulated trial day by day from 2023, runs each day's calls inside
:func:`simulated_clock`, so that randomization dates, "not in the future" checks and
audit timestamps all follow the simulated calendar. The setting is per thread/task
(a :class:`contextvars.ContextVar`), so concurrent requests are never affected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

from django.utils import timezone

_SIMULATED: ContextVar[datetime | None] = ContextVar("oncotrial_simulated_now", default=None)
_FROZEN: list[datetime] = []
"""A process-wide frozen time, for end-to-end tests whose server runs in another thread."""


def _current() -> datetime | None:
    simulated = _SIMULATED.get()
    if simulated is not None:
        return simulated
    return _FROZEN[-1] if _FROZEN else None


def now() -> datetime:
    current = _current()
    return current if current is not None else timezone.now()


def today() -> date:
    current = _current()
    return timezone.localdate(current) if current is not None else timezone.localdate()


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@contextmanager
def frozen_clock(moment: datetime) -> Iterator[None]:
    """Freeze the clock for every thread of this process (tests only: a live server thread)."""
    _FROZEN.append(_aware(moment))
    try:
        yield
    finally:
        _FROZEN.pop()


def move_frozen_clock(moment: datetime) -> None:
    """Move the innermost :func:`frozen_clock` to ``moment`` (a test walking through a cycle)."""
    if not _FROZEN:
        raise RuntimeError("move_frozen_clock outside frozen_clock")
    _FROZEN[-1] = _aware(moment)


@contextmanager
def simulated_clock(moment: datetime) -> Iterator[None]:
    """Run the enclosed service calls as if at ``moment`` (an aware datetime; naive means UTC)."""
    token = _SIMULATED.set(_aware(moment))
    try:
        yield
    finally:
        _SIMULATED.reset(token)
