"""Whether the database holds simulated data, and the label shown wherever it does.

A demo database is marked once, when the trial conductor builds it
(:func:`do_mark_simulated`, a ``StudyState`` row); every page, file and figure made from
it then carries :data:`SIMULATED_LABEL`. The mark cannot be removed through the
services: a simulated database stays simulated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from django.db import transaction
from django.db.models import Max

from oncotrial.persistence.models import StudyState, Visit
from oncotrial.services import clock
from oncotrial.services.audit import AuditContext, record

SIMULATED_LABEL: Final = "SIMULATED DATA: not results of NCT07304388"


def study_state() -> StudyState | None:
    return StudyState.objects.filter(pk=1).first()


def database_is_simulated() -> bool:
    state = study_state()
    return bool(state and state.simulated)


def do_mark_simulated(
    ctx: AuditContext, *, seed: int, data_cutoff: date, parameters: Mapping[str, object]
) -> StudyState:
    """Mark the whole database as SIMULATED (idempotent; audited)."""
    with transaction.atomic():
        state, _ = StudyState.objects.select_for_update().get_or_create(pk=1)
        old = {"simulated": state.simulated, "data_cutoff": state.data_cutoff, "seed": state.seed}
        state.simulated = True
        state.label = SIMULATED_LABEL
        state.seed = seed
        state.data_cutoff = data_cutoff
        state.parameters = dict(parameters)
        state.built_at = clock.now()
        state.save()
        record(
            ctx,
            "mark_simulated",
            "study_state",
            1,
            changes={"state": (old, {"simulated": True, "data_cutoff": data_cutoff, "seed": seed})},
        )
    return state


def trial_today() -> date:
    """The day the dashboard is "as of": today, or for a simulated database its data cut-off.

    A simulated trial ends at its data cut-off in the past; judging its visits against the
    real calendar would flag every planned visit as overdue.
    """
    state = study_state()
    if state is None or not state.simulated:
        return clock.today()
    if state.data_cutoff is not None:
        cutoff: date = state.data_cutoff
        return cutoff
    last: date | None = Visit.objects.filter(actual_date__isnull=False).aggregate(last=Max("actual_date"))[
        "last"
    ]
    return last or clock.today()
