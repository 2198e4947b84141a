"""Screen and consent subjects through the services (tests of persistence and services)."""

from __future__ import annotations

from typing import Any

from support.candidates import example_patient
from support.django_db import SCREENING_DAY


def patient(
    patient_id: str, *, site: str = "SYSUCC", metastasis: str = "yes", ecog: int = 1
) -> dict[str, Any]:
    data = example_patient()
    data["patient_id"] = patient_id
    data["site_id"] = site
    data["reference_ranges"]["site_id"] = site
    data["ecog"] = ecog
    data["attributes"] = {"extrahepatic_metastasis": metastasis}
    return data


def enrolled(user: Any, patient_id: str, **kwargs: Any) -> Any:
    """A subject screened eligible and consented (version 1.0), ready to randomize."""
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.subjects import check_screen_subject, do_record_consent

    ctx = AuditContext(user)
    screening = check_screen_subject(ctx, patient(patient_id, **kwargs), on=SCREENING_DAY)
    assert screening.status == "eligible", screening.verdicts
    do_record_consent(ctx, screening.subject, version="1.0", consent_date=SCREENING_DAY)
    return screening.subject
