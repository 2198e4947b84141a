"""The study dashboard's figures, scoped to what the user may see.

Enrollment counts randomized subjects (one allocation each) by site and arm against the
protocol's target; the screening funnel counts subjects by their latest screening
verdict, consent and randomization (CONSORT "assessed for eligibility", "excluded",
"randomized").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from oncotrial.persistence.models import Allocation, Consent, Role, ScreeningStatus, User
from oncotrial.services.permissions import Action, is_allowed
from oncotrial.services.protocol import current_protocol
from oncotrial.services.queries import open_queries
from oncotrial.services.safety import open_sae_alerts
from oncotrial.services.visibility import visible_sites, visible_subjects
from oncotrial.services.visits import DueVisit, due_visit_lists


@dataclass(frozen=True, slots=True)
class Enrollment:
    """Randomized subjects per (site, arm), the arms in protocol order and the target."""

    target: int
    arms: tuple[str, ...]
    arm_labels: dict[str, str]
    by_site: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.by_site.values())

    def arm_total(self, arm: str) -> int:
        return sum(row.get(arm, 0) for row in self.by_site.values())


@dataclass(frozen=True, slots=True)
class Funnel:
    """Subjects assessed, eligible, not eligible, incomplete, consented and randomized."""

    assessed: int
    eligible: int
    not_eligible: int
    incomplete: int
    consented: int
    randomized: int


def enrollment(user: User) -> Enrollment:
    protocol = current_protocol()
    arms = tuple(arm.code for arm in protocol.arms)
    by_site: dict[str, dict[str, int]] = {site.code: dict.fromkeys(arms, 0) for site in visible_sites(user)}
    subjects = visible_subjects(user)
    rows = (
        Allocation.objects.filter(subject__in=subjects)
        .values("subject__site__code", "slot__arm")
        .annotate(n=Count("id"))
    )
    for row in rows:
        by_site.setdefault(row["subject__site__code"], dict.fromkeys(arms, 0))[row["slot__arm"]] = row["n"]
    return Enrollment(
        target=protocol.design.target_enrollment,
        arms=arms,
        arm_labels={arm.code: arm.label for arm in protocol.arms},
        by_site=by_site,
    )


def screening_funnel(user: User) -> Funnel:
    subjects = visible_subjects(user)
    status = Counter(subjects.values_list("screening_status", flat=True))
    consented = Consent.objects.filter(subject__in=subjects).values("subject").distinct().count()
    randomized = Allocation.objects.filter(subject__in=subjects).count()
    return Funnel(
        assessed=sum(status.values()),
        eligible=status[ScreeningStatus.ELIGIBLE],
        not_eligible=status[ScreeningStatus.NOT_ELIGIBLE],
        incomplete=status[ScreeningStatus.INCOMPLETE],
        consented=consented,
        randomized=randomized,
    )


def work_lists(user: User, on: date, *, limit: int = 20) -> dict[str, object]:
    """Overdue and upcoming visits, open queries and open SAE alerts within the user's sites.

    Each list holds at most ``limit`` items (the oldest first) and the total count.
    Roles that may not view clinical data get empty lists.
    """
    if not is_allowed(Role(user.role), Action.VIEW_DATA):
        return {"upcoming": [], "overdue": [], "queries": [], "sae_alerts": [], "counts": {}}
    due = due_visit_lists(user, on, days_ahead=14, limit=limit)
    query_rows = open_queries(user).select_related("record", "subject")
    alerts = open_sae_alerts(user).select_related("subject", "record")
    return {
        "overdue": [_visit_item(d) for d in due.overdue],
        "upcoming": [_visit_item(d) for d in due.upcoming],
        "queries": [
            {
                "subject_id": q.subject.subject_id,
                "form": q.record.form_code,
                "field": q.field,
                "text": q.text,
                "record": q.record.pk,
            }
            for q in query_rows[:limit]
        ],
        "sae_alerts": [
            {
                "subject_id": a.subject.subject_id,
                "term": a.record.data.get("term", ""),
                "grade": a.record.data.get("grade", ""),
                "onset": a.record.data.get("onset_date", ""),
                "record": a.record.pk,
            }
            for a in alerts[:limit]
        ],
        "counts": {
            "overdue": due.overdue_count,
            "upcoming": due.upcoming_count,
            "queries": query_rows.count(),
            "sae_alerts": alerts.count(),
        },
        "as_of": on,
    }


def _visit_item(due: DueVisit) -> dict[str, object]:
    return {"subject_id": due.subject_id, "code": due.visit.code, "planned_date": due.visit.planned_date}
