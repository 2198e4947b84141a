"""The trial conductor drives the real services: a small SIMULATED trial, checked end to end."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.core.management import call_command

from oncotrial.conductor.trial import conduct_trial
from oncotrial.persistence.models import Allocation, FormRecord, StudyState, Subject, TreatmentCourse
from oncotrial.services.audit import verify_audit_chain
from oncotrial.services.protocol import current_protocol
from oncotrial.synthetic.generator import generate_trial

pytestmark = pytest.mark.django_db(transaction=True)

PATIENTS, SITES, SEED = 6, 2, 20240611


def _clinical_digest() -> str:
    """Everything clinical the run stored (not ids, timestamps or passwords)."""
    rows = [
        (
            r.subject.subject_id,
            r.form_code,
            r.data,
            r.derived.get("prescription"),
            r.derived.get("recist_1_1"),
        )
        for r in FormRecord.objects.select_related("subject").order_by(
            "subject__subject_id", "form_code", "record_date", "id"
        )
    ]
    arms = sorted(Allocation.objects.values_list("subject__subject_id", "slot__arm", "slot__slot_id"))
    return hashlib.sha256(json.dumps([rows, arms], default=str, sort_keys=True).encode()).hexdigest()


def test_a_small_trial_is_conducted_through_the_services_and_reproduced_from_its_seed() -> None:
    summary = conduct_trial(patients=PATIENTS, sites=SITES, seed=SEED)
    intended = generate_trial(current_protocol(), patients=PATIENTS, sites=SITES, seed=SEED)

    assert summary.randomized == PATIENTS == Allocation.objects.count()
    assert summary.screen_failures == len(intended.screen_failures)
    assert Subject.objects.count() == len(intended.candidates)
    state = StudyState.objects.get(pk=1)
    assert state.simulated and state.data_cutoff == intended.cutoff
    assert verify_audit_chain() is None

    for subject in Subject.objects.filter(allocation__isnull=False):
        assert TreatmentCourse.objects.filter(subject=subject).exists()
        scans = FormRecord.objects.filter(subject=subject, form_code="tumour_assessment").order_by(
            "record_date"
        )
        assert scans.first() is not None and scans.first().derived["baseline"] is True
        for exposure in FormRecord.objects.filter(subject=subject, form_code="exposure"):
            assert exposure.derived["prescription"], exposure.pk
            if exposure.data.get("administered"):
                assert exposure.dose_verified_at is not None  # a pharmacist verified before "given"
    digest = _clinical_digest()

    call_command("flush", interactive=False, verbosity=0)
    conduct_trial(patients=PATIENTS, sites=SITES, seed=SEED)
    assert _clinical_digest() == digest


def test_the_conductor_uses_the_arm_the_application_allocated(settings: Any) -> None:
    conduct_trial(patients=4, sites=1, seed=7)
    for allocation in Allocation.objects.select_related("subject", "slot"):
        course = TreatmentCourse.objects.get(subject=allocation.subject)
        assert course.arm == allocation.slot.arm
        exposure = FormRecord.objects.filter(subject=allocation.subject, form_code="exposure").first()
        if exposure is not None:
            assert exposure.derived["arm"] == allocation.slot.arm
