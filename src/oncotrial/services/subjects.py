"""Use cases for screening and consent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from oncotrial.core.eligibility.patient_data import candidate_from_data
from oncotrial.core.eligibility.screening import screen
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.model import Protocol
from oncotrial.persistence.models import Allocation, Consent, Screening, Site, Subject
from oncotrial.services import clock
from oncotrial.services.actors import actor
from oncotrial.services.audit import AuditContext, plain, record
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.protocol import current_protocol, screening_context


def check_screen_subject(
    ctx: AuditContext, data: Mapping[str, object], *, on: date | None = None, protocol: Protocol | None = None
) -> Screening:
    """Run the core eligibility engine on a patient document and store every verdict.

    The subject (``data["patient_id"]``) is created at its first screening and may be
    re-screened until randomized. Returns the stored :class:`Screening`.
    """
    user = actor(ctx, Action.SCREEN)
    candidate = candidate_from_data(data)
    site = Site.objects.filter(code=candidate.site_id).first()
    if site is None:
        raise DomainError("site_id", candidate.site_id, "the code of an existing site")
    check_permission(user, Action.SCREEN, site)
    protocol = protocol or current_protocol()
    day = on or clock.today()
    result = screen(candidate, protocol.eligibility.criteria, screening_context(protocol, day))
    summary = result.to_dict()
    now = clock.now()
    with transaction.atomic():
        subject = Subject.objects.select_for_update().filter(subject_id=candidate.patient_id).first()
        old_status = None
        if subject is None:
            subject = Subject.objects.create(
                subject_id=candidate.patient_id,
                site=site,
                screening_status=result.status.value,
                created_at=now,
            )
            record(
                ctx,
                "create",
                "subject",
                subject.pk,
                subject_id=subject.subject_id,
                changes={"site": (None, site.code)},
            )
        else:
            if subject.site_id != site.pk:
                raise DomainError(
                    "site_id",
                    candidate.site_id,
                    f"the subject's site {subject.site.code} (a subject never changes site)",
                )
            if Allocation.objects.filter(subject=subject).exists():
                raise DomainError("patient_id", candidate.patient_id, "a subject not yet randomized")
            old_status = subject.screening_status
            subject.screening_status = result.status.value
            subject.save(update_fields=["screening_status"])
        screening = Screening.objects.create(
            subject=subject,
            screened_on=day,
            protocol_id=protocol.identification.nct_id,
            data=plain(dict(data)),
            verdicts=summary["verdicts"],
            status=result.status.value,
            screened_by=user,
            created_at=now,
        )
        record(
            ctx,
            "screen",
            "screening",
            screening.pk,
            subject_id=subject.subject_id,
            changes={
                "status": (old_status, result.status.value),
                "failed": (None, summary["failed"]),
                "not_evaluable": (None, summary["not_evaluable"]),
            },
        )
    return screening


def do_record_consent(ctx: AuditContext, subject: Subject, *, version: str, consent_date: date) -> Consent:
    """Record consent to ``version`` of the consent form; a new version is a re-consent.

    The same version twice is refused, and a consent may not predate the previous one.
    """
    user = actor(ctx, Action.RECORD_CONSENT)
    check_permission(user, Action.RECORD_CONSENT, subject.site)
    if not isinstance(version, str) or not version.strip() or len(version.strip()) > 32:
        raise DomainError("version", version, "a consent form version of 1 to 32 characters")
    version = version.strip()
    if not isinstance(consent_date, date):
        raise DomainError("consent_date", consent_date, "a date")
    if consent_date > clock.today():
        raise DomainError("consent_date", consent_date.isoformat(), "a date not in the future")
    with transaction.atomic():
        previous = Consent.objects.filter(subject=subject).order_by("consent_date", "id").last()
        if Consent.objects.filter(subject=subject, version=version).exists():
            raise DomainError(
                "version",
                version,
                "a version this subject has not yet consented to",
                suggestion="re-consent is recorded against a new consent form version.",
            )
        if previous is not None and consent_date < previous.consent_date:
            raise DomainError(
                "consent_date",
                consent_date.isoformat(),
                f"a date on or after the previous consent ({previous.consent_date.isoformat()})",
            )
        consent = Consent.objects.create(
            subject=subject,
            version=version,
            consent_date=consent_date,
            recorded_by=user,
            created_at=clock.now(),
        )
        record(
            ctx,
            "reconsent" if previous else "consent",
            "consent",
            consent.pk,
            subject_id=subject.subject_id,
            changes={
                "version": (previous.version if previous else None, version),
                "consent_date": (previous.consent_date if previous else None, consent_date),
            },
        )
    return consent
