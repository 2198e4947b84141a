"""Randomized subjects, role users and valid example data for the clinical-data tests.

Randomization stamps the current time; tests move it to :data:`RANDOMIZED_ON` so that
clinical dates of the SIMULATED example trial (March–September 2024) are after
randomization and not in the future.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any, Final

from support.subjects import enrolled

RANDOMIZED_ON: Final = date(2024, 3, 6)
START: Final = date(2024, 3, 7)
PASSWORD: Final = "Sign-Here-Carefully-2024"

BASELINE_SCAN: Final[dict[str, Any]] = {
    "scan_date": "2024-03-01",
    "modality": "ct",
    "lesions": [
        {
            "lesion_id": "T1",
            "organ": "liver",
            "kind": "target",
            "longest_diameter_mm": 50,
            "viable_diameter_mm": 40,
        },
        {
            "lesion_id": "T2",
            "organ": "lung",
            "kind": "target",
            "longest_diameter_mm": 50,
            "viable_diameter_mm": 30,
        },
        {"lesion_id": "NT1", "organ": "peritoneum", "kind": "non_target"},
    ],
}

EXAMPLES: Final[dict[str, dict[str, Any]]] = {
    "vitals": {
        "assessment_date": "2024-03-07",
        "weight": {"value": 63.5, "unit": "kg"},
        "height": {"value": 170, "unit": "cm"},
        "systolic_bp": {"value": 128, "unit": "mmHg"},
        "diastolic_bp": {"value": 82, "unit": "mmHg"},
        "heart_rate": {"value": 76, "unit": "bpm"},
        "temperature": {"value": 36.8, "unit": "°C"},
        "ecog": 1,
    },
    "labs": {
        "collection_date": "2024-03-06",
        "wbc": {"value": 5.6, "unit": "10^9/L"},
        "neut": {"value": 3.4, "unit": "10^9/L"},
        "plat": {"value": 182, "unit": "10^9/L"},
        "hgb": {"value": 13.8, "unit": "g/dL"},
        "alb": {"value": 41, "unit": "g/L"},
        "bili": {"value": 12.0, "unit": "µmol/L"},
        "ast": {"value": 30, "unit": "U/L"},
        "alt": {"value": 35, "unit": "U/L"},
        "creat": {"value": 0.86, "unit": "mg/dL"},
    },
    "exposure": {"administration_date": "2024-03-07", "cycle": 1, "day": 1},
    "haic": {
        "procedure_date": "2024-03-07",
        "operator": "Dr Li",
        "access_site": "right_femoral",
        "variant_anatomy": False,
        "arterial_stenosis_occlusion": False,
        "extrahepatic_supply": False,
        "av_shunt": False,
        "catheter_tip": "proper_hepatic",
        "gda_coiled": True,
        "infusion_minutes": 180,
        "dose_prescribed_mg": 148,
        "dose_delivered_mg": 148,
        "interruptions": [{"reason": "abdominal pain", "minutes": 10}],
        "technical_failure": False,
    },
    "adverse_event": {
        "term": "Nausea",
        "grade": 2,
        "category": "other",
        "onset_date": "2024-03-08",
        "serious": False,
        "attribution_oxaliplatin": "possible",
        "attribution_gemcitabine": "possible",
        "attribution_lenvatinib": "unlikely",
        "attribution_toripalimab": "not_related",
        "immune_related": "no",
        "outcome": "recovering",
    },
    "conmed": {
        "medication": "Ondansetron",
        "indication": "Nausea prophylaxis",
        "start_date": "2024-03-07",
        "ongoing": True,
    },
    "tumour_assessment": BASELINE_SCAN,
    "end_of_treatment": {"eot_date": "2024-06-01", "last_dose_date": "2024-05-25", "reason": "progression"},
    "follow_up": {
        "contact_date": "2024-07-01",
        "survival_status": "alive",
        "last_known_alive_date": "2024-07-01",
        "subsequent_therapy": False,
    },
    "death": {"death_date": "2024-09-01", "cause": "disease_progression"},
    "deviation": {
        "deviation_date": "2024-03-20",
        "category": "visit_window",
        "severity": "minor",
        "description": "Day 8 labs drawn 4 days before the window",
    },
}
"""A valid example of every form (SIMULATED DATA: not results of NCT07304388)."""


def example(code: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLES[code])
    data.update(changes)
    return data


def randomized(user: Any, patient_id: str, *, on: date = RANDOMIZED_ON, **kwargs: Any) -> Any:
    """A subject screened, consented and randomized (allocation dated ``on``)."""
    from oncotrial.persistence.models import Allocation
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.randomization import check_randomize_subject

    subject = enrolled(user, patient_id, **kwargs)
    allocation = check_randomize_subject(AuditContext(user), subject, f"randomize-{patient_id}")
    Allocation.objects.filter(pk=allocation.pk).update(
        allocated_at=datetime(on.year, on.month, on.day, 9, tzinfo=UTC)
    )
    return subject


def arm_of(subject: Any) -> str:
    from oncotrial.persistence.models import Allocation

    return str(Allocation.objects.select_related("slot").get(subject=subject).slot.arm)


def table_counts() -> dict[str, int]:
    """Row counts of every table a save may write (to prove a refused save wrote nothing)."""
    from oncotrial.persistence.models import (
        AuditEvent,
        FormRecord,
        Query,
        QueryMessage,
        SaeAlert,
        TreatmentCourse,
        Visit,
    )

    return {
        m.__name__: m.objects.count()
        for m in (AuditEvent, FormRecord, Query, QueryMessage, SaeAlert, TreatmentCourse, Visit)
    }
