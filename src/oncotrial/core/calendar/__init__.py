"""Treatment calendar (issue 3 §1): cycles, doses, skipped doses, visits and windows.

* :mod:`.model`: the calendar's values;
* :mod:`.build`: generation from the protocol arm, and visit status / overdue detection.
"""

from oncotrial.core.calendar.build import (
    PROTOCOL_DEFAULT,
    build_calendar,
    overdue_visits,
    protocol_chemotherapy_limit,
    visit_statuses,
)
from oncotrial.core.calendar.model import (
    Calendar,
    Cycle,
    CycleDelay,
    DoseStatus,
    Interruption,
    Omission,
    ScheduledDose,
    Visit,
    VisitAnchor,
    VisitStatus,
)

__all__ = [
    "PROTOCOL_DEFAULT",
    "Calendar",
    "Cycle",
    "CycleDelay",
    "DoseStatus",
    "Interruption",
    "Omission",
    "ScheduledDose",
    "Visit",
    "VisitAnchor",
    "VisitStatus",
    "build_calendar",
    "overdue_visits",
    "protocol_chemotherapy_limit",
    "visit_statuses",
]
