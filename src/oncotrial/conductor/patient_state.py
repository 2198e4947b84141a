"""What the trial conductor keeps while it runs: its summary, each patient's state, the staff.

SIMULATED: every count describes a generated trial, never results of NCT07304388.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from oncotrial.persistence.models import FormRecord, Subject, User
from oncotrial.services.demo_staff import DemoAccount
from oncotrial.synthetic.generator import SyntheticCandidate
from oncotrial.synthetic.model import PatientScript

CONSENT_VERSION: Final = "1.0"
MAX_DELAYS_PER_CYCLE: Final = 2
EOT_REASON: Final = {
    "progression": "progression",
    "death": "death",
    "consent_withdrawn": "withdrawal_of_consent",
    "lost_to_follow_up": "lost_to_follow_up",
    "conversion_surgery": "other",
}


class ConductorError(RuntimeError):
    """A service refused what the conductor asked: a bug in the conductor or the application."""


@dataclass
class Summary:
    """What a run did (SIMULATED): counts, the cut-off and the demo accounts."""

    label: str
    seed: int
    cutoff: date
    screened: int = 0
    screen_failures: int = 0
    randomized: int = 0
    by_arm: dict[str, int] = field(default_factory=dict)
    treatment_days: int = 0
    delayed_cycles: int = 0
    reduced_doses: int = 0
    adverse_events: int = 0
    scans: int = 0
    deaths: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


@dataclass
class PatientState:
    candidate: SyntheticCandidate
    subject: Subject
    script: PatientScript | None = None
    arm: str = ""
    shift_days: int = 0
    treating: bool = False
    ended: bool = False
    height_recorded: bool = False
    ae_records: dict[str, FormRecord] = field(default_factory=dict)
    last_dose: date | None = None
    levels: dict[str, Any] = field(default_factory=dict)
    """Dose levels after the last decision (core ``levels_after``): ``discontinued`` drugs stop."""


@dataclass
class Staff:
    coordinator: dict[str, User]
    pharmacist: dict[str, User]

    @classmethod
    def load(cls) -> Staff:
        coordinator: dict[str, User] = {}
        pharmacist: dict[str, User] = {}
        for user in User.objects.filter(role__in=("coordinator", "pharmacist")).prefetch_related("sites"):
            target = coordinator if user.role == "coordinator" else pharmacist
            for site in user.sites.all():
                target.setdefault(site.code, user)
        return cls(coordinator, pharmacist)
