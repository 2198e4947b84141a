"""Serious adverse event alerts: raised when an ``adverse_event`` record is saved as serious.

ICH E2A / E6(R2) 4.11.1: the investigator reports every SAE to the sponsor immediately
(within 24 hours); the alert lists the SAE until an investigator or data manager
acknowledges that it was reported.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from oncotrial.core.errors import DomainError
from oncotrial.persistence.models import FormRecord, Role, SaeAlert, User
from oncotrial.services import clock
from oncotrial.services.actors import permitted
from oncotrial.services.audit import AuditContext, record
from oncotrial.services.permissions import STUDY_WIDE_ROLES, Action, check_permission


def raise_sae_alert(ctx: AuditContext, form_record: FormRecord) -> SaeAlert | None:
    """Create the alert of a serious AE record once (inside the caller's transaction)."""
    if form_record.data.get("serious") is not True:
        return None
    if SaeAlert.objects.filter(record=form_record).exists():
        return None
    alert = SaeAlert.objects.create(record=form_record, subject=form_record.subject, created_at=clock.now())
    record(
        AuditContext(None, ctx.request_id),
        "sae_alert",
        "sae_alert",
        alert.pk,
        subject_id=form_record.subject.subject_id,
        changes={"record": (None, form_record.pk), "term": (None, form_record.data.get("term"))},
        reason="",
    )
    return alert


def open_sae_alerts(user: User) -> QuerySet[SaeAlert]:
    """Unacknowledged SAE alerts the user may see (site-scoped unless study-wide), oldest first."""
    check_permission(user, Action.VIEW_DATA)
    rows = SaeAlert.objects.select_related("record", "subject", "subject__site").filter(acknowledged_at=None)
    if Role(user.role) not in STUDY_WIDE_ROLES:
        rows = rows.filter(subject__site__in=user.sites.all())
    return rows.order_by("created_at", "id")


def do_acknowledge_sae(ctx: AuditContext, alert: SaeAlert) -> SaeAlert:
    """Mark the SAE as reported to the sponsor (investigator, data manager)."""
    user = permitted(ctx, Action.ACKNOWLEDGE_SAE, alert.subject.site)
    with transaction.atomic():
        alert = SaeAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is not None:
            raise DomainError("sae_alert", alert.pk, "an alert not yet acknowledged")
        alert.acknowledged_by, alert.acknowledged_at = user, clock.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
        record(
            ctx,
            "acknowledge_sae",
            "sae_alert",
            alert.pk,
            subject_id=alert.subject.subject_id,
            changes={"acknowledged_at": (None, alert.acknowledged_at)},
        )
    return alert
