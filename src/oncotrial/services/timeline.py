"""A subject's timeline: every dated event of the casebook, in date order.

Screenings, consents and the randomization come first; visits and clinical forms follow
from the clinical-data services. Each event says what happened, when and where to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncotrial.persistence.models import (
    Allocation,
    Consent,
    FormRecord,
    RecordStatus,
    Screening,
    Subject,
    User,
    Visit,
    VisitKind,
)
from oncotrial.services.forms import FORMS
from oncotrial.services.visibility import subject_for

_ORDER = {
    "screening": 0,
    "consent": 1,
    "randomization": 2,
    "visit": 3,
    "vitals": 4,
    "labs": 5,
    "exposure": 6,
    "haic": 7,
    "adverse_event": 8,
    "tumour_assessment": 9,
}
"""Same-day events in the order they happen at a site."""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    on: date
    kind: str
    title: str
    detail: str = ""
    link: str = ""


def subject_timeline(user: User, subject: Subject) -> list[TimelineEvent]:
    """Events of ``subject`` visible to ``user`` (the subject must be within the user's sites)."""
    subject = subject_for(user, subject.subject_id)
    events: list[TimelineEvent] = []
    for screening in Screening.objects.filter(subject=subject).order_by("id"):
        failed = [v["code"] for v in screening.verdicts if v.get("passes") is False]
        detail = f"failed: {', '.join(failed)}" if failed else ""
        events.append(
            TimelineEvent(screening.screened_on, "screening", f"Screened: {screening.status}", detail)
        )
    for consent in Consent.objects.filter(subject=subject):
        events.append(
            TimelineEvent(consent.consent_date, "consent", f"Consent, form version {consent.version}")
        )
    allocation = Allocation.objects.select_related("slot").filter(subject=subject).first()
    if allocation is not None:
        events.append(
            TimelineEvent(
                allocation.allocated_at.date(),
                "randomization",
                f"Randomized to {allocation.slot.arm}",
                f"stratum {allocation.slot.stratum_key}, slot {allocation.slot.slot_id}",
            )
        )
    for visit in Visit.objects.filter(subject=subject, actual_date__isnull=False):
        events.append(
            TimelineEvent(visit.actual_date, "visit", f"Visit {visit.code}", str(VisitKind(visit.kind).label))
        )
    for row in FormRecord.objects.filter(subject=subject).select_related("visit"):
        spec = FORMS.get(row.form_code)
        on = _record_date(row, spec.date_field if spec else None)
        if on is None:
            continue
        title = spec.title if spec else row.form_code
        events.append(TimelineEvent(on, row.form_code, title, _summary(row), f"/records/{row.pk}/"))
    return sorted(events, key=lambda e: (e.on, _ORDER.get(e.kind, 50)))


def _record_date(row: FormRecord, date_field: str | None) -> date | None:
    if row.record_date is not None:
        found: date = row.record_date
        return found
    raw = row.data.get(date_field) if date_field else None
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    if row.visit is not None:
        visited: date | None = row.visit.actual_date or row.visit.planned_date
        return visited
    return None


def _summary(row: FormRecord) -> str:
    """One line of what matters in a record: responses, a grade, the dose decision."""
    derived = row.derived or {}
    data = row.data or {}
    parts = []
    if row.form_code == "tumour_assessment":
        if derived.get("baseline"):
            parts.append("baseline")
        for key, name in (("recist_1_1", "RECIST 1.1"), ("mrecist", "mRECIST")):
            point = derived.get(key) or {}
            if point.get("response"):
                parts.append(f"{name} {point['response']}")
    if data.get("term"):
        parts.append(f"{data['term']} grade {data.get('grade', '?')}")
    if row.form_code == "exposure":
        actions = [
            f"{drug} {info.get('action')}"
            for drug, info in sorted((derived.get("drugs") or {}).items())
            if info.get("action") not in (None, "give", "not_due")
        ]
        parts.append("; ".join(actions) if actions else "all due drugs at full dose")
    parts.append(str(RecordStatus(row.status).label))
    return " · ".join(str(p) for p in parts)
